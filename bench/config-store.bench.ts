/**
 * Config store benchmark: one edit of a 100,000-line CME instance (read, migrate/validate, check every line, atomic
 * save with backup) and reading it, beside a baseline of reading and writing (with fsync) the same bytes.
 *
 * Run: npx tsx bench/config-store.bench.ts [lines]   (default 100,000; well under a minute)
 */
import { openSync, fsyncSync, closeSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Line } from '../shared/model/line';
import { openConfigStores } from '../main/engine/instances';

const COUNT = Number(process.argv[2] ?? 100_000);
const ROUNDS = 5;

function lines(n: number): Line[] {
  return Array.from({ length: n }, (_, i) => {
    const l: Line = { number: String(100000 + i), name: `Line ${i}`, deviceId: `SEP${(0x001122000000 + i).toString(16).toUpperCase().padStart(12, '0')}` };
    if (i % 3 === 0) l.buttons = [String(500000 + i)];
    return l;
  });
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'lk-bench-store-'));
try {
  const stores = openConfigStores(dir);
  const inst = await stores.instances.create({ family: 'cme', name: 'Bench' });
  await stores.instances.updateLines(inst.id, () => lines(COUNT));
  const file = stores.docs.fileOf(`instance-${inst.id}`);
  const bytes = readFileSync(file);
  const copy = join(dir, 'baseline.json');

  const baselineRead = await time(() => readFileSync(file));
  const baselineWrite = await time(() => {
    writeFileSync(copy, bytes);
    const fd = openSync(copy, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  });
  // A fresh store each round: nothing cached, so this is parse + migrate + validate.
  const cold = await time(() => openConfigStores(dir).instances.get(inst.id));
  await stores.instances.get(inst.id);
  const cached = await time(() => stores.instances.get(inst.id));
  let n = 0;
  const edit = await time(() => stores.instances.updateLines(inst.id, (ls) => [...ls, { number: String(900000 + n++), name: 'added' }]));

  console.log(`load average ${loadavg()[0].toFixed(1)} (figures scale with it)`);
  console.log(`config store, CME instance with ${COUNT.toLocaleString('en')} lines, ${(bytes.length / 1e6).toFixed(1)} MB JSON (median of ${ROUNDS})`);
  console.log(`  baseline read bytes          ${baselineRead.toFixed(1).padStart(8)} ms`);
  console.log(`  load instance, cold (parse+validate) ${cold.toFixed(1).padStart(8)} ms   ${(cold / baselineRead).toFixed(1)}x baseline read`);
  console.log(`  load instance, unchanged file (stat)  ${cached.toFixed(1).padStart(8)} ms`);
  console.log(`  baseline write bytes + fsync ${baselineWrite.toFixed(1).padStart(8)} ms`);
  console.log(`  add one line (load, check all, atomic save with backup) ${edit.toFixed(1)} ms   ${(edit / (baselineRead + baselineWrite)).toFixed(1)}x baseline read+write`);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
