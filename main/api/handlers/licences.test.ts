import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    expect(added).toMatchObject({ ok: true, result: { licensed: 2, total: 2, keys: [{ id: 'SHOP-42', lines: 2, valid: true }] } });
    await services.licences.pool.lease(instanceId, '100');
    await services.licences.pool.lease(instanceId, '100');
    await services.licences.pool.lease(instanceId, '101');
    await expect(services.licences.pool.lease(instanceId, '102')).rejects.toThrow('all 2 licences are in use (Office PBX: 2)');
    expect(await api('licences.status', {})).toMatchObject({ ok: true, result: { inUse: 2, free: 0, instances: [{ name: 'Office PBX', lines: 2, phones: 0 }] } });
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
