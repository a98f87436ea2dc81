import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '..';
import { createServices, type Services } from '../../app/services';
import { generateLicenceKeyPair, issueLicenceKey, PUBLIC_KEY_ENV } from '../../engine/licences';

const vendor = generateLicenceKeyPair();
let dir: string;
let services: Services;
let api: Dispatch;

beforeAll(() => {
  process.env[PUBLIC_KEY_ENV] = vendor.publicKeyPem;
  dir = mkdtempSync(join(tmpdir(), 'lk-licences-api-'));
  services = createServices({ dataDir: dir, transport: 'websocket' });
  api = createApi(services);
});
afterAll(async () => {
  delete process.env[PUBLIC_KEY_ENV];
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('licences through the API', () => {
  it('shows the trial on a fresh data directory: 25 lines, 45 days', async () => {
    expect(await api('licences.status', {})).toMatchObject({ ok: true, result: { keys: [], total: 25, inUse: 0, trial: { active: true, daysLeft: 45, lines: 25 } } });
  });

  it('adds a signed key and shows it in the overview with the pool use per instance', async () => {
    const inst = await api('instances.create', { family: 'panasonic', name: 'Office PBX' });
    const instanceId = (inst as any).result.id;
    const added = await api('licences.add', { key: issueLicenceKey(vendor.privateKeyPem, { id: 'SHOP-42', lines: 2 }) });
    // during the trial the smaller key leaves the trial's 25 lines
    expect(added).toMatchObject({ ok: true, result: { licensed: 2, total: 25, keys: [{ id: 'SHOP-42', lines: 2, valid: true }] } });
    await services.licences.pool.lease(instanceId, '100');
    await services.licences.pool.lease(instanceId, '100');
    await services.licences.pool.lease(instanceId, '101');
    expect(await api('licences.status', {})).toMatchObject({ ok: true, result: { inUse: 2, free: 23, instances: [{ name: 'Office PBX', lines: 2, phones: 0 }] } });
  });

  it('refuses a duplicate, a tampered and a garbled key with the reason', async () => {
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'SHOP-42', lines: 2 });
    expect(await api('licences.add', { key })).toMatchObject({ ok: false, error: { code: 'LICENCE_KEY_DUPLICATE', message: expect.stringContaining('already entered') } });
    const foreign = issueLicenceKey(generateLicenceKeyPair().privateKeyPem, { id: 'X', lines: 99 });
    expect(await api('licences.add', { key: foreign })).toMatchObject({ ok: false, error: { code: 'LICENCE_KEY_SIGNATURE' } });
    expect(await api('licences.add', { key: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'LICENCE_KEY_MALFORMED' } });
    expect(await api('licences.add', { key: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('removes a key by ID', async () => {
    expect(await api('licences.remove', { id: 'SHOP-42' })).toMatchObject({ ok: true, result: { keys: [], licensed: 0 } });
    expect(await api('licences.remove', { id: 'SHOP-42' })).toMatchObject({ ok: false, error: { code: 'LICENCE_KEY_NOT_FOUND' } });
  });

  it('deleting an instance gives its licences back', async () => {
    const instanceId = (await services.instances.create({ family: 'cme', name: 'Temp' })).id;
    await services.licences.pool.lease(instanceId, '300');
    const before = services.licences.pool.inUse;
    await services.instances.delete(instanceId);
    expect(services.licences.pool.inUse).toBe(before - 1);
  });
});

describe('the trial record of a data directory, as each start of the app sees it', () => {
  const fresh = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-trial-api-'));
    const first = createServices({ dataDir, transport: 'websocket' });
    await first.licences.start();
    await first.dispose();
    const start = async () => {
      const s = createServices({ dataDir, transport: 'websocket' });
      try {
        const r = await createApi(s)('licences.status', {});
        if (!r.ok) throw new Error(r.error.message);
        return r.result as { trial: { active: boolean; tampered: boolean; daysLeft: number; warnings: Array<{ code: string }> } };
      } finally {
        await s.dispose();
      }
    };
    return { dataDir, file: join(dataDir, 'config', 'licences.json'), start };
  };

  it('a record forged with the old seal (anyone can compute it) ends the trial with a coded warning', async () => {
    const { dataDir, file, start } = await fresh();
    const env = JSON.parse(readFileSync(file, 'utf8'));
    const later = '2099-01-01T00:00:00.000Z';
    const seal = createHmac('sha256', `linekeeper-trial/${hostname()}`).update(`${later}|${later}`).digest('base64url');
    writeFileSync(file, JSON.stringify({ ...env, data: { ...env.data, trial: { firstStart: later, lastSeen: later, seal } } }));
    expect((await start()).trial).toMatchObject({ active: false, tampered: true, warnings: [{ code: 'TRIAL_RECORD_TAMPERED' }] });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deleting the licence document keeps the trial where it was', async () => {
    const { dataDir, file, start } = await fresh();
    unlinkSync(file);
    rmSync(`${file}.bak`, { force: true });
    expect((await start()).trial).toMatchObject({ active: true, tampered: false, warnings: [{ code: 'TRIAL_RECORD_RECOVERED' }] });
    expect((await start()).trial).toMatchObject({ active: true, warnings: [] });
    rmSync(dataDir, { recursive: true, force: true });
  });
});
