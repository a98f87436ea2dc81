// The fuzzing client of control-api.fuzz.test.ts, run in a worker thread: raw HTTP requests to the control API.
import { parentPort, workerData } from 'node:worker_threads';
import { brokenRequest, httpFuzzClient, httpRequest, mutateJson, oddPath, oddValue, pick, rng, type Json } from '../../../web/testing/fuzz';

const DEVICES = ['100', '101', '102', '103', '104', '105', '0301234', '999'];
const CALLS = ['0001', '0002', '0003', '0004', '0005', '1', '0', 'x'];

/** Valid requests for every route, with devices and calls picked at random; the fuzzer mutates them. */
function seed(r: () => number): { method: string; path: string; body?: Json } {
  const d = () => pick(r, DEVICES);
  const c = () => pick(r, CALLS);
  return pick(r, [
    () => ({ method: 'GET', path: '/status' }),
    () => ({ method: 'GET', path: '/counters' }),
    () => ({ method: 'GET', path: `/devices?offset=${Math.floor(r() * 10)}&limit=${Math.floor(r() * 5)}` }),
    () => ({ method: 'GET', path: `/devices/${d()}` }),
    () => ({ method: 'GET', path: '/calls' }),
    () => ({ method: 'GET', path: '/cdr' }),
    () => ({ method: 'GET', path: '/faults' }),
    () => ({ method: 'POST', path: `/devices/${d()}/service`, body: { inService: r() < 0.8 } }),
    () => ({ method: 'POST', path: `/devices/${d()}/dnd`, body: { on: r() < 0.3 } }),
    () => ({ method: 'POST', path: `/devices/${d()}/forwarding`, body: { type: pick(r, ['forwardImmediate', 'forwardBusy', 'forwardNoAns']), on: r() < 0.5, to: d() } }),
    () => ({ method: 'POST', path: `/devices/${d()}/digits`, body: { digits: '12#' } }),
    () => ({ method: 'POST', path: '/calls', body: { from: d(), to: d() } }),
    () => ({ method: 'POST', path: '/calls', body: { from: d(), to: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/answer`, body: { device: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/hold`, body: { device: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/retrieve`, body: { device: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/clear`, body: r() < 0.5 ? {} : { device: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/divert`, body: { device: d(), to: d() } }),
    () => ({ method: 'POST', path: `/calls/${c()}/pickup`, body: { device: d(), by: d() } }),
    () => ({ method: 'POST', path: '/transfer', body: { device: d(), heldCall: c(), activeCall: c() } }),
    () => ({ method: 'POST', path: '/conference', body: { device: d(), heldCall: c(), activeCall: c() } }),
    () => ({ method: 'POST', path: '/faults', body: { stopAnswering: false, answerDelayMs: 0 } }),
    () => ({ method: 'POST', path: '/faults/drop-link' }),
    () => ({ method: 'POST', path: '/faults/malformed-frame' }),
  ])();
}

/** A well-formed request: a valid one, or one with a mutated body, an odd path or method, or a body of the wrong kind. */
function request(r: () => number): Buffer {
  const s = seed(r);
  const kind = r();
  if (kind < 0.3) return httpRequest(s.method, s.path, { 'Content-Type': 'application/json' }, s.body === undefined ? '' : JSON.stringify(s.body));
  if (kind < 0.65) return httpRequest(s.method, s.path, {}, JSON.stringify(mutateJson(r, s.body ?? {}, false)));
  if (kind < 0.8) return httpRequest(s.method, oddPath(r, s.path), {}, s.body === undefined ? '' : JSON.stringify(s.body));
  if (kind < 0.9) return httpRequest(pick(r, ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']), s.path, {}, r() < 0.5 ? '' : JSON.stringify(oddValue(r)));
  // Now and then a body over the 64 KiB limit (413).
  if (kind < 0.905) return httpRequest('POST', s.path, {}, 'x'.repeat(70_000));
  return httpRequest('POST', s.path, {}, pick(r, ['{', '[1,2', 'null', '"x"', '{"a":1}}', '\u0000', JSON.stringify(oddValue(r))]));
}

/** A connection's worth: up to 100 well-formed requests, sometimes a broken one last. */
function batch(r: () => number): { requests: Buffer[]; wellFormed: number } {
  const requests = Array.from({ length: 1 + Math.floor(r() * 100) }, () => request(r));
  const wellFormed = requests.length;
  if (r() < 0.2) requests.push(brokenRequest(r, requests[0]));
  return { requests, wellFormed };
}

const { port, seed: first, count, clients } = workerData as { port: number; seed: number; count: number; clients: number };
const stats = { sent: 0, wellFormed: 0, answered: 0 };
await Promise.all(Array.from({ length: clients }, (_, i) => rng(first + i)).map((r) => httpFuzzClient(port, r, Math.ceil(count / clients), stats, () => batch(r))));
parentPort!.postMessage(stats);
