// The fleet's loopback control API (JSON), like the Panasonic simulator's: list the phones, ring one from an
// outside number, answer and hang up its calls, and the faults (stop answering, drop the connection, unplug,
// plug in again). Routes are listed in docs/uacsta.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { plainText, rateLimited, type PeerLog } from '../../log/rate-limit';
import { BadRequest, guardRequests, guardServer } from '../../web/http-guard';
import { answerControl, listenForControl } from '../shared/control-http';
import type { SimExchange, SimSipPhone } from './phone';

type Json = Record<string, unknown>;

/** A phone's SIP or CSTA side failed (the server did not answer, say): not the request's fault. */
class PhoneFailed extends Error {}

export function describePhone(p: SimSipPhone) {
  return {
    mac: p.mac,
    vendor: p.vendor,
    userAgent: p.userAgent,
    identities: p.identities,
    registered: p.registered,
    controlled: p.controlled,
    monitors: p.monitors.size,
    unresponsive: p.unresponsive,
    doNotDisturb: p.doNotDisturb,
    // the linked legs name their phone by MAC (the objects link back to each other)
    calls: [...p.calls.values()].map((c) => ({ id: c.id, device: c.device, peer: c.peer, direction: c.direction, state: c.state, with: c.links.map((l) => l.phone.mac) })),
  };
}

const NUMBER = /^(sips?:)?[\w.+*#-]{1,32}(@[\w.:-]{1,64})?$/;

function number(body: Json, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || !NUMBER.test(v)) throw new BadRequest(400, `"${key}" must be a number or SIP device ID`);
  return v;
}

async function onPhone<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new PhoneFailed(`${what}: ${(e as Error).message}`);
  }
}

async function answer(exchange: SimExchange, method: string, path: string, body: Json): Promise<unknown> {
  const phones = exchange.list();
  if (method === 'GET' && path === '/status') {
    return { phones: phones.length, registered: phones.filter((p) => p.registered).length, controlled: phones.filter((p) => p.controlled).length, calls: phones.reduce((n, p) => n + p.calls.size, 0) };
  }
  if (method === 'GET' && path === '/phones') return { phones: phones.map(describePhone) };
  if (method === 'POST' && path === '/calls') {
    // a call from outside (or from another phone's number, as an outside party would dial it) rings the phone of `to`
    const to = number(body, 'to');
    const from = body.from === undefined ? '0301234567' : number(body, 'from');
    const phone = exchange.find(to);
    if (!phone) throw new BadRequest(404, `no simulated phone has the number ${to}`);
    return { mac: phone.mac, callId: await onPhone('ring', () => phone.ring(from)) };
  }
  const m = /^\/phones\/([0-9a-fA-F]{12})(\/.*)?$/.exec(path);
  if (!m) throw new BadRequest(404, `no route ${method} ${path.slice(0, 100)}`);
  const phone = phones.find((p) => p.mac === m[1].toLowerCase());
  if (!phone) throw new BadRequest(404, `no simulated phone ${m[1]}`);
  const rest = m[2] ?? '';
  if (method === 'GET' && rest === '') return describePhone(phone);
  const c = /^\/calls\/(\d{1,9})\/(answer|hangup)$/.exec(rest);
  if (method === 'POST' && c) {
    const call = phone.calls.get(c[1]);
    if (!call) throw new BadRequest(404, `phone ${phone.mac} has no call ${c[1]}`);
    if (c[2] === 'answer') {
      if (call.state === 'connected' || call.state === 'held') throw new BadRequest(409, `call ${c[1]} is ${call.state} already`);
      await onPhone('answer', () => phone.connect(call.id));
    } else await onPhone('hang up', () => phone.hangup(call.id));
    return describePhone(phone);
  }
  if (method === 'POST' && rest === '/faults') {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'unresponsive' && typeof v === 'boolean') phone.unresponsive = v;
      else throw new BadRequest(400, `unknown fault or bad value "${k.slice(0, 32)}" (unresponsive: true or false; POST …/drop-connection, …/unplug, …/plug for the others)`);
    }
    return describePhone(phone);
  }
  if (method === 'POST' && rest === '/drop-connection') await onPhone('drop the connection', () => phone.dropConnection());
  else if (method === 'POST' && rest === '/unplug') await onPhone('unplug', () => phone.unplug());
  else if (method === 'POST' && rest === '/plug') await onPhone('register', () => phone.keepRegistered());
  else throw new BadRequest(404, `no route ${method} ${path.slice(0, 100)}`);
  return describePhone(phone);
}

function handle(exchange: SimExchange, log: PeerLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerControl(req, res, log, (path, body) => answer(exchange, req.method ?? '', path, body), (e) => (e instanceof PhoneFailed ? { status: 502, code: 'PHONE_FAILED', message: e.message } : undefined));
}

/** Starts the control API on host:port (0: a free port); refused and failed requests are logged rate-limited. */
export async function startFleetControl(exchange: SimExchange, host: string, port: number, logger: { warn(m: string): void; error(m: string): void } = { warn() {}, error() {} }): Promise<{ server: Server; port: number; url: string; close(): Promise<void> }> {
  const log = rateLimited(plainText(logger));
  const server = createServer(guardRequests((req, res) => handle(exchange, log, req, res), log));
  guardServer(server, log);
  return {
    server,
    ...(await listenForControl(server, host, port)),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
