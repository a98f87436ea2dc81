import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FORWARDING_TYPES, type ForwardingType } from './call-model';
import { PbxError, type Faults, type PanasonicPbx } from './pbx';
import { guardServer, BadRequest, describeRequest, guardRequests, requestTarget } from '../../web/http-guard';
import { describeThrown } from '../../log/process-guard';
import { plainText, rateLimited, type PeerLog } from '../../log/rate-limit';
import { listenForControl } from '../shared/control-http';

/**
 * The simulator's loopback HTTP control API (JSON in, JSON out): tests, the demo and an admin place and clear
 * calls, flip faults and read counters. Routes are listed in docs/simulator.md.
 */

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

type Body = Record<string, unknown>;
type Route = { method: string; pattern: RegExp; handle: (pbx: PanasonicPbx, params: string[], body: Body, url: URL) => unknown };

function str(body: Body, key: string, required: true): string;
function str(body: Body, key: string, required?: false): string | undefined;
function str(body: Body, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, 'INVALID_INPUT', `"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new HttpError(400, 'INVALID_INPUT', `"${key}" must be a string`);
  return String(v);
}

function bool(body: Body, key: string): boolean {
  const v = body[key];
  if (typeof v !== 'boolean') throw new HttpError(400, 'INVALID_INPUT', `"${key}" must be true or false`);
  return v;
}

function faultPatch(body: Body): Partial<Faults> {
  const patch: Partial<Faults> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'refuseLogin' || k === 'stopAnswering') {
      if (typeof v !== 'boolean') throw new HttpError(400, 'INVALID_INPUT', `"${k}" must be true or false`);
      patch[k] = v;
    } else if (k === 'answerDelayMs') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 600_000) throw new HttpError(400, 'INVALID_INPUT', '"answerDelayMs" must be an integer 0-600000');
      patch.answerDelayMs = v;
    } else throw new HttpError(400, 'INVALID_INPUT', `unknown fault "${k}" (refuseLogin, stopAnswering, answerDelayMs; POST /faults/drop-link or /faults/malformed-frame for one-shot faults)`);
  }
  return patch;
}

const routes: Route[] = [
  { method: 'GET', pattern: /^\/status$/, handle: (p) => ({ devices: p.devices.size, associated: p.associated, activeCalls: p.calls.activeCalls().length, faults: p.faults }) },
  { method: 'GET', pattern: /^\/counters$/, handle: (p) => p.counters() },
  {
    method: 'GET',
    pattern: /^\/devices$/,
    handle: (p, _params, _b, url) => {
      const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
      const limit = Math.min(10_000, Math.max(1, Number(url.searchParams.get('limit') ?? 1000) || 1000));
      return { total: p.devices.size, devices: p.devices.list.slice(offset, offset + limit) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/devices\/([^/]+)$/,
    handle: (p, [n]) => {
      const d = p.device(n);
      if (!d) throw new HttpError(404, 'NOT_FOUND', `no device ${n}`);
      return { ...d, inService: p.calls.inService(n), doNotDisturb: p.calls.doNotDisturb(n), forwarding: p.calls.forwardingOf(n), calls: p.calls.callsOf(n) };
    },
  },
  { method: 'POST', pattern: /^\/devices\/([^/]+)\/service$/, handle: (p, [n], b) => (p.setInService(n, bool(b, 'inService')), { device: n, inService: p.calls.inService(n) }) },
  { method: 'POST', pattern: /^\/devices\/([^/]+)\/dnd$/, handle: (p, [n], b) => (p.setDoNotDisturb(n, bool(b, 'on')), { device: n, doNotDisturb: p.calls.doNotDisturb(n) }) },
  {
    method: 'POST',
    pattern: /^\/devices\/([^/]+)\/forwarding$/,
    handle: (p, [n], b) => {
      const type = str(b, 'type') ?? 'forwardImmediate';
      if (!FORWARDING_TYPES.includes(type as ForwardingType)) throw new HttpError(400, 'INVALID_INPUT', `"type" must be one of ${FORWARDING_TYPES.join(', ')}`);
      p.setForwarding(n, type as ForwardingType, bool(b, 'on'), str(b, 'to'));
      return { device: n, forwarding: p.calls.forwardingOf(n) };
    },
  },
  // The user lifts the handset: a call in the initiated state (dial tone) that a CTI application can dial on.
  { method: 'POST', pattern: /^\/devices\/([^/]+)\/off-hook$/, handle: (p, [n]) => ({ callID: p.offHook(n) }) },
  { method: 'POST', pattern: /^\/devices\/([^/]+)\/digits$/, handle: (p, [n], b) => ({ reported: p.digits(n, str(b, 'digits', true)) }) },
  { method: 'GET', pattern: /^\/calls$/, handle: (p) => ({ calls: p.calls.activeCalls() }) },
  { method: 'POST', pattern: /^\/calls$/, handle: (p, _x, b) => p.placeCall(str(b, 'from', true), str(b, 'to', true)) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/answer$/, handle: (p, [id], b) => ({ events: p.answerCall(id, str(b, 'device')) }) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/hold$/, handle: (p, [id], b) => ({ events: p.holdCall(id, str(b, 'device', true)) }) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/retrieve$/, handle: (p, [id], b) => ({ events: p.retrieveCall(id, str(b, 'device', true)) }) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/clear$/, handle: (p, [id], b) => ({ events: p.clearCall(id, str(b, 'device')) }) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/divert$/, handle: (p, [id], b) => ({ events: p.divertCall(id, str(b, 'device', true), str(b, 'to', true)) }) },
  { method: 'POST', pattern: /^\/calls\/([^/]+)\/pickup$/, handle: (p, [id], b) => ({ events: p.pickupCall(id, str(b, 'device', true), str(b, 'by', true)) }) },
  { method: 'POST', pattern: /^\/transfer$/, handle: (p, _x, b) => ({ events: p.transferCall(str(b, 'device', true), str(b, 'heldCall', true), str(b, 'activeCall', true)) }) },
  { method: 'POST', pattern: /^\/conference$/, handle: (p, _x, b) => ({ events: p.conferenceCall(str(b, 'device', true), str(b, 'heldCall', true), str(b, 'activeCall', true)) }) },
  { method: 'GET', pattern: /^\/cdr$/, handle: (p) => ({ records: p.callRecords() }) },
  { method: 'GET', pattern: /^\/faults$/, handle: (p) => p.faults },
  { method: 'POST', pattern: /^\/faults$/, handle: (p, _x, b) => (p.faults = { ...p.faults, ...faultPatch(b) }) },
  { method: 'POST', pattern: /^\/faults\/drop-link$/, handle: (p) => ({ dropped: p.dropLink() }) },
  { method: 'POST', pattern: /^\/faults\/malformed-frame$/, handle: (p) => ({ sent: p.sendMalformedFrame() }) },
];

const PBX_STATUS: Record<PbxError['code'], number> = {
  invalidDevice: 404,
  invalidCall: 404,
  invalidCrossRefID: 404,
  invalidState: 409,
  busy: 409,
  noAssociation: 409,
};

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'INVALID_INPUT', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'INVALID_INPUT', `body is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'INVALID_INPUT', 'body must be a JSON object');
  return parsed as Body;
}

