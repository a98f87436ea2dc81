/**
 * Line import/export benchmark: a 100,000-line file in each format (text, CME, CSV), imported (read, decode,
 * parse, check, preview against the instance) and exported (write the file), beside a baseline of reading and
 * writing the same bytes with nothing else. Then the whole path through the instance store: import apply of
 * the CSV into a real data directory (atomic JSON save included) and export from it.
 * Each case runs in its own child process so its peak memory (max RSS) is its own.
 * Last, memory of a 1,000,000-row CSV import preview (rows read one at a time, as the import does) beside a
 * baseline child that only reads and decodes the same file, and beside the same preview with the rows
 * collected into an array first (how the import held them before #15), and of applying it through the store.
 *
 * Run: npx tsx bench/lines-io.bench.ts [lines] [big]   (defaults 100,000 and 1,000,000; a few minutes)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Family, Line } from '../shared/model/line';
import { exportLines, parseImport, previewImport, type LinesFormat } from '../main/engine/lines-io';
import { LINES_IMPORT_MAX_BYTES } from '../shared/api/lines-io';

const COUNT = Number(process.argv[2] ?? 100_000);
const BIG = Number(process.argv[3] ?? 1_000_000);
const SELF = fileURLToPath(import.meta.url);

function makeLines(family: Family, n: number): Line[] {
  const names = ['Müller, Hans', 'Zoë "Zo" Ünal', 'Reception', 'Sales; Team', 'Dr. Ørsted'];
  const lines: Line[] = [];
  for (let i = 0; i < n; i++) {
    const l: Line = { number: String(100000 + i), name: `${names[i % names.length].replace(family === 'cme' ? ';' : '\u0000', ',')} ${i}` };
    if (family === 'cme') {
      l.deviceId = `SEP${(0x001122000000 + i).toString(16).toUpperCase().padStart(12, '0')}`;
      if (i % 3 === 0) l.buttons = [String(500000 + i), String(600000 + i)];
    }
    if (family === 'panasonic' && i % 4 === 0) l.mobile = String(900000 + i);
    lines.push(l);
  }
  return lines;
}

const CASES: Array<{ format: LinesFormat; family: Family }> = [
  { format: 'text', family: 'panasonic' },
  { format: 'cme', family: 'cme' },
  { format: 'csv', family: 'cme' },
];

interface Figures {
  ms: number;
  /** CPU time (user + system): steadier than wall time when other work shares the machine. */
  cpuMs: number;
  maxRssMB: number;
}

async function measureAsync(fn: () => unknown): Promise<Figures> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}
const measure = measureAsync;

/** One case in this (child) process; prints its figures as JSON. */
async function child(kind: string, format: LinesFormat, family: Family, file: string, out: string, dataDir: string) {
  const read = () => new Uint8Array(readFileSync(file));
  let figures: Figures[];
  if (kind === 'baseline') {
    // Read and decode, then write the same bytes: what any import/export must at least do.
    const bytes = readFileSync(file);
    figures = [await measure(() => new TextDecoder().decode(readFileSync(file))), await measure(() => writeFileSync(out, bytes))];
  } else if (kind === 'import') {
    const added = await measure(() => previewImport([], parseImport(read(), format), family));
    figures = [added];
    if (format === 'csv') {
      // Every row matches an existing line: the preview's "unchanged" path, the usual re-import.
      const current = previewImport([], parseImport(read(), format), family).result;
      figures.push(await measure(() => previewImport(current, parseImport(read(), format), family)));
    }
  } else if (kind === 'rows-streamed') {
    figures = [await measure(() => previewImport([], parseImport(read(), format), family))];
  } else if (kind === 'rows-array') {
    figures = [
      await measure(() => {
        const parsed = parseImport(read(), format);
        return previewImport([], { ...parsed, rows: [...parsed.rows] }, family);
      }),
    ];
  } else if (kind === 'export') {
    const lines = previewImport([], parseImport(read(), format), family).result;
    figures = [await measure(() => writeFileSync(out, exportLines(lines, format, { family })))];
  } else {
    const { openConfigStores } = await import('../main/engine/instances');
    const { applyLinesImport, exportInstanceLines } = await import('../main/engine/lines-io');
    const { instances } = openConfigStores(dataDir);
    const inst = await instances.create({ family, name: 'bench' });
    figures = [
      await measureAsync(() => applyLinesImport(instances, inst.id, { bytes: read(), format })),
      await measureAsync(async () => writeFileSync(out, (await exportInstanceLines(instances, inst.id, format)).bytes)),
    ];
  }
  process.stdout.write(JSON.stringify(figures));
}

