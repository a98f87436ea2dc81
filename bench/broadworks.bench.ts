/**
 * BroadWorks driver benchmark: 5,000 users in server mode against the simulator (in a child process) — read the
 * group directory and open every line, then a burst of incoming calls: events per second and p99 latency from the
 * platform's call model to the driver's line event (streamed, parsed, mapped and acknowledged). Beside it, in the
 * same run, the bare HTTP streaming of the same event documents from the same child: the client only finds where
 * each document ends.
 *
 * The driver runs twice: Xsi over HTTP (the events on the streamed channel, each event response a POST), then
 * over the CTI socket (events, event responses and requests on one socket).
 *
 * Run: npx tsx bench/broadworks.bench.ts [users] [calls]   (defaults 5,000 and 2,000; well under a minute)
 */
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { BroadWorksDriver } from '../main/drivers/broadworks/broadworks-driver';
import type { DriverLineEvent } from '../main/drivers';

const USERS = Number(process.argv[2] ?? 5000);
const CALLS = Number(process.argv[3] ?? 2000);
const CONCURRENCY = 32;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (n: number) => `${n.toFixed(2)} ms`;
const at = () => performance.timeOrigin + performance.now();

const child = fork(new URL('./broadworks-child.ts', import.meta.url), [String(USERS)], { execArgv: ['--import', 'tsx'] });
const next = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)));
const { port, ctiPort, bare, admin } = await next<{ port: number; ctiPort: number; bare: number; admin: { userId: string; password: string } }>();

/** Reads and opens every line, then a burst of incoming calls: the driver's events per second and p99 latency. */
async function driverRun(label: string, cti: boolean): Promise<{ rate: number; p99: number }> {
  const driver = new BroadWorksDriver({ host: '127.0.0.1', port: cti ? ctiPort : port, xsiPort: port, cti, tls: false, user: admin.userId, password: admin.password, scope: 'server', urlPrefix: '', groupUser: '2000@sim.test', lineNameFormat: 'standard', answerTimeoutMs: 60_000 });
  let t = performance.now();
  await driver.connect();
  const found = await driver.discover({ readNames: true });
  const discoverMs = performance.now() - t;
  t = performance.now();
  const queue = [...found.devices];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await driver.monitorStart({ key: d.userId!, number: d.number, userId: d.userId });
    }),
  );
  console.log(`${label}: ${found.devices.length} lines read in ${ms(discoverMs)}, opened in ${ms(performance.now() - t)}`);
  const arrived = new Map<string, number>();
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  driver.onEvent((e: DriverLineEvent) => {
    if (e.event !== 'delivered' || !e.callId) return;
    arrived.set(e.callId, at());
    if (arrived.size === CALLS) done();
  });
  child.send({ burst: CALLS });
  const { sent } = await next<{ sent: [string, number][] }>();
  await all;
  const lat = sent.map(([id, s]) => arrived.get(id)! - s);
  const rate = (CALLS * 1000) / (Math.max(...arrived.values()) - sent[0][1]);
  await driver.close();
  return { rate, p99: pct(lat, 0.99) };
}

const http = await driverRun('Xsi over HTTP', false);
const cti = await driverRun('CTI socket', true);
const driverRate = http.rate;
const driverP99 = http.p99;

// ---- baseline: the same documents over bare HTTP streaming -------------------------------------------------------
const seen: number[] = [];
let baseDone!: () => void;
const baseAll = new Promise<void>((r) => (baseDone = r));
await new Promise<void>((ready) => {
  const req = request({ host: '127.0.0.1', port: bare, method: 'POST', path: '/channel' }, (res) => {
    res.setEncoding('utf8');
    let tail = '';
    res.on('data', (chunk: string) => {
      const text = tail + chunk;
      let from = 0;
      for (let i = text.indexOf('</xsi:Event>'); i >= 0; i = text.indexOf('</xsi:Event>', from)) {
        seen.push(at());
        from = i + 12;
      }
      tail = text.slice(from);
      if (seen.length === CALLS) baseDone();
    });
    ready();
  });
  req.on('socket', (s) => s.setNoDelay(true));
  req.end('<Channel/>');
});
child.send({ baseline: CALLS });
const base = await next<{ sent: number[] }>();
await baseAll;
const baseLat = base.sent.map((s, i) => seen[i] - s);
const baseRate = (CALLS * 1000) / (seen[CALLS - 1] - base.sent[0]);
const baseP99 = pct(baseLat, 0.99);
child.send({ stop: true });

console.log(`burst of ${CALLS} calls through the driver (Xsi over HTTP): ${driverRate.toFixed(0)} events/s, p99 ${ms(driverP99)}`);
console.log(`burst of ${CALLS} calls through the driver (CTI socket): ${cti.rate.toFixed(0)} events/s, p99 ${ms(cti.p99)}`);
console.log(`bare HTTP streaming of the same documents: ${baseRate.toFixed(0)} events/s, p99 ${ms(baseP99)}`);
console.log(`ratio driver / bare: throughput ${(driverRate / baseRate).toFixed(3)}, p99 latency ${(driverP99 / baseP99).toFixed(1)}x`);
process.exit(0);
