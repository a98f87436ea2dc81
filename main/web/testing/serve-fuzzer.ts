// The fuzzing clients of server.fuzz.test.ts, run in a worker thread: WebSocket messages or raw HTTP requests.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { brokenRequest, httpFuzzClient, httpRequest, junk, mutateBytes, mutateJson, oddPath, oddValue, pick, rng, type Json } from './fuzz';

type Target = { port: number; token: string };
type Seed = { method: string; input: Json };
/** Valid calls of methods that change nothing; the fuzzer mutates them. These work in memory only. */
const SEEDS: Seed[] = [
  { method: 'app.info', input: {} },
  { method: 'log.recent', input: { limit: 5, minLevel: 'warn' } },
  { method: 'mux.status', input: {} },
  { method: 'demo.status', input: {} },
  { method: 'rules.check', input: { rules: [{ search: '^0(\\d+)$', replace: '+49$1' }], input: '0301234' } },
  { method: 'rules.lint', input: { rules: [{ search: '^(1\\d\\d)$', replace: '$1' }, { search: '.*', replace: 'x', mode: 'regex' }] } },
  { method: 'rules.validatePattern', input: { pattern: '^(\\d{3})[-/]?(\\d+)$' } },
  { method: 'location.parse', input: { text: '+49 89 1234-100', location: { ranges: '100-199', useLocation: true, location: '49(89)1234' } } },
  { method: 'location.validate', input: { location: { ranges: '100-199, 300', location: '49(89)1234' } } },
  { method: 'location.format', input: { location: { ranges: '100-199' }, extensions: ['100', '150', '999'] } },
  { method: 'sipfilter.check', input: { filter: { mode: 'rules', rules: [{ kind: 'nameRegex', pattern: '^SIP' }, { kind: 'numberContains', pattern: '20' }] }, name: 'SIP 200', number: '200' } },
];
/** These read the data directory, so they cost a file access each and are picked less often. */
const STORED_SEEDS: Seed[] = [
  { method: 'log.settings', input: {} },
  { method: 'settings.get', input: {} },
  { method: 'instances.list', input: {} },
  { method: 'instances.get', input: { id: 'no-such-instance' } },
  { method: 'lines.list', input: { instanceId: 'no-such-instance' } },
  { method: 'driver.status', input: { instanceId: 'no-such-instance' } },
  { method: 'line.status', input: { instanceId: 'no-such-instance', line: '100' } },
  { method: 'licences.status', input: {} },
];
const METHOD_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'app', 'app.info.', 'APP.INFO', 'x'.repeat(500)];

type Message = { text: string | Buffer; binary?: boolean; mayClose: boolean };

/** One WebSocket message: a valid call, a mutated one, JSON that is no call, text that is no JSON, or bytes. */
function message(r: () => number, id: number): Message {
  const seed = pick(r, r() < 0.15 ? STORED_SEEDS : SEEDS);
  const kind = r();
  if (kind < 0.2) return { text: JSON.stringify({ id, ...seed }), mayClose: false };
  if (kind < 0.75) return { text: JSON.stringify(mutateJson(r, { id, ...seed })), mayClose: false };
  if (kind < 0.9) {
    const method = r() < 0.5 ? pick(r, METHOD_NAMES) : oddValue(r);
    return { text: JSON.stringify({ id: r() < 0.5 ? id : oddValue(r), method, input: r() < 0.5 ? seed.input : oddValue(r) }), mayClose: false };
  }
  if (kind < 0.91) return { text: JSON.stringify({ id, method: seed.method, input: seed.input, pad: 'x'.repeat(workerData.maxPayload as number) }), mayClose: true };
  if (kind < 0.96) return { text: mutateBytes(r, Buffer.from(JSON.stringify({ id, ...seed }))), mayClose: true };
  if (kind < 0.98) return { text: JSON.stringify(oddValue(r)), mayClose: true };
  return { text: junk(r), binary: r() < 0.5, mayClose: true };
}

function open(server: Target): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

