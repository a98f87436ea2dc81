// CSTA multiplexer fan-out: 1,000 connected applications all monitoring one device. Measures events fanned out
// per second, delivery latency p50/p99 and memory per connected application, beside a baseline from the same run:
// a relay that writes the PBX's bytes straight to 1,000 sockets (no login, no routing, no rewriting).
// The server under test runs in a child process (bench/mux-child.ts), so its memory is its own.
// Run: npx tsx bench/mux.bench.ts   (about 30-60 s)
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { buildAarq, encodeApdu, encodeInvoke, frameOf } from '../main/protocols/csta-ber';
import { startFakePbx, type FakePbx } from '../main/servers/mux/testing/pbx';

const APPS = Number(process.env.MUX_BENCH_APPS ?? 1000);
const LATENCY_EVENTS = 100;
const BLAST_EVENTS = Number(process.env.MUX_BENCH_BURST ?? 300);

interface Child {
  proc: ChildProcessWithoutNullStreams;
  port: number;
  mem(): Promise<NodeJS.MemoryUsage>;
}

async function startChild(mode: 'mux' | 'relay', pbxPort: number): Promise<Child> {
  const proc = spawn(process.execPath, [...(process.env.MUX_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/muxprof'] : []), '--expose-gc', '--import', 'tsx', 'bench/mux-child.ts', mode, String(pbxPort)], { stdio: 'pipe' });
  proc.stderr.on('data', (d) => process.stderr.write(d));
  const lines: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  let buf = '';
  proc.stdout.on('data', (d) => {
    buf += String(d);
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = () => new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : waiters.push(resolve)));
  const ready = await next();
  return {
    proc,
    port: Number(ready.split(' ')[1]),
    async mem() {
      proc.stdin.write('mem\n');
      return JSON.parse((await next()).slice(4)) as NodeJS.MemoryUsage;
    },
  };
}

/** One application: counts whole frames, and the arrival time of every event frame after `arm()`. */
class App {
  frames = 0;
  armedAt = -1;
  arrivals: number[] = [];
  private pending: Buffer = Buffer.alloc(0);
  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const now = performance.now();
      const b: Buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : (chunk as Buffer);
      let p = 0;
      while (b.length - p >= 2) {
        const len = b.readUInt16BE(p);
        if (b.length - p - 2 < len) break;
        this.frames++;
        if (this.armedAt >= 0) this.arrivals.push(now);
        p += 2 + len;
      }
      this.pending = b.subarray(p);
    });
  }
  arm(): void {
    this.armedAt = this.frames;
    this.arrivals = [];
  }
}

async function connectApps(port: number, n: number, login: boolean): Promise<App[]> {
  const aarq = frameOf(encodeApdu({ kind: 'aarq', ...buildAarq() }));
  const monitor = frameOf(encodeInvoke('monitorStart', 1, { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '100' } } } } as never));
  const apps: App[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, () => new Promise<App>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port }, () => resolve(new App(s)));
        s.once('error', reject);
      })),
    );
    if (login) for (const a of batch) a.socket.write(Buffer.concat([aarq, monitor]));
    apps.push(...batch);
  }
  // AARE, SystemStatus and the MonitorStart result
  if (login) await until(() => apps.every((a) => a.frames >= 3), 60000);
  else await new Promise((r) => setTimeout(r, 200));
  return apps;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

interface Result {
  p50: number;
  p99: number;
  eventsPerSec: number;
  deliveriesPerSec: number;
  rssPerApp: number;
  heapPerApp: number;
}

async function run(mode: 'mux' | 'relay'): Promise<Result> {
  const pbx: FakePbx = await startFakePbx();
  const child = await startChild(mode, pbx.port);
  await new Promise((r) => setTimeout(r, 300));
  const before = await child.mem();
  const apps = await connectApps(child.port, APPS, mode === 'mux');
  const after = await child.mem();
  if (mode === 'mux' && pbx.invokes.get(71) !== 1) throw new Error(`expected one MonitorStart upstream, got ${pbx.invokes.get(71)}`);
  const frame = pbx.eventFrame(pbx.refs[0] ?? '00000001');

  // latency: one event at a time, waiting until every application has it
  for (const a of apps) a.arm();
  const sentAt: number[] = [];
  for (let k = 0; k < LATENCY_EVENTS; k++) {
    sentAt.push(performance.now());
    await pbx.send(frame);
    await until(() => apps.every((a) => a.arrivals.length > k), 10000);
  }
  const lat: number[] = [];
  for (const a of apps) for (let k = 0; k < LATENCY_EVENTS; k++) lat.push(a.arrivals[k] - sentAt[k]);
  lat.sort((x, y) => x - y);

  // throughput: a burst written as fast as the PBX link takes it
  for (const a of apps) a.arm();
  const burst = Buffer.concat(Array(100).fill(frame));
  const t0 = performance.now();
  for (let k = 0; k < BLAST_EVENTS; k += 100) await pbx.send(burst);
  await until(() => apps.every((a) => a.arrivals.length >= BLAST_EVENTS), 60000);
  const secs = (performance.now() - t0) / 1000;

  for (const a of apps) a.socket.destroy();
  await new Promise((r) => {
    child.proc.once('exit', r);
    child.proc.stdin.end();
  });
  await pbx.close();
  return {
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    eventsPerSec: BLAST_EVENTS / secs,
    deliveriesPerSec: (BLAST_EVENTS * APPS) / secs,
    rssPerApp: (after.rss - before.rss) / APPS,
    heapPerApp: (after.heapUsed + after.external - before.heapUsed - before.external) / APPS,
  };
}

const started = Date.now();
const base = await run('relay');
const mux = await run('mux');
const f = (n: number, d = 2) => n.toFixed(d);
console.log(`CSTA multiplexer fan-out, ${APPS} applications monitoring one device (${LATENCY_EVENTS} latency probes, ${BLAST_EVENTS}-event burst)`);
console.log(`                     baseline relay     multiplexer     ratio`);
console.log(`latency p50 (ms)     ${f(base.p50).padStart(14)}  ${f(mux.p50).padStart(14)}  ${f(mux.p50 / base.p50).padStart(8)}x`);
console.log(`latency p99 (ms)     ${f(base.p99).padStart(14)}  ${f(mux.p99).padStart(14)}  ${f(mux.p99 / base.p99).padStart(8)}x   (target <= 2x)`);
console.log(`events/s fanned out  ${f(base.eventsPerSec, 0).padStart(14)}  ${f(mux.eventsPerSec, 0).padStart(14)}  ${f(mux.eventsPerSec / base.eventsPerSec).padStart(8)}x`);
console.log(`deliveries/s         ${f(base.deliveriesPerSec, 0).padStart(14)}  ${f(mux.deliveriesPerSec, 0).padStart(14)}`);
console.log(`RSS per app (KiB)    ${f(base.rssPerApp / 1024, 1).padStart(14)}  ${f(mux.rssPerApp / 1024, 1).padStart(14)}`);
console.log(`heap+ext per app (KiB) ${f(base.heapPerApp / 1024, 1).padStart(12)}  ${f(mux.heapPerApp / 1024, 1).padStart(14)}`);
console.log(`multiplexer RSS for ${APPS} applications: ${f((mux.rssPerApp * APPS) / 1048576, 1)} MB above idle (target < 200 MB)`);
console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
