/**
 * uaCSTA server benchmark: N simulated phones (a child process) registered and controllable, two CTI clients
 * monitoring every phone's line (one monitor per phone, N lines), then a burst of incoming calls: Delivered events
 * per second delivered to the two clients and their latency from the phone's call model to the client's parsed
 * event (SIP INFO in, CSTA XML decoded, routed, encoded twice, INFO out, 200 OK back). Phones and clients run in
 * child processes of their own, so this process does only the server's work. Beside it, in the same run, a bare
 * TCP forwarder relaying the same bytes (an INFO of the same size) from the phones' process to two sockets in the
 * clients' process, which only cut the stream into messages. And the server's memory per controllable phone.
 * `CHILD_PROF=DIR` writes a CPU profile of the phones' process.
 *
 * Run: npx tsx --expose-gc bench/uacsta.bench.ts [phones] [calls]   (defaults 1,000 and 2,000)
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { encodeEvent } from '../main/protocols/csta-xml';
import { UacstaServer } from '../main/servers/uacsta';

const PHONES = Number(process.argv[2] ?? 1000);
const CALLS = Number(process.argv[3] ?? 2000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (n: number) => `${n.toFixed(2)} ms`;
const at = () => performance.timeOrigin + performance.now();
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  gc();
  return process.memoryUsage();
};

const server = new UacstaServer({
  settings: { phones: { host: '127.0.0.1', tcpPort: 0 }, clients: { host: '127.0.0.1', tcpPort: 0 }, phonePassword: 'phones', clientLogins: [{ user: 'cti', password: 'c' }], autoActivate: true, expirySeconds: 3600, keepAliveSeconds: 600, notifyVendors: [] },
});
await server.start();
const portOf = (i: 'phones' | 'clients') => server.status().listening.find((l) => l.interface === i)!.port;
const m0 = heap();

// ---- N phones register and become controllable ----------------------------------------------------------
let t = performance.now();
const child = fork(new URL('./uacsta-child.ts', import.meta.url), ['127.0.0.1', String(portOf('phones')), String(PHONES)], { execArgv: ['--import', 'tsx', ...(process.env.CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CHILD_PROF}`] : [])] });
const next = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)));
await next<{ ready: number }>();
while (server.phones().filter((p) => p.status === 'controllable').length < PHONES) await new Promise((r) => setTimeout(r, 50));
const registerMs = performance.now() - t;
const m1 = heap();

// ---- two clients (a process of their own) monitor every line -----------------------------------------------
t = performance.now();
const cl = fork(new URL('./uacsta-clients.ts', import.meta.url), [String(portOf('clients')), String(PHONES)], { execArgv: ['--import', 'tsx'] });
const fromClients = <T>() => new Promise<T>((r) => cl.once('message', (m) => r(m as T)));
await fromClients<{ ready: boolean }>();
const monitorMs = performance.now() - t;

// ---- the burst ----------------------------------------------------------------------------------------------
// SERVER_PROF=FILE: a CPU profile of this process (the server) over the burst alone
const prof = process.env.SERVER_PROF ? new Session() : undefined;
if (prof) {
  prof.connect();
  await prof.post('Profiler.enable');
  await prof.post('Profiler.start');
}
const cpu0 = process.cpuUsage();
const burstAt = performance.now();
const collected = fromClients<{ received: Array<[string, number]>; cpuMs: number }>();
cl.send({ collect: CALLS });
// the clients wait for every event; the ones of lost rings never come, so they give up after two minutes
child.send({ burst: CALLS });
const { sent, lost, cpuMs: phonesCpu } = await next<{ sent: Array<[string, number]>; lost: number; cpuMs: number }>();
const { received, cpuMs: clientsCpu } = await collected;
const burstCpu = process.cpuUsage(cpu0);
const burstMs = performance.now() - burstAt;
if (prof) writeFileSync(process.env.SERVER_PROF!, JSON.stringify((await prof.post('Profiler.stop')).profile));
const sentAt = new Map(sent);
const lat = received.filter(([k]) => sentAt.has(k)).map(([k, t1]) => t1 - sentAt.get(k)!);
const first = Math.min(...sent.map(([, t0]) => t0));
const serverRate = lat.length / ((Math.max(...received.map(([, t1]) => t1)) - first) / 1000);

// ---- baseline: a bare TCP forwarder, the same bytes per event ------------------------------------------------
const sample = encodeEvent({ category: 'callControl', name: 'delivered', monitorCrossRefId: '1', connection: { callId: '1', device: { id: 'sip:1000@127.0.0.1' } }, alertingDevice: { id: 'sip:1000@127.0.0.1' }, callingDevice: { id: '0301000000' }, calledDevice: { id: 'sip:1000@127.0.0.1' }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'alerting', cause: 'newCall' }, 'ed5');
const head = (len: number) => `INFO sip:uacsta@127.0.0.1:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK-0000000000;rport\r\nMax-Forwards: 70\r\nFrom: <sip:000413000001@127.0.0.1>;tag=a1b2c3d4\r\nTo: <sip:uacsta@127.0.0.1>;tag=e5f6a7b8\r\nCall-ID: 0123456789abcdef@127.0.0.1\r\nCSeq: 2 INFO\r\nContent-Type: application/csta+xml\r\nContent-Length: ${len}\r\n\r\n`;
const message = head(Buffer.byteLength(sample)) + sample;
const SIZE = Buffer.byteLength(message);
const bareClients: Socket[] = [];
const relay = createServer((phone) => {
  phone.setNoDelay(true);
  let buf = Buffer.alloc(0);
  phone.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    // whole messages only, so two phones' bytes never interleave at a client
    const whole = buf.length - (buf.length % SIZE);
    if (whole === 0) return;
    const out = buf.subarray(0, whole);
    buf = buf.subarray(whole);
    for (const c of bareClients) c.write(out);
  });
});
await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
const fan = createServer((c) => bareClients.push(c.setNoDelay(true)));
await new Promise<void>((r) => fan.listen(0, '127.0.0.1', r));
const connected = fromClients();
cl.send({ bare: (fan.address() as AddressInfo).port, size: SIZE, seqAt: message.indexOf('0000000000') });
await connected;
while (bareClients.length < 2) await new Promise((r) => setTimeout(r, 5));
const bareCollected = fromClients<{ bareReceived: Array<[number, number]> }>();
cl.send({ bareCollect: CALLS });
child.send({ baseline: CALLS, port: (relay.address() as AddressInfo).port, bytes: message });
const base = (await next<{ sent: number[] }>()).sent;
const { bareReceived } = await bareCollected;
const bareLat = bareReceived.map(([i, t1]) => t1 - base[i]).filter((x) => !Number.isNaN(x));
const bareRate = bareLat.length / ((Math.max(...bareReceived.map(([, t1]) => t1)) - Math.min(...base)) / 1000);

cl.kill();
child.send({ stop: true });
await server.close();
relay.close();
fan.close();

console.log(`${PHONES} phones registered and controllable in ${ms(registerMs)}; 2 clients × ${PHONES} lines monitored in ${ms(monitorMs)}`);
console.log(`server memory per controllable phone: heap ${((m1.heapUsed - m0.heapUsed) / PHONES / 1024).toFixed(1)} KiB, RSS ${((m1.rss - m0.rss) / PHONES / 1024).toFixed(1)} KiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`);
console.log(`uaCSTA server: ${lat.length} of ${2 * CALLS} Delivered events to 2 clients${lost ? ` (${lost} rings lost: the server left the phone's INFO unanswered for 32 s)` : ''}, ${serverRate.toFixed(0)} events/s, min ${ms(Math.min(...lat))}, p50 ${ms(pct(lat, 0.5))}, p99 ${ms(pct(lat, 0.99))}`);
console.log(`CPU during the burst (${burstMs.toFixed(0)} ms): server ${((burstCpu.user + burstCpu.system) / 1000).toFixed(0)} ms, phones ${phonesCpu.toFixed(0)} ms, clients ${clientsCpu.toFixed(0)} ms`);
console.log(`bare TCP forwarder, ${SIZE} bytes per event: ${bareLat.length} of ${2 * CALLS} to 2 clients, ${bareRate.toFixed(0)} events/s, p50 ${ms(pct(bareLat, 0.5))}, p99 ${ms(pct(bareLat, 0.99))}`);
console.log(`ratio server / forwarder: throughput ${(serverRate / bareRate).toFixed(2)}x, p99 ${(pct(lat, 0.99) / pct(bareLat, 0.99)).toFixed(1)}x`);
process.exit(lat.length === 2 * CALLS ? 0 : 1);