function decodeParam(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'the path has a malformed percent-encoding');
  }
}

async function handle(pbx: PanasonicPbx, log: PeerLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let status = 200;
  let payload: unknown;
  try {
    const { url } = requestTarget(req);
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) throw new HttpError(404, 'NOT_FOUND', `no route ${url.pathname}`);
    const route = candidates.find((r) => r.method === req.method);
    if (!route) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeParam);
    const body = req.method === 'POST' ? await readBody(req) : {};
    payload = route.handle(pbx, params, body, url);
  } catch (e) {
    if (e instanceof HttpError) [status, payload] = [e.status, { error: { code: e.code, message: e.message } }];
    else if (e instanceof BadRequest) [status, payload] = [e.status, { error: { code: 'INVALID_INPUT', message: e.message } }];
    else if (e instanceof PbxError) [status, payload] = [PBX_STATUS[e.code] ?? 409, { error: { code: e.code, message: e.message } }];
    else if ((e as NodeJS.ErrnoException)?.code === 'ECONNRESET' && req.destroyed) {
      // The client went away while sending its body: there is no one to answer.
      return;
    } else {
      log.error(`control API ${describeRequest(req)}: answered 500: ${describeThrown(e)}`);
      [status, payload] = [500, { error: { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) } }];
    }
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts the control API on host:port (port 0 = any free port); resolves with the bound port. Refused and failed
 * requests are answered on their own connection and logged (rate-limited) to `log`.
 */
export async function startControlApi(pbx: PanasonicPbx, host: string, port: number, log: Parameters<typeof plainText>[0] = { warn() {}, error() {} }): Promise<{ server: Server; port: number; url: string }> {
  // The simulator's log takes English text (its terminal); the shared guard's coded entries give theirs.
  const limited = rateLimited(plainText(log));
  const server = createServer(guardRequests((req, res) => handle(pbx, limited, req, res), limited));
  guardServer(server, limited);
  return { server, ...(await listenForControl(server, host, port)) };
}
