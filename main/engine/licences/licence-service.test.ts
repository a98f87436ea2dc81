import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentStore } from '../../store';
import { generateLicenceKeyPair, issueLicenceKey } from './licence-key';
import { LicenceService } from './licence-service';
import { memoryLicenceDocs, storeLicenceDocs, type LicenceDocs } from './licence-store';

const vendor = generateLicenceKeyPair();
const DAY = 24 * 60 * 60 * 1000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function service(docs: LicenceDocs = memoryLicenceDocs(), start = Date.parse('2026-03-01T00:00:00Z')) {
  const clock = { now: start };
  const s = new LicenceService({ docs, publicKeys: [vendor.publicKeyPem], clock: () => new Date(clock.now), instanceName: (id) => `PBX ${id}` });
  return { s, clock, docs };
}

describe('the licence service', () => {
  it('starts the trial on the first start: 25 lines, 45 days left', async () => {
    const { s } = service();
    expect(await s.status()).toMatchObject({ keys: [], licensed: 0, total: 25, inUse: 0, free: 25, trial: { active: true, daysLeft: 45 } });
  });

  it('after the trial no line can be opened, with the reason', async () => {
    const { s, clock } = service();
    await s.start();
    clock.now += 46 * DAY;
    await expect(s.pool.lease('1', '100')).rejects.toMatchObject({ code: 'LICENCE_POOL_EMPTY', message: expect.stringContaining('the trial ended on 2026-04-15') });
  });

  it('an added key replaces the trial and its lines fill the pool', async () => {
    const { s } = service();
    const status = await s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 3, issued: '2026-02-01' }));
    expect(status).toMatchObject({ licensed: 3, total: 3, keys: [{ id: 'A-1', lines: 3, issued: '2026-02-01', valid: true }] });
    await s.pool.lease('1', '100');
    await s.pool.lease('2', '200');
    await s.pool.lease('2', '201');
    await expect(s.pool.lease('1', '101')).rejects.toThrow('all 3 licences are in use (PBX 1: 1, PBX 2: 2)');
    expect(await s.status()).toMatchObject({ inUse: 3, free: 0, instances: [{ instanceId: '1', lines: 1 }, { instanceId: '2', lines: 2 }] });
  });

  it('keys add up, and entering the same key twice is refused', async () => {
    const { s } = service();
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 10 });
    await s.addKey(key);
    await s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-2', lines: 15 }));
    await expect(s.addKey(key)).rejects.toMatchObject({ code: 'LICENCE_KEY_DUPLICATE', message: expect.stringContaining('ID A-1 (10 lines) was already entered') });
    expect((await s.status()).total).toBe(25);
  });

  it('refuses an invalid key and keeps the state as it was', async () => {
    const { s } = service();
    await expect(s.addKey('LK1.abc.def')).rejects.toMatchObject({ code: 'LICENCE_KEY_MALFORMED' });
    expect((await s.status()).keys).toEqual([]);
  });

  it('removes a key by its ID, and says when no key has that ID', async () => {
    const { s } = service();
    await s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 10 }));
    expect((await s.removeKey('A-1')).keys).toEqual([]);
    await expect(s.removeKey('A-1')).rejects.toMatchObject({ code: 'LICENCE_KEY_NOT_FOUND' });
  });

  it('a licence document that cannot be read is reported with its name and left untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-licences-'));
    dirs.push(dir);
    const store = new DocumentStore(dir);
    writeFileSync(store.fileOf('licences'), '{"broken":');
    const { s } = service(storeLicenceDocs(store));
    await expect(s.status()).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE', message: expect.stringContaining('licences') });
    await expect(s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-9', lines: 1 }))).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    await expect(s.pool.lease('1', '100')).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    expect(readFileSync(store.fileOf('licences'), 'utf8')).toBe('{"broken":');
  });

  it('keeps keys and the trial start on disk across restarts, and a clock set back does not extend the trial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-licences-'));
    dirs.push(dir);
    const first = service(storeLicenceDocs(new DocumentStore(dir)));
    await first.s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 7 }));
    first.clock.now += 40 * DAY;
    expect((await first.s.status()).trial.daysLeft).toBe(5);

    const again = service(storeLicenceDocs(new DocumentStore(dir)), Date.parse('2026-03-02T00:00:00Z'));
    const status = await again.s.status();
    expect(status.keys.map((k) => k.id)).toEqual(['A-1']);
    expect(status.trial).toMatchObject({ daysLeft: 5, clockSetBack: true });
  });
});
