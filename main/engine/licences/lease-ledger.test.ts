import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLedger, MemoryLedger } from './lease-ledger';
import { LicencePool, type Lease } from './licence-pool';

const dir = mkdtempSync(join(tmpdir(), 'lk-ledger-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const names: Record<string, string> = { app: 'Office PBX', serve: 'CME Berlin' };
const pool = (file: string, total: number) => new LicencePool({ capacity: () => ({ total }), ledger: new FileLedger(file), instanceName: (id) => names[id] });

/** Another process (as `linekeeper serve` would be) that leases lines from the same ledger and keeps them. */
function otherProcess(file: string, lines: string[]): Promise<ChildProcess> {
  const script = join(dir, 'holder.mts');
  writeFileSync(
    script,
    `import { LicencePool } from ${JSON.stringify(join(__dirname, 'licence-pool'))};
import { FileLedger } from ${JSON.stringify(join(__dirname, 'lease-ledger'))};
const pool = new LicencePool({ capacity: () => ({ total: 100 }), ledger: new FileLedger(${JSON.stringify(file)}) });
for (const line of ${JSON.stringify(lines)}) await pool.lease('serve', line);
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe('leasing many lines at once', () => {
  it('takes licences in the order given under one lock, fails the rest, and counts lines another pool holds once', async () => {
    const file = join(dir, 'many');
    const other = pool(file, 4);
    await other.lease('app', '101');
    const p = pool(file, 4);
    const got = await p.leaseMany('app', ['100', '101', '102', '103', '104']);
    expect(got.map((x) => ('id' in x ? x.line : (x as { code: string }).code))).toEqual(['100', '101', '102', '103', 'LICENCE_POOL_EMPTY']);
    expect(await p.overview()).toMatchObject({ total: 4, inUse: 4 });
    // One journal record per line, written together.
    const own = readdirSync(file).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(file, f), 'utf8'));
    expect(own.map((t) => t.split('\n').filter(Boolean).length).sort()).toEqual([1, 4]);
    // A second batch joins the licences held already and takes none twice.
    expect((await p.leaseMany('app', ['100', '103'])).every((x) => 'id' in x)).toBe(true);
    expect(p.inUse).toBe(4);
  });
});

describe('releasing many leases at once', () => {
  it('gives them back in one ledger write, and keeps a licence another lease of the same line still holds', async () => {
    const ledger = new MemoryLedger();
    const gives: string[][] = [];
    const give = ledger.give.bind(ledger);
    ledger.give = (keys) => {
      gives.push(keys.map((k) => k.split('\u0000')[2]!));
      give(keys);
    };
    const p = new LicencePool({ capacity: () => ({ total: 10 }), ledger });
    const leases = (await p.leaseMany('app', ['100', '101', '102'])).filter((x): x is Lease => 'id' in x);
    const second = await p.lease('app', '101');
    // A lease given twice counts once.
    expect(p.releaseMany([...leases, leases[0]!])).toBe(3);
    expect(gives).toEqual([['100', '102']]);
    expect(p.inUse).toBe(1);
    expect(p.releaseMany([second])).toBe(1);
    expect(gives).toEqual([['100', '102'], ['101']]);
    expect(p.inUse).toBe(0);
    expect(p.releaseMany([])).toBe(0);
    expect(gives).toHaveLength(2);
  });
});

describe('the licence pool shared between processes', () => {
  it('counts the lines another process holds, names it in the error, and frees them when that process dies', async () => {
    const file = join(dir, 'leases');
    const child = await otherProcess(file, ['200', '201']);
    const here = pool(file, 3);
    expect(here.inUse).toBe(2);
    await here.lease('app', '100');
    await expect(here.lease('app', '101')).rejects.toThrow('all 3 licences are in use (CME Berlin: 2, Office PBX: 1)');
    expect(await here.overview()).toMatchObject({ inUse: 3, free: 0 });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await here.lease('app', '101');
    expect(here.inUse).toBe(2);
  }, 30_000);

  it('a line held by two pools on the same ledger counts once, until both release it', async () => {
    const file = join(dir, 'shared');
    const a = pool(file, 1);
    const b = pool(file, 1);
    const la = await a.lease('app', '100');
    const lb = await b.lease('app', '100');
    expect(a.inUse).toBe(1);
    a.release(la);
    expect(b.inUse).toBe(1);
    b.release(lb);
    expect(a.inUse).toBe(0);
  });

  it('another pool follows a journal that is compacted after many releases', () => {
    const folder = join(dir, 'compact');
    const a = new FileLedger(folder);
    const b = new FileLedger(folder);
    const line = (i: number) => ({ key: `k${i}`, instanceId: 'app', kind: 'line' as const, line: String(i) });
    for (let i = 0; i < 600; i++) expect(a.take(line(i), 1000)).toBeUndefined();
    expect(b.read()).toHaveLength(600);
    a.give(Array.from({ length: 500 }, (_, i) => `k${i}`));
    expect(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.log'))!), 'utf8').trim().split('\n')).toHaveLength(100);
    expect(b.read().map((e) => e.key).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `k${500 + i}`).sort());
    expect(b.take(line(1), 101)).toBeUndefined();
    expect(b.take(line(2), 101)).toHaveLength(101);
    a.give(Array.from({ length: 100 }, (_, i) => `k${500 + i}`));
    expect(b.read().map((e) => e.key)).toEqual(['k1']);
  });

  it('a lock left behind by a killed process does not block the pool', async () => {
    const file = join(dir, 'stale');
    mkdirSync(file);
    writeFileSync(join(file, '.lock'), '999999999');
    await pool(file, 1).lease('app', '100');
  });
});
