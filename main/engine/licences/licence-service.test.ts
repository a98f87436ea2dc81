import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentStore, MemorySecretStore } from '../../store';
import { generateLicenceKeyPair, issueLicenceKey } from './licence-key';
import { LicenceService } from './licence-service';
import { memoryLicenceDocs, storeLicenceDocs, type LicenceDocs } from './licence-store';
import { memoryTrialAnchor, secretTrialAnchor, TRIAL_ANCHOR_SECRET, type TrialAnchorStore } from './trial-anchor';

const vendor = generateLicenceKeyPair();
const DAY = 24 * 60 * 60 * 1000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function service(docs: LicenceDocs = memoryLicenceDocs(), start = Date.parse('2026-03-01T00:00:00Z'), anchor: TrialAnchorStore = memoryTrialAnchor()) {
  const clock = { now: start };
  const s = new LicenceService({ docs, anchor, publicKeys: [vendor.publicKeyPem], clock: () => new Date(clock.now), instanceName: (id) => `PBX ${id}` });
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

  it('a key bought during the trial never leaves fewer lines than the trial until it ends; then its lines fill the pool', async () => {
    const { s, clock } = service();
    await s.start();
    const status = await s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 3, issued: '2026-02-01' }));
    expect(status).toMatchObject({ licensed: 3, total: 25, keys: [{ id: 'A-1', lines: 3, issued: '2026-02-01', valid: true }] });
    expect(await s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-2', lines: 40 }))).toMatchObject({ licensed: 43, total: 43 });
    await s.removeKey('A-2');
    clock.now += 46 * DAY;
    expect(await s.status()).toMatchObject({ licensed: 3, total: 3, trial: { active: false } });
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
    const anchor = secretTrialAnchor(new MemorySecretStore());
    const first = service(storeLicenceDocs(new DocumentStore(dir)), undefined, anchor);
    await first.s.addKey(issueLicenceKey(vendor.privateKeyPem, { id: 'A-1', lines: 7 }));
    first.clock.now += 40 * DAY;
    expect((await first.s.status()).trial.daysLeft).toBe(5);

    const again = service(storeLicenceDocs(new DocumentStore(dir)), Date.parse('2026-03-02T00:00:00Z'), anchor);
    const status = await again.s.status();
    expect(status.keys.map((k) => k.id)).toEqual(['A-1']);
    expect(status.trial).toMatchObject({ daysLeft: 5, clockSetBack: true });
  });
});

/** One installation: its licence document on disk and its secret store; `restart()` is a new process on them. */
function installation() {
  const dir = mkdtempSync(join(tmpdir(), 'lk-trial-'));
  dirs.push(dir);
  const secrets = new MemorySecretStore();
  const store = new DocumentStore(dir);
  const file = store.fileOf('licences');
  const clock = { now: Date.parse('2026-03-01T00:00:00Z') };
  const restart = () => new LicenceService({ docs: storeLicenceDocs(new DocumentStore(dir)), anchor: secretTrialAnchor(secrets), publicKeys: [vendor.publicKeyPem], clock: () => new Date(clock.now) });
  const envelope = () => JSON.parse(readFileSync(file, 'utf8'));
  const writeTrial = (trial: object) => writeFileSync(file, JSON.stringify({ ...envelope(), data: { ...envelope().data, trial } }));
  return { dir, secrets, file, clock, restart, envelope, writeTrial };
}

/** The seal of earlier versions: an HMAC keyed with the PC's name, which anyone can compute. */
const oldSeal = (firstStart: string, lastSeen: string) => createHmac('sha256', `linekeeper-trial/${hostname()}`).update(`${firstStart}|${lastSeen}`).digest('base64url');

