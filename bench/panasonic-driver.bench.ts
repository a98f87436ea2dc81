/**
 * Panasonic driver benchmark: discover and open 10,000 lines from the simulator (GetSwitchingFunctionDevices in
 * segments, then a licence lease and a MonitorStart per line through the instance runtime), wall time and peak
 * memory, beside the bare protocol round trips measured in the same run: the same device-list request and the
 * same 10,000 MonitorStarts sent straight over a CSTA link with the same concurrency. Then a burst of call events
 * through the driver's event path.
 *
 * The bare and the batched open are measured in ROUNDS alternating rounds (the machine's load moves single runs by
 * 2x either way); the verdict on the target (driver within 1.5x of the bare round trips) is the median of the
 * rounds' ratios, each round's bare run and open measured back to back.
 *
 * Run: npx tsx bench/panasonic-driver.bench.ts [lines] [rounds]   (default 10,000 lines, 5 rounds; about a minute)
 */
import { startPanasonicSim } from '../main/sim/panasonic';
import { openLink, PanasonicDriver } from '../main/drivers/panasonic';
import { callControlEventReport, connectionId, decodeApdu, dialingNumber, encodeInvoke, type CstaClient, type InvokeApdu, type SwitchingFunctionDevicesArgument } from '../main/protocols/csta-ber';
import { InstanceRuntime } from '../main/engine/runtime';
import { FileLedger, LicencePool, type Lease } from '../main/engine/licences';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceSchema } from '../shared/model/instance';

