// Generators for the fuzz tests of the HTTP and WebSocket servers (serve, the simulators' control APIs).
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';
import { byteMutation, rng } from '../../protocols/csta-ber/testing/mutations';

export { rng } from '../../protocols/csta-ber/testing/mutations';

type Rng = () => number;
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** Values of the wrong type, at the edges of their type, or large: what a hostile client puts in a field. */
export function oddValue(r: Rng): Json {
  switch (Math.floor(r() * 16)) {
    case 0: return null;
    case 1: return pick(r, [true, false]);
    case 2: return pick(r, [0, -1, -0.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324]);
    case 3: return '';
    case 4: return 'x'.repeat(1 + Math.floor(r() * 3000));
    case 5: return pick(r, ['\u0000', '\ud800', '\u2028', '%E0%A4%A', '../../etc/passwd', '<script>', 'ä€😀', '\r\n']);
    case 6: return pick(r, ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
    case 7: return {};
    case 8: return [];
    case 9: {
      // Deep nesting: parsers and validators that recurse must not overflow the stack.
      let v: Json = 1;
      for (let i = Math.floor(r() * 600); i > 0; i--) v = [v];
      return v;
    }
    case 10: return Array.from({ length: Math.floor(r() * 300) }, (_, i) => i);
    case 11: return '9'.repeat(1 + Math.floor(r() * 400));
    case 12: return { __proto__: { polluted: true } } as unknown as Json;
    case 13: return String(Math.floor(r() * 1000));
    case 14: return -Math.floor(r() * 1e6);
    default: return Math.floor(r() * 200);
  }
}

/** Every path to a value inside `v` (the root included as []). */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}

/** One to three changes to a copy of a JSON value: a field replaced by an odd value, removed, or added. */
export function mutateJson(r: Rng, value: Json, keepRoot = true): Json {
  let root = structuredClone(value);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const all = paths(root).filter((p) => !keepRoot || p.length > 0);
    if (all.length === 0) break;
    const path = pick(r, all);
    if (path.length === 0) {
      root = oddValue(r);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k], root) as Record<string, Json> | Json[];
    const key = path[path.length - 1];
    const kind = r();
    if (kind < 0.6) (parent as Record<string, Json>)[key] = oddValue(r);
    else if (kind < 0.8 && !Array.isArray(parent)) delete (parent as Record<string, Json>)[key];
    else if (!Array.isArray(parent)) parent[pick(r, ['extra', '__proto__', 'constructor', 'x'.repeat(300)])] = oddValue(r);
  }
  return root;
}

/** Random bytes; as text or binary, what a client that speaks no JSON at all sends. */
export function junk(r: Rng, max = 200): Buffer {
  return Buffer.from(Array.from({ length: 1 + Math.floor(r() * max) }, () => Math.floor(r() * 256)));
}

/** A copy of the bytes with a few flipped, replaced, inserted, dropped or the tail cut. */
export function mutateBytes(r: Rng, bytes: Buffer): Buffer {
  return Buffer.from(byteMutation(r, bytes));
}

/** One HTTP request on the wire; `last` marks one that may close or take over its connection. */
export interface WireRequest {
  bytes: Buffer;
  last: boolean;
}

export function httpRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const PATH_CHARS = "abcxyz019-._~!$&'()*+,;=:@/%";

/** A path the HTTP parser accepts but the server may not: odd characters, stray or broken percent-escapes. */
export function oddPath(r: Rng, base: string): string {
  switch (Math.floor(r() * 6)) {
    case 0: return base + pick(r, ['%', '%E0%A4%A', '%zz', '%00', '%2e%2e/%2e%2e/etc/passwd', '%C0%AF', '%ff%fe', '?token=%']);
    case 1: return `/${Array.from({ length: Math.floor(r() * 40) }, () => pick(r, [...PATH_CHARS])).join('')}`;
    case 2: return pick(r, ['//', '//x/y', '/..', '/../..', '/./.', '///api', '/api/', '/API']) + (r() < 0.5 ? base : '');
    case 3: return `${base}/${'a'.repeat(Math.floor(r() * 6000))}`;
    case 4: return `${base}?${'q=1&'.repeat(Math.floor(r() * 200))}`;
    default: return base.replace(/\d+/, () => pick(r, ['-1', '0', '99999999999999999999', '1e308', 'NaN', '%31%30%30']));
  }
}

