/**
 * Rule-engine benchmark: a 100-rule list over 1,000,000 numbers, worst case (no rule matches, so all
 * 100 rules run) and a typical case (numbers hit rules spread over the list), beside a baseline of the
 * same patterns precompiled as native V8 RegExp (backtracking, unsafe for user patterns, but the
 * fastest thing available). Then the API round trip of a 100-rule check, p50/p99, over the real
 * WebSocket transport when main/web exists (it does), else through createApi dispatch.
 *
 * Run: npx tsx bench/rules.bench.ts [numbers]   (default 1,000,000; stays well under a minute)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { compileRules, formatNumber, type RuleInput } from '../main/engine/rules';
import { createApi } from '../main/api';
import { createServices } from '../main/app/services';
import { startWebServer } from '../main/web/server';

const COUNT = Number(process.argv[2] ?? 1_000_000);

// 100 rules of the shapes admins write: prefixes to strip, access codes, internal ranges, exact numbers.
function makeRules(): RuleInput[] {
  const rules: RuleInput[] = [];
  for (let k = 0; k < 40; k++) rules.push({ search: `^0${String(k + 10)}([0-9]*)$`, replace: `+49${k + 10}\\1` });
  for (let k = 0; k < 30; k++) rules.push({ search: `^\\*${k}#(.*)`, replace: '\\1' });
  for (let k = 0; k < 20; k++) rules.push({ search: `^(${k + 1}[0-9][0-9])$`, replace: `030123${k}\\1` });
  for (let k = 0; k < 10; k++) rules.push({ search: `^00(4[0-9]|3[0-9])(7${k}.*)`, replace: '+\\1\\2' });
  return rules;
}

// The same rules for V8: our dialect's `\*` and `[0-9]` mean the same there; the template is expanded by hand
// from the match array, so both sides do the same work (first match wins, whole-output replacement).
function baselineFormatter(rules: RuleInput[]) {
  const compiled = rules.map((r) => ({ re: new RegExp(r.search), parts: r.replace.split(/(\\[0-9])/) }));
  return (n: string) => {
    for (const r of compiled) {
      const m = r.re.exec(n);
      if (!m) continue;
      let out = '';
      for (const p of r.parts) out += p.length === 2 && p[0] === '\\' ? (m[Number(p[1])] ?? '') : p;
      return out;
    }
    return n;
  };
}

function numbers(kind: 'worst' | 'typical'): string[] {
  const out: string[] = new Array(COUNT);
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join('');
  // A small pool, reused, so that building inputs does not dominate memory.
  const pool: string[] = [];
  for (let k = 0; k < 10_000; k++) {
    if (kind === 'worst') pool.push('+49' + digits(9)); // no rule starts with +, none matches
    else {
      const pick = rnd(4);
      if (pick === 0) pool.push(`0${10 + rnd(40)}${digits(7)}`);
      else if (pick === 1) pool.push(`*${rnd(30)}#${digits(8)}`);
      else if (pick === 2) pool.push(`${1 + rnd(20)}${digits(2)}`);
      else pool.push('+49' + digits(9));
    }
  }
  for (let k = 0; k < COUNT; k++) out[k] = pool[k % pool.length];
  return out;
}

// Each engine gets at most this long per case, so the whole run stays under a minute on a slow or busy
// machine; the figure is then measured over the numbers done so far (printed).
const BUDGET_MS = 9000;

function rate(f: (n: string) => unknown, inputs: string[]): { perSecond: number; done: number } {
  const t0 = performance.now();
  let k = 0;
  while (k < inputs.length) {
    const end = Math.min(k + 10_000, inputs.length);
    for (; k < end; k++) f(inputs[k]);
    if (performance.now() - t0 > BUDGET_MS) break;
  }
  return { perSecond: k / ((performance.now() - t0) / 1000), done: k };
}

const rules = makeRules();
const ours = compileRules(rules);
const oursFormat = (n: string) => formatNumber(ours, n, { normalise: false });
const native = baselineFormatter(rules);

// Agreement check before timing: a benchmark of wrong answers is worthless.
for (const n of numbers('typical').slice(0, 10_000)) {
  if (oursFormat(n).output !== native(n)) throw new Error(`engines disagree on ${n}: ${oursFormat(n).output} vs ${native(n)}`);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);
console.log(`rules: ${rules.length}, numbers per case: ${COUNT.toLocaleString('en-US')}`);
for (const kind of ['worst', 'typical'] as const) {
  const inputs = numbers(kind);
  rate(oursFormat, inputs.slice(0, 20_000)); // warm up both
  rate(native, inputs.slice(0, 20_000));
  const a = rate(oursFormat, inputs);
  const b = rate(native, inputs);
  const partial = a.done < COUNT || b.done < COUNT ? `   (time budget: measured over ${a.done.toLocaleString('en-US')} / ${b.done.toLocaleString('en-US')} numbers)` : '';
  console.log(`${kind.padEnd(8)} Pike VM ${fmt(a.perSecond)} numbers/s   native RegExp ${fmt(b.perSecond)} numbers/s   ratio ${(a.perSecond / b.perSecond).toFixed(3)}${partial}`);
}

// API round trip of one 100-rule check.
const dataDir = mkdtempSync(join(tmpdir(), 'lk-bench-'));
const services = createServices({ dataDir, transport: 'websocket' });
const dispatch = createApi(services);
const server = await startWebServer({ host: '127.0.0.1', port: 0, dispatch, bus: services.bus });
const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`);
await new Promise<void>((res, rej) => {
  ws.once('open', () => res());
  ws.once('error', rej);
});
const waiting = new Map<number, () => void>();
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString()) as { id?: number; reply?: { ok: boolean } };
  if (msg.id != null && msg.reply) {
    if (!msg.reply.ok) throw new Error(`API call failed: ${data.toString()}`);
    waiting.get(msg.id)?.();
    waiting.delete(msg.id);
  }
});
let id = 0;
const call = (input: unknown) =>
  new Promise<void>((res) => {
    const my = ++id;
    waiting.set(my, res);
    ws.send(JSON.stringify({ id: my, method: 'rules.check', input }));
  });

// Wall time includes any time the process waits for a CPU; on a busy machine that dominates the tail.
// Client and server share this process, so its CPU time per call is the work of the whole round trip.
async function percentiles(f: () => Promise<unknown>, n: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < 200; k++) await f();
  for (let k = 0; k < n; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.floor(n * q)];
  return { p50: at(wall, 0.5), p99: at(wall, 0.99), cpuP50: at(cpu, 0.5), cpuP99: at(cpu, 0.99) };
}
const input = { rules, input: '+49891234567' };
const overWs = await percentiles(() => call(input), 1000);
const direct = await percentiles(() => dispatch('rules.check', input), 1000);
const show = (r: Awaited<ReturnType<typeof percentiles>>) =>
  `wall p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms, CPU p50 ${r.cpuP50.toFixed(2)} ms p99 ${r.cpuP99.toFixed(2)} ms`;
console.log(`API rules.check, 100 rules (target p99 < 5 ms):`);
console.log(`  over WebSocket       ${show(overWs)}`);
console.log(`  in-process dispatch  ${show(direct)}   ratio WebSocket/dispatch wall p50 ${(overWs.p50 / direct.p50).toFixed(1)}`);
ws.close();
await server.close();
await services.dispose();
rmSync(dataDir, { recursive: true, force: true });