function run(kind: string, c: { format: LinesFormat; family: Family }, file: string, out: string, dataDir: string): Figures[] {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--child', kind, c.format, c.family, file, out, dataDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Figures[];
}

/** Peak memory of a big import: what the issue measured at 1.4 GB for 1,000,000 rows. */
function bigImport(dir: string) {
  const c = { format: 'csv' as const, family: 'cme' as const };
  const file = join(dir, 'big.csv');
  writeFileSync(file, exportLines(makeLines(c.family, BIG), c.format, { family: c.family }));
  const size = readFileSync(file).length;
  console.log(`${BIG.toLocaleString('en')} CME lines as CSV, ${(size / 1e6).toFixed(1)} MB (limit ${LINES_IMPORT_MAX_BYTES / 1024 / 1024} MB): peak RSS of each child`);
  const [read] = run('baseline', c, file, join(dir, 'big-out.csv'), dir);
  const [streamed] = run('rows-streamed', c, file, '', dir);
  const [held] = run('rows-array', c, file, '', dir);
  const [applied] = run('store', c, file, join(dir, 'big-out.csv'), join(dir, 'big-data'));
  const mem = (label: string, f: Figures) =>
    console.log(`  ${label.padEnd(40)} peak RSS ${f.maxRssMB.toFixed(0).padStart(5)} MB  (${(f.maxRssMB / read.maxRssMB).toFixed(1)}x baseline, ${(((f.maxRssMB - read.maxRssMB) * 1024 * 1024) / BIG).toFixed(0)} bytes/row over it)  cpu ${f.cpuMs.toFixed(0)} ms`);
  mem('baseline: read + decode', read);
  mem('import preview, rows read one at a time', streamed);
  mem('import preview, rows held in an array', held);
  mem('store: import apply (atomic save)', applied);
}

function row(label: string, f: Figures, base: Figures) {
  console.log(`  ${label.padEnd(34)} ${f.ms.toFixed(0).padStart(6)} ms (cpu ${f.cpuMs.toFixed(0).padStart(5)} ms)  ${(f.cpuMs / Math.max(base.cpuMs, 1)).toFixed(1).padStart(6)}x cpu   peak RSS ${f.maxRssMB.toFixed(0).padStart(4)} MB (${(f.maxRssMB - base.maxRssMB >= 0 ? '+' : '') + (f.maxRssMB - base.maxRssMB).toFixed(0)} MB)`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-lines-'));
  try {
    console.log(`lines-io: ${COUNT.toLocaleString('en')} lines per file; ratio = CPU time / baseline CPU time (plain read or write of the same bytes); load average ${loadavg()[0].toFixed(1)}`);
    for (const c of CASES) {
      const file = join(dir, `lines.${c.format}`);
      writeFileSync(file, exportLines(makeLines(c.family, COUNT), c.format, { family: c.family }));
      const out = join(dir, `out.${c.format}`);
      const size = readFileSync(file).length;
      console.log(`${c.format} (${c.family}), ${(size / 1e6).toFixed(1)} MB:`);
      const [read, write] = run('baseline', c, file, out, dir);
      const [added, unchanged] = run('import', c, file, out, dir);
      const [exported] = run('export', c, file, out, dir);
      row('baseline: read + decode', read, read);
      row('import preview (all new)', added, read);
      if (unchanged) row('import preview (all unchanged)', unchanged, read);
      row('baseline: write', write, write);
      row('export', exported, write);
      if (c.format === 'csv') {
        const [apply, storeExport] = run('store', c, file, out, join(dir, 'data'));
        row('store: import apply (atomic save)', apply, read);
        row('store: export', storeExport, write);
      }
    }
    bigImport(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , kind, format, family, file, out, dataDir] = process.argv;
  await child(kind, format as LinesFormat, family as Family, file, out, dataDir);
} else {
  await main();
}