/** Requests that break HTTP itself: the parser answers them (400, 431) and closes their connection. */
export function brokenRequest(r: Rng, valid: Buffer): Buffer {
  switch (Math.floor(r() * 8)) {
    case 0: return junk(r);
    case 1: return mutateBytes(r, valid);
    case 2: return httpRequest('GET', '/', { 'X-Big': 'a'.repeat(20_000) });
    case 3: return Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nContent-Length: ${pick(r, ['-1', 'abc', '1, 2', '99999999999999999999'])}\r\n\r\n`);
    case 4: return Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    case 5: return Buffer.from(`${pick(r, ['GET /\x01 HTTP/1.1', 'GET / HTTP/9.9', 'GET /', ' / HTTP/1.1', 'GET  / HTTP/1.1', 'G\u00e9T / HTTP/1.1', 'BREW / HTTP/1.1'])}\r\nHost: x\r\n\r\n`, 'latin1');
    case 6: return Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n');
    default: return Buffer.from(`GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  }
}

/**
 * Sends the requests on one connection, pipelined, and resolves with the number of responses once the
 * `answerable` first ones are answered and the last one (if it is not answerable) has had a moment for its
 * answer, or the server has closed the connection. A client half-close is not used: the server would drop
 * pipelined requests it had not answered yet. With `reset` the connection is torn down with a TCP reset
 * right after sending, in the middle of whatever is going on.
 */
export function pipeline(port: number, requests: Buffer[], answerable = requests.length, reset = false): Promise<number> {
  return new Promise((resolve) => {
    let got = '';
    let answers = 0;
    let grace: NodeJS.Timeout | undefined;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat(requests));
      if (reset) setImmediate(() => socket.resetAndDestroy());
    });
    socket.setNoDelay(true);
    socket.on('data', (d) => {
      got += d.toString('latin1');
      answers = got.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;
      if (answers >= requests.length) socket.destroy();
      else if (answers >= answerable && !grace) grace = setTimeout(() => socket.destroy(), 20);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(grace);
      resolve(answers);
    });
    socket.setTimeout(5000, () => socket.destroy());
  });
}

export interface HttpFuzzStats {
  sent: number;
  /** Well-formed requests on connections nothing broke, and the answers they got: the two must match. */
  wellFormed: number;
  answered: number;
}

/**
 * One HTTP fuzzing client: sends the batches `batch` makes, each on a new connection, until `count` requests
 * are sent; a few connections are reset right after sending.
 */
export async function httpFuzzClient(port: number, r: Rng, count: number, stats: HttpFuzzStats, batch: () => { requests: Buffer[]; wellFormed: number }) {
  for (let sent = 0; sent < count; ) {
    const { requests, wellFormed } = batch();
    const reset = r() < 0.03;
    const answered = await pipeline(port, requests, wellFormed, reset);
    sent += requests.length;
    stats.sent += requests.length;
    // A broken last request closes the connection at once, dropping answers still being made for earlier ones.
    if (!reset && wellFormed === requests.length) {
      stats.wellFormed += wellFormed;
      stats.answered += answered;
    }
  }
}

/**
 * Runs a fuzzing client module in a worker thread, so the clients' work runs beside the server's instead of
 * taking turns with it; resolves with what the module posts back.
 */
export function inWorker<T>(module: URL, data: Record<string, unknown>): Promise<T> {
  const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...data, module: module.href } });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (result: T) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the fuzzing worker stopped (exit code ${code}) before reporting`)));
  });
}

/**
 * The body of a fuzzing worker: batches of up to 100 well-formed requests from `request` (sometimes a broken one
 * last) over `clients` connections until `count` are sent; posts the stats back.
 */
export async function runFuzzWorker(request: (r: Rng) => Buffer): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { port, seed: first, count, clients } = workerData as { port: number; seed: number; count: number; clients: number };
  const stats = { sent: 0, wellFormed: 0, answered: 0 };
  const batch = (r: Rng) => {
    const requests = Array.from({ length: 1 + Math.floor(r() * 100) }, () => request(r));
    const wellFormed = requests.length;
    if (r() < 0.2) requests.push(brokenRequest(r, requests[0]));
    return { requests, wellFormed };
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => rng(first + i)).map((r) => httpFuzzClient(port, r, Math.ceil(count / clients), stats, () => batch(r))));
  parentPort!.postMessage(stats);
}
