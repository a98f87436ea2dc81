/**
 * uaCSTA server benchmark: N simulated phones (a child process) registered and controllable, two CTI clients
 * monitoring every phone's line (one monitor per phone, N lines), then a burst of incoming calls: Delivered events
 * per second delivered to the two clients and their latency from the phone's call model to the client's parsed
 * event (SIP INFO in, CSTA XML decoded, routed, encoded twice, INFO out, 200 OK back). Beside it, in the same run, a
 * bare TCP forwarder relaying the same bytes (an INFO of the same size) from the phones' side to two client
 * sockets, which only cut the stream into messages. And the server's memory per controllable phone.
 *
 * Run: npx tsx --expose-gc bench/uacsta.bench.ts [phones] [calls]   (defaults 1,000 and 2,000)
 */
import { fork } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CstaEvent } from '../main/protocols/csta/model';
import { encodeEvent, openCstaDialog } from '../main/protocols/csta-xml';
import { SipEndpoint } from '../main/protocols/sip';
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
const child = fork(new URL('./uacsta-child.ts', import.meta.url), ['127.0.0.1', String(portOf('phones')), String(PHONES)], { execArgv: ['--import', 'tsx'] });
const next = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)));
await next<{ ready: number }>();
while (server.phones().filter((p) => p.status === 'controllable').length < PHONES) await new Promise((r) => setTimeout(r, 50));
const registerMs = performance.now() - t;
const m1 = heap();

// ---- two clients monitor every line ------------------------------------------------------------------------
async function client(name: string) {
  const ep = await SipEndpoint.start({ user: name, credentials: { user: 'cti', password: 'c' } });
  const s = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${portOf('clients')};transport=tcp`, invokeTimeoutMs: 60_000 });
  const received = new Map<string, number>();
  let inService = 0;
  s.onEvent((e: CstaEvent) => {
    if (e.name === 'backInService') inService++;
    if (e.name === 'delivered') received.set(`${(e.connection.device as { id: string }).id}|${e.connection.callId}`, at());
  });
  return { ep, s, received, inService: () => inService };
}
const clients = [await client('cti-a'), await client('cti-b')];
t = performance.now();
for (const c of clients) {
  const numbers = Array.from({ length: PHONES }, (_, i) => String(1000 + i));
  await Promise.all(Array.from({ length: 32 }, async () => { for (let n = numbers.shift(); n; n = numbers.shift()) await c.s.invoke('monitorStart', { monitorObject: { device: { id: n } } }); }));
}
while (clients.some((c) => c.inService() < PHONES)) await new Promise((r) => setTimeout(r, 20));
const monitorMs = performance.now() - t;

// ---- the burst ----------------------------------------------------------------------------------------------
child.send({ burst: CALLS });
const { sent } = await next<{ sent: Array<[string, number]> }>();
const deadline = Date.now() + 120_000;
while (clients.some((c) => c.received.size < CALLS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
const lat: number[] = [];
let last = 0;
for (const c of clients) for (const [key, t0] of sent) {
  const t1 = c.received.get(key);
  if (t1 !== undefined) {
    lat.push(t1 - t0);
    last = Math.max(last, t1);
  }
}
const first = Math.min(...sent.map(([, t0]) => t0));
const serverRate = lat.length / ((last - first) / 1000);

// ---- baseline: a bare TCP forwarder, the same bytes per event ------------------------------------------------
const sample = encodeEvent({ category: 'callControl', name: 'delivered', monitorCrossRefId: '1', connection: { callId: '1', device: { id: 'sip:1000@127.0.0.1' } }, alertingDevice: { id: 'sip:1000@127.0.0.1' }, callingDevice: { id: '0301000000' }, calledDevice: { id: 'sip:1000@127.0.0.1' }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'alerting', cause: 'newCall' }, 'ed5');
const head = (len: number) => `INFO sip:uacsta@127.0.0.1:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK-0000000000;rport\r\nMax-Forwards: 70\r\nFrom: <sip:000413000001@127.0.0.1>;tag=a1b2c3d4\r\nTo: <sip:uacsta@127.0.0.1>;tag=e5f6a7b8\r\nCall-ID: 0123456789abcdef@127.0.0.1\r\nCSeq: 2 INFO\r\nContent-Type: application/csta+xml\r\nContent-Length: ${len}\r\n\r\n`;
const message = head(Buffer.byteLength(sample)) + sample;
const SIZE = Buffer.byteLength(message);
const bareClients: Socket[] = [];
const bareReceived: number[][] = [[], []];
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
for (const [i] of bareReceived.entries()) {
  const s = connect((fan.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  let buf = Buffer.alloc(0);
  const seqAt = message.indexOf('0000000000');
  s.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    while (buf.length >= SIZE) {
      bareReceived[i][Number(buf.toString('latin1', seqAt, seqAt + 10))] = at();
      buf = buf.subarray(SIZE);
    }
  });
}
while (bareClients.length < 2) await new Promise((r) => setTimeout(r, 5));
child.send({ baseline: CALLS, port: (relay.address() as AddressInfo).port, bytes: message });
const base = (await next<{ sent: number[] }>()).sent;
while (bareReceived.some((r) => r.filter(Boolean).length < CALLS) && Date.now() < deadline + 60_000) await new Promise((r) => setTimeout(r, 10));
const bareLat = bareReceived.flatMap((r) => base.map((t0, i) => r[i] - t0)).filter((x) => !Number.isNaN(x));
const bareRate = bareLat.length / ((Math.max(...bareReceived.flat()) - Math.min(...base)) / 1000);

child.send({ stop: true });
for (const c of clients) await c.s.close().catch(() => undefined);
await server.close();
relay.close();
fan.close();

console.log(`${PHONES} phones registered and controllable in ${ms(registerMs)}; 2 clients × ${PHONES} lines monitored in ${ms(monitorMs)}`);
console.log(`server memory per controllable phone: heap ${((m1.heapUsed - m0.heapUsed) / PHONES / 1024).toFixed(1)} KiB, RSS ${((m1.rss - m0.rss) / PHONES / 1024).toFixed(1)} KiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`);
console.log(`uaCSTA server: ${lat.length} of ${2 * CALLS} Delivered events to 2 clients, ${serverRate.toFixed(0)} events/s, p50 ${ms(pct(lat, 0.5))}, p99 ${ms(pct(lat, 0.99))}`);
console.log(`bare TCP forwarder, ${SIZE} bytes per event: ${bareLat.length} of ${2 * CALLS} to 2 clients, ${bareRate.toFixed(0)} events/s, p50 ${ms(pct(bareLat, 0.5))}, p99 ${ms(pct(bareLat, 0.99))}`);
console.log(`ratio server / forwarder: throughput ${(serverRate / bareRate).toFixed(2)}x, p99 ${(pct(lat, 0.99) / pct(bareLat, 0.99)).toFixed(1)}x`);
process.exit(lat.length === 2 * CALLS ? 0 : 1);