const LINES = Number(process.argv[2] ?? 10_000);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 5));
/** The target: opening the lines takes at most this many times the bare protocol round trips. */
const TARGET = 1.5;
/** CPU time of this process (driver and simulator alike) in ms: less moved by other processes' load than wall time. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const bareCpu: number[] = [];
const driverCpu: number[] = [];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const CONCURRENCY = 32;
const first = 10_000;
const range = `${first}-${first + LINES - 1}`;

let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 5);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const resetPeaks = () => {
  global.gc?.();
  const m = process.memoryUsage();
  peakRss = m.rss;
  peakHeap = m.heapUsed;
  return m;
};

const sim = await startPanasonicSim({ port: 0, devices: { extensions: range }, segmentSize: 200 });
const conn = { host: '127.0.0.1', port: sim.tcpPort, tls: false, keepAliveMs: 0, answerTimeoutMs: 30_000 };

const numbers = Array.from({ length: LINES }, (_, i) => String(first + i));
// The bare path speaks BER straight through the link's client: no model, no driver.
async function monitorAll(link: CstaClient, list: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) await link.invoke('monitorStart', { monitorObject: { deviceObject: dialingNumber(list[next++]) }, monitorType: 'device' });
    }),
  );
}

// ---- warm-up (JIT, sockets), so the first measured phase is not penalised
{
  const { session: warm } = await openLink(conn);
  await monitorAll(warm.client, numbers.slice(0, Math.min(2000, LINES)));
  await warm.close();
  await new Promise((r) => setTimeout(r, 200));
}

// ---- baseline: bare round trips over the link, nothing else
let listed = 0;
let bareHeap = 0;
async function bareRound(): Promise<number> {
  resetPeaks();
  const t = performance.now();
  const c = cpuMs();
  const { session: link } = await openLink(conn);
  listed = 0;
  const done = new Promise<void>((resolve) =>
    link.client.on('invoke', (i: InvokeApdu) => {
      if (i.operation !== 'switchingFunctionDevices') return;
      const arg = i.argument as SwitchingFunctionDevicesArgument;
      listed += arg.deviceList.length;
      if (arg.lastSegment) resolve();
    }),
  );
  await link.client.invoke('getSwitchingFunctionDevices', {});
  await done;
  await monitorAll(link.client, numbers);
  const ms = performance.now() - t;
  bareCpu.push(cpuMs() - c);
  await link.close();
  bareHeap = Math.max(bareHeap, peakHeap);
  await new Promise((r) => setTimeout(r, 200));
  return ms;
}
// The first bare run only sets the scale for the per-line-write run below; every round has a bare run of its own.
const firstBareMs = await bareRound();
const bareRuns: number[] = [];
bareCpu.length = 0;

// ---- the driver: discovery, then the runtime opening every line with a lease and a monitor
const before = resetPeaks();
async function discoverRound() {
  const t = performance.now();
  const c = cpuMs();
  const discoveryDriver = new PanasonicDriver(conn);
  await discoveryDriver.connect();
  const found = await discoveryDriver.discover({ readNames: true });
  await discoveryDriver.close();
  return { found, ms: performance.now() - t, cpu: cpuMs() - c };
}
const { found, ms: firstDiscoverMs } = await discoverRound();
const discoverRuns: number[] = [];
const discoverCpu: number[] = [];
await new Promise((r) => setTimeout(r, 200));

const instance = instanceSchema.parse({ family: 'panasonic', id: 'bench', name: 'Bench', connection: { host: '127.0.0.1', port: sim.tcpPort }, lines: found.devices.map((d) => ({ number: d.number, name: d.name })) });
// The licences as the product keeps them: a pool over the file ledger every process of the data directory shares.
const ledgerDir = mkdtempSync(join(tmpdir(), 'lk-bench-ledger-'));
let driver: PanasonicDriver | undefined;
let ledgers = 0;
function runtimeWith(batched: boolean): InstanceRuntime {
  const pool = new LicencePool({ capacity: () => ({ total: LINES }), ledger: new FileLedger(join(ledgerDir, `${batched ? 'batched' : 'single'}-${++ledgers}`)) });
  return new InstanceRuntime('bench', {
    loadInstance: async () => instance,
    settingsOf: async () => conn,
    createDriver: () => (driver = new PanasonicDriver(conn)),
    lease: (id, line) => pool.lease(id, line),
    ...(batched ? { leaseMany: (id: string, lines: string[]) => pool.leaseMany(id, lines), releaseMany: (ls: Lease[]) => void pool.releaseMany(ls) } : {}),
    release: (l) => pool.release(l),
    onStatus: () => {},
    onLineEvent: () => {},
    logger: { error() {}, warn() {}, info() {}, debug() {} },
    timing: { openConcurrency: CONCURRENCY },
  });
}
// Before: a ledger decision and write per line, as each line opens.
const single = runtimeWith(false);
let t2 = performance.now();
const singleStatus = await single.start();
const singleOpenMs = performance.now() - t2;
await single.stop();
await new Promise((r) => setTimeout(r, 200));
// Now: every licence in one decision and one write, then the monitors pipelined; alternating with bare rounds.
const openRuns: number[] = [];
let runtime!: InstanceRuntime;
let status!: Awaited<ReturnType<InstanceRuntime['start']>>;
for (let round = 0; round < ROUNDS; round++) {
  if (round > 0) {
    await runtime.stop();
    await new Promise((r) => setTimeout(r, 200));
  }
  bareRuns.push(await bareRound());
  const d = await discoverRound();
  discoverRuns.push(d.ms);
  discoverCpu.push(d.cpu);
  runtime = runtimeWith(true);
  t2 = performance.now();
  const c = cpuMs();
  status = await runtime.start();
  openRuns.push(performance.now() - t2);
  driverCpu.push(discoverCpu[round] + cpuMs() - c);
  if (status.lines.open !== LINES) break;
}
const bareMs = median(bareRuns);
const openMs = median(openRuns);
const discoverMs = median(discoverRuns);
const driverMs = discoverMs + openMs;
const ratios = openRuns.map((o, i) => (discoverRuns[i] + o) / bareRuns[i]);
const ratio = median(ratios);

// ---- events: calls between open lines, each event decoded and applied to line state
let events = 0;
const tEvents = performance.now();
const CALLS = Math.min(2000, Math.floor(LINES / 2));
for (let i = 0; i < CALLS; i++) {
  const id = sim.placeCall(numbers[2 * i], numbers[2 * i + 1]);
  sim.answerCall(id, numbers[2 * i + 1]);
  sim.clearCall(id);
}
const expected = sim.counters().eventsSent;
while ((driver?.stats().events ?? 0) < expected && performance.now() - tEvents < 30_000) await new Promise((r) => setTimeout(r, 5));
events = driver?.stats().events ?? 0;
const eventsMs = performance.now() - tEvents;
await runtime.stop();
await sim.close();
rmSync(ledgerDir, { recursive: true, force: true });
clearInterval(sampler);

// ---- why the driver decodes events with the lean BER engine: one Delivered report, both engines
const delivered = encodeInvoke(
  'cSTAEventReport',
  7,
  callControlEventReport('00000001', 'delivered', {
    connection: connectionId('0012', dialingNumber('10001')),
    alertingDevice: { deviceIdentifier: dialingNumber('10001') },
    callingDevice: { deviceIdentifier: dialingNumber('10000') },
    calledDevice: { deviceIdentifier: dialingNumber('10001') },
    lastRedirectionDevice: { notKnown: null },
    localConnectionInfo: 'alerting',
    cause: 'newCall',
  }),
);
const decodeRate = (engine: 'lean' | 'asn1js') => {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 1000) {
    for (let i = 0; i < 200; i++) decodeApdu(delivered, { engine });
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
};
const leanRate = decodeRate('lean');
const asn1Rate = decodeRate('asn1js');

console.log(`Panasonic driver, ${LINES} lines from the simulator (concurrency ${CONCURRENCY})`);
console.log(`  bare round trips  : device list (${listed}) + ${LINES} MonitorStart  ${bareMs.toFixed(0)} ms (median of ${bareRuns.map((x) => x.toFixed(0)).join(', ')})   peak heap ${mb(bareHeap)}`);
console.log(`  driver discovery  : ${found.devices.length} lines via ${found.method}  ${discoverMs.toFixed(0)} ms (median of ${discoverRuns.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  runtime open, a ledger write per line (before): ${singleStatus.lines.open} of ${singleStatus.lines.total} open  ${singleOpenMs.toFixed(0)} ms  (with discovery ${(firstDiscoverMs + singleOpenMs).toFixed(0)} ms, ${((firstDiscoverMs + singleOpenMs) / firstBareMs).toFixed(2)}x the first bare run)`);
console.log(`  runtime open      : ${status.lines.open} of ${status.lines.total} open (leases in one ledger write + monitors)  ${openMs.toFixed(0)} ms (median of ${openRuns.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  driver total      : ${driverMs.toFixed(0)} ms   peak RSS ${mb(peakRss)}, peak heap ${mb(peakHeap)} (heap before ${mb(before.heapUsed)})`);
console.log(`  ratio driver/bare : ${ratio.toFixed(2)} (median of the rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
const cpuRatios = driverCpu.map((d, i) => d / bareCpu[i]);
console.log(`  CPU time ratio    : ${median(cpuRatios).toFixed(2)} (rounds ${cpuRatios.map((r) => r.toFixed(2)).join(', ')}; driver ${median(driverCpu).toFixed(0)} ms, bare ${median(bareCpu).toFixed(0)} ms, simulator included)`);
console.log(`  call events       : ${events} of ${expected} events in ${eventsMs.toFixed(0)} ms (${Math.round((events / eventsMs) * 1000)}/s, simulator included)`);
console.log(`  event decode      : lean ${Math.round(leanRate)}/s, asn1js ${Math.round(asn1Rate)}/s (${(leanRate / asn1Rate).toFixed(1)}x) for a ${delivered.length}-byte Delivered report`);
console.log(`  target ≤ ${TARGET}x bare : ${ratio <= TARGET ? 'MET' : 'NOT MET'} (median ratio ${ratio.toFixed(2)}x; ${ratios.filter((r) => r <= TARGET).length} of ${ratios.length} rounds within it)`);
if (status.lines.open !== LINES || singleStatus.lines.open !== LINES || found.devices.length !== LINES) {
  console.error('benchmark did not open every line');
  process.exit(1);
}
