// Lines that found no licence take one as soon as one is free (an instance stops or gives lines back, a key is
// added, another process gives licences back), in the order of the line list. Real instances against the
// Panasonic simulator, the trial's 25 licences.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { FileLedger, LicencePool, generateLicenceKeyPair, issueLicenceKey, leaseLedgerDir, PUBLIC_KEY_ENV } from '../main/engine/licences';
import type { LineStatus } from '../shared/api/drivers';

const vendor = generateLicenceKeyPair();
let dir: string;
let services: Services;
let api: Dispatch;
const sims: PanasonicSim[] = [];

beforeEach(() => {
  process.env[PUBLIC_KEY_ENV] = vendor.publicKeyPem;
  dir = mkdtempSync(join(tmpdir(), 'lk-licence-pickup-'));
  // The timer only matters for licences freed by another process; those freed here are taken up at once.
  services = createServices({ dataDir: dir, transport: 'websocket', drivers: { timing: { reconnectInitialMs: 50, reconnectMaxMs: 400, licenceRetryMs: 300 }, connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } } });
  api = createApi(services);
});
afterEach(async () => {
  delete process.env[PUBLIC_KEY_ENV];
  await services.dispose();
  await Promise.all(sims.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));

/** A simulator with these extensions and an instance with the same lines, started. */
async function runningInstance(name: string, numbers: string[]): Promise<string> {
  const sim = await startPanasonicSim({ port: 0, devices: { extensions: `${numbers[0]}-${numbers[numbers.length - 1]}` } });
  sims.push(sim);
  const { id } = await ok('instances.create', { family: 'panasonic', name });
  await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: sim.tcpPort } } });
  for (const number of numbers) await ok('lines.add', { instanceId: id, line: { number, name: '' } });
  await ok('driver.start', { instanceId: id });
  return id;
}

async function states(id: string, numbers: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of numbers) out[n] = (await ok<LineStatus>('line.status', { instanceId: id, line: n })).state;
  return out;
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const openCount = async (id: string) => (await ok('driver.status', { instanceId: id })).lines.open as number;

describe('lines without a licence', () => {
  it('take the licences another instance gives back, first lines of the list first, and the rest when it stops', async () => {
    const first = await runningInstance('Head office', range(100, 20));
    await waitFor(async () => (await openCount(first)) === 20, 'the head office open');
    const second = range(200, 10);
    const branch = await runningInstance('Branch', second);
    await waitFor(async () => (await openCount(branch)) === 5, 'five branch lines open');
    expect(await states(branch, second)).toMatchObject({ 204: 'open', 205: 'noLicence', 209: 'noLicence' });

    // Three lines leave the head office: the branch's next three lines in its list take their licences.
    await ok('lines.delete', { instanceId: first, refs: range(117, 3).map((number) => ({ number })) });
    await waitFor(async () => (await openCount(branch)) === 8, 'three more branch lines open', 3000);
    expect(await states(branch, second)).toMatchObject({ 205: 'open', 206: 'open', 207: 'open', 208: 'noLicence', 209: 'noLicence' });

    await ok('driver.stop', { instanceId: first });
    await waitFor(async () => (await openCount(branch)) === 10, 'every branch line open', 3000);
    expect((await ok('driver.status', { instanceId: branch })).lines.noLicence).toBe(0);
  });

  it('take the licences of a key added while they wait', async () => {
    const numbers = range(100, 30);
    const id = await runningInstance('Thirty lines', numbers);
    await waitFor(async () => (await openCount(id)) === 25, 'the trial’s 25 lines open');
    await ok('licences.add', { key: issueLicenceKey(vendor.privateKeyPem, { id: 'ORDER-40', lines: 40 }) });
    await waitFor(async () => (await openCount(id)) === 30, 'all 30 lines open', 3000);
  });

  it('take the licences of a key added with the command line while the instance runs', async () => {
    const numbers = range(100, 30);
    const id = await runningInstance('Thirty lines too', numbers);
    await waitFor(async () => (await openCount(id)) === 25, 'the trial’s 25 lines open');
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'ORDER-41', lines: 41 });
    const added = spawnSync(process.execPath, ['bin/linekeeper.js', 'licences', 'add', key, '--data-dir', dir], { env: { ...process.env, [PUBLIC_KEY_ENV]: vendor.publicKeyPem }, encoding: 'utf8' });
    expect(added.status, added.stderr).toBe(0);
    await waitFor(async () => (await openCount(id)) === 30, 'all 30 lines open', 5000);
    expect((await ok('licences.status', {})).total).toBe(41);
  });

  it('take the licences another process gives back within seconds', async () => {
    // Another process on the same data directory holds 22 of the 25 licences.
    const other = new LicencePool({ capacity: () => ({ total: 25 }), ledger: new FileLedger(leaseLedgerDir(dir)) });
    const held = await Promise.all(range(500, 22).map((n) => other.lease('elsewhere', n)));
    const numbers = range(100, 5);
    const id = await runningInstance('Five lines', numbers);
    await waitFor(async () => (await openCount(id)) === 3, 'three lines open');
    for (const lease of held.slice(0, 2)) other.release(lease);
    await waitFor(async () => (await openCount(id)) === 5, 'the two waiting lines open', 3000);
    other.releaseAll();
  });
});