/**
 * One client sending `count` messages in batches: calls that are always answered, then at most one that may
 * close the socket, then a probe. Waits for the probe's answer or the close (then connects again).
 */
async function wsClient(server: Target, r: () => number, count: number, stats: { sent: number; closes: number; replies: number }) {
  let ws = await open(server);
  let nextId = 1;
  for (let sent = 0; sent < count; ) {
    const batch: Message[] = [];
    for (let n = 1 + Math.floor(r() * 60); n > 0; n--) {
      const m = message(r, nextId++);
      batch.push(m);
      if (m.mayClose) break;
    }
    const probeId = `probe-${nextId++}`;
    const settled = new Promise<'answered' | 'closed'>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        stats.replies++;
        if (String(data).startsWith(`{"id":"${probeId}"`)) done('answered');
      };
      const onClose = () => done('closed');
      const done = (how: 'answered' | 'closed') => {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(how);
      };
      ws.on('message', onMessage);
      ws.on('close', onClose);
    });
    for (const m of batch) ws.send(m.text, { binary: m.binary ?? false });
    ws.send(JSON.stringify({ id: probeId, method: 'app.info', input: {} }));
    sent += batch.length + 1;
    stats.sent += batch.length + 1;
    if ((await settled) === 'closed') {
      stats.closes++;
      ws = await open(server);
    }
  }
  ws.close();
}

const STATIC_PATHS = ['/', '/index.html', '/assets/app.js', '/health', '/api', '/instances/a/lines', '/favicon.ico'];

/** One HTTP connection's worth of requests: well-formed ones with odd methods, paths and headers, maybe one broken last. */
function httpBatch(r: () => number, token: string): { requests: Buffer[]; wellFormed: number } {
  const requests: Buffer[] = [];
  for (let n = 1 + Math.floor(r() * 100); n > 0; n--) {
    const base = pick(r, STATIC_PATHS);
    const path = r() < 0.5 ? base : oddPath(r, base);
    const method = pick(r, ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
    const headers: Record<string, string> = r() < 0.3 ? { Origin: pick(r, ['http://evil.example', 'null', '%%%', 'http://127.0.0.1']), 'X-Odd': String(oddValue(r)).slice(0, 200).replace(/[^\x20-\x7e]/g, '?') } : {};
    requests.push(httpRequest(method, path, headers, method === 'POST' || method === 'PUT' ? JSON.stringify(mutateJson(r, { id: 1, method: 'app.info', input: {} })) : ''));
  }
  const wellFormed = requests.length;
  const tail = r();
  if (tail < 0.25) requests.push(brokenRequest(r, requests[0]));
  else if (tail < 0.35) {
    // An upgrade takes the connection over: with or without the token, with a bad key, from another origin.
    const target = pick(r, [`/api?token=${token}`, '/api', `/api?token=${token}x`, `//x/api?token=${token}`, '/%E0%A4%A', '*']);
    requests.push(httpRequest('GET', target, { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': pick(r, ['13', '8', 'x']), 'Sec-WebSocket-Key': pick(r, ['dGhlIHNhbXBsZSBub25jZQ==', 'short', '']), ...(r() < 0.3 ? { Origin: 'http://evil.example' } : {}) }));
  }
  return { requests, wellFormed };
}

const { kind, port, token, seed, count, clients } = workerData as { kind: 'ws' | 'http'; port: number; token: string; seed: number; count: number; clients: number };
const seeds = Array.from({ length: clients }, (_, i) => seed + i);
if (kind === 'ws') {
  const stats = { sent: 0, closes: 0, replies: 0 };
  await Promise.all(seeds.map((s) => wsClient({ port, token }, rng(s), Math.ceil(count / clients), stats)));
  parentPort!.postMessage(stats);
} else {
  const stats = { sent: 0, wellFormed: 0, answered: 0 };
  await Promise.all(seeds.map((s) => rng(s)).map((r) => httpFuzzClient(port, r, Math.ceil(count / clients), stats, () => httpBatch(r, token))));
  parentPort!.postMessage(stats);
}