describe('the trial record cannot be forged or reset by hand', () => {
  it('a record forged with the old, computable seal ends the trial with TRIAL_RECORD_TAMPERED', async () => {
    const i = installation();
    await i.restart().start();
    i.clock.now += 44 * DAY;
    const now = new Date(i.clock.now).toISOString();
    i.writeTrial({ firstStart: now, lastSeen: now, seal: oldSeal(now, now) });
    const s = i.restart();
    expect((await s.status()).trial).toMatchObject({ active: false, lines: 0, tampered: true, warnings: [{ code: 'TRIAL_RECORD_TAMPERED', params: { startedAt: now } }] });
    await expect(s.pool.lease('1', '100')).rejects.toMatchObject({ code: 'LICENCE_POOL_EMPTY' });
  });

  it('an edited date or a made-up seal is detected; the untouched record keeps counting', async () => {
    const i = installation();
    await i.restart().start();
    i.clock.now += 10 * DAY;
    expect((await i.restart().status()).trial).toMatchObject({ active: true, daysLeft: 35, tampered: false, warnings: [] });
    const good = i.envelope().data.trial;
    i.writeTrial({ ...good, firstStart: new Date(i.clock.now).toISOString() });
    expect((await i.restart().status()).trial).toMatchObject({ tampered: true, warnings: [{ code: 'TRIAL_RECORD_TAMPERED' }] });
    i.writeTrial({ ...good, seal: 'A'.repeat(43) });
    expect((await i.restart().status()).trial.tampered).toBe(true);
    i.writeTrial(good);
    expect((await i.restart().status()).trial).toMatchObject({ active: true, daysLeft: 35, tampered: false });
  });

  it('deleting the licence document does not start the trial again', async () => {
    const i = installation();
    await i.restart().start();
    i.clock.now += 40 * DAY;
    await i.restart().status();
    unlinkSync(i.file);
    unlinkSync(`${i.file}.bak`);
    const status = await i.restart().status();
    expect(status.trial).toMatchObject({ active: true, daysLeft: 5, startedAt: '2026-03-01T00:00:00.000Z', warnings: [{ code: 'TRIAL_RECORD_RECOVERED' }] });
    expect(i.envelope().data.trial).toMatchObject({ firstStart: '2026-03-01T00:00:00.000Z', v: 2 });
  });

  it('a record whose second copy was deleted from the secret store is not trusted (TRIAL_ANCHOR_MISSING)', async () => {
    const i = installation();
    await i.restart().start();
    await i.secrets.delete(TRIAL_ANCHOR_SECRET);
    expect((await i.restart().status()).trial).toMatchObject({ active: false, tampered: true, warnings: [{ code: 'TRIAL_ANCHOR_MISSING' }] });
  });

  it('a record sealed the old way is migrated once; the same old record written back later is refused', async () => {
    const i = installation();
    await i.restart().start();
    await i.secrets.delete(TRIAL_ANCHOR_SECRET);
    const started = '2026-02-19T00:00:00.000Z';
    const legacy = { firstStart: started, lastSeen: started, seal: oldSeal(started, started) };
    i.writeTrial(legacy);
    const migrated = await i.restart().status();
    expect(migrated.trial).toMatchObject({ active: true, daysLeft: 35, startedAt: started, tampered: false, warnings: [] });
    expect(i.envelope().data.trial).toMatchObject({ firstStart: started, v: 2 });
    expect(i.envelope().data.trial.seal).not.toBe(legacy.seal);
    expect(await i.secrets.has(TRIAL_ANCHOR_SECRET)).toBe(true);

    const later = new Date(i.clock.now).toISOString();
    i.writeTrial({ firstStart: later, lastSeen: later, seal: oldSeal(later, later) });
    expect((await i.restart().status()).trial).toMatchObject({ tampered: true, warnings: [{ code: 'TRIAL_RECORD_TAMPERED' }] });
  });

  it('two processes starting on a new data directory at once agree on one trial', async () => {
    const i = installation();
    const [a, b] = await Promise.all([i.restart().status(), i.restart().status()]);
    expect([a.trial.tampered, b.trial.tampered]).toEqual([false, false]);
    expect((await i.restart().status()).trial).toMatchObject({ active: true, daysLeft: 45, tampered: false, warnings: [] });
  });
});
