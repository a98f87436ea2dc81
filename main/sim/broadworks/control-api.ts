// The simulator's loopback control API (JSON): place calls into the group, answer outside ends, change a
// password (as a user would in the web portal), flip faults, read counters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PeerLog } from '../../log/rate-limit';
import { answerControl } from '../shared/control-http';
import { CallError } from './calls';
import type { XsiService } from './xsi-server';

type Body = Record<string, unknown>;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function str(body: Body, key: string, max = 128): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '' || v.length > max) throw new ControlError(400, `"${key}" must be a string of 1-${max} characters`);
  return v;
}

const routes: Array<{ method: string; pattern: RegExp; handle: (x: XsiService, params: string[], body: Body) => unknown }> = [
  { method: 'GET', pattern: /^\/status$/, handle: (x) => x.status() },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)$/,
    handle: (x, [id]) => {
      const u = x.group.user(id);
      if (!u) throw new ControlError(404, `no user ${id}`);
      return { userId: u.userId, number: u.number, extension: u.extension, services: u.services, unassigned: [...u.unassigned], calls: x.calls.callsOf(id).map((h) => ({ callId: h.callId, state: h.state, personality: h.personality, remote: h.remote.address })) };
    },
  },
  { method: 'POST', pattern: /^\/calls$/, handle: (x, _p, b) => ({ callId: x.calls.incoming(str(b, 'from', 64), str(b, 'to', 64)).callId }) },
  {
    method: 'POST',
    pattern: /^\/calls\/([^/]+)\/answer$/,
    handle: (x, [id]) => {
      x.calls.farEndAnswers(id);
      return { ok: true };
    },
  },
  {
    method: 'POST',
    pattern: /^\/users\/([^/]+)\/services\/([^/]+)$/,
    handle: (x, [id, service], b) => {
      const u = x.group.user(id);
      if (!u) throw new ControlError(404, `no user ${id}`);
      if (!(service in u.services)) throw new ControlError(404, `no service ${service} (${Object.keys(u.services).join(', ')})`);
      if (typeof b.assigned !== 'boolean') throw new ControlError(400, '"assigned" must be true or false');
      const key = service as keyof typeof u.services;
      if (b.assigned) u.unassigned.delete(key);
      else u.unassigned.add(key);
      return { userId: id, service, assigned: b.assigned };
    },
  },
  {
    method: 'POST',
    pattern: /^\/users\/([^/]+)\/password$/,
    handle: (x, [id], b) => {
      if (!x.group.setPassword(id, str(b, 'password'))) throw new ControlError(404, `no user ${id}`);
      return { ok: true };
    },
  },
  {
    method: 'POST',
    pattern: /^\/faults$/,
    handle: (x, _p, b) => {
      // Checked whole before any is set: a bad request changes nothing.
      const next = { ...x.faults };
      for (const [k, v] of Object.entries(b)) {
        if (k === 'actionStatus') {
          if (typeof v !== 'number' || !(v === 0 || (Number.isInteger(v) && v >= 400 && v <= 599))) throw new ControlError(400, '"actionStatus" must be 0 or 400-599');
          next.actionStatus = v;
        } else if (k === 'answerDelayMs') {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 60_000) throw new ControlError(400, '"answerDelayMs" must be 0-60000');
          next.answerDelayMs = v;
        } else if (k === 'silent') {
          if (typeof v !== 'boolean') throw new ControlError(400, '"silent" must be true or false');
          next.silent = v;
        } else throw new ControlError(400, `unknown fault "${k}" (actionStatus, answerDelayMs, silent; POST /faults/terminate-channels, /faults/cut-channels or /faults/terminate-subscriptions for a one-shot fault)`);
      }
      return Object.assign(x.faults, next);
    },
  },
  { method: 'POST', pattern: /^\/faults\/terminate-channels$/, handle: (x) => ({ terminated: x.terminateChannels() }) },
  { method: 'POST', pattern: /^\/faults\/cut-channels$/, handle: (x) => ({ cut: x.cutChannels() }) },
  { method: 'POST', pattern: /^\/faults\/terminate-subscriptions$/, handle: (x) => ({ terminated: x.terminateSubscriptions() }) },
];

export function handleControl(x: XsiService, log: PeerLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = (path: string) => {
    const candidates = routes.filter((r) => r.pattern.test(path));
    if (candidates.length === 0) throw new ControlError(404, `no route ${path}`);
    const r = candidates.find((c) => c.method === req.method);
    if (!r) throw new ControlError(405, `${req.method} is not allowed on ${path}`);
    return r;
  };
  return answerControl(
    req, res, log,
    (path, body) => {
      const r = route(path);
      return r.handle(x, r.pattern.exec(path)!.slice(1), body);
    },
    (e) => (e instanceof ControlError || e instanceof CallError ? { status: e.status, code: 'INVALID_INPUT', message: e.message } : undefined),
  );
}
