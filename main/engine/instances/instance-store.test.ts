import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocumentStore } from '../../store/document-store';
import { MemorySecretStore } from '../../store/secret-store';
import { mainPort } from '../../../shared/model/instance';
import { InstanceStore, type InstanceChange } from './instance-store';

function makeStore() {
  const dir = mkdtempSync(join(tmpdir(), 'lk-inst-'));
  const secrets = new MemorySecretStore();
  return { store: new InstanceStore({ docs: openDocumentStore(dir), secrets }), secrets, dir };
}

describe('instance store', () => {
  it('creates instances with the defaults of each family from the manuals', async () => {
    const { store } = makeStore();
    const pana = await store.create({ family: 'panasonic', name: 'Berlin PBX' });
    expect(pana.connection).toEqual({ mode: 'direct', host: '', port: 33333, tls: false, user: 'admin' });
    const cme = await store.create({ family: 'cme', name: 'CME' });
    expect(cme.family === 'cme' && cme.connection.sessionServerId).toBe('ss_ecsta');
    expect(cme.family === 'cme' && cme.advanced.readLineButtons).toBe(false);
    const bw = await store.create({ family: 'broadworks', name: 'BW' });
    expect(bw.family === 'broadworks' && [bw.connection.connectionType, bw.connection.port, bw.advanced.lineNameFormat]).toEqual(['https', 443, 'standard']);
    const sip = await store.create({ family: 'sip-phones', name: 'Phones' });
    expect(mainPort(sip)).toBe(5060);
    expect((await store.list()).map((i) => i.name)).toEqual(['Berlin PBX', 'BW', 'CME', 'Phones']);
  });

  it('moves the multiplexer port to the TLS default 33334 when TLS is switched on', async () => {
    const { store } = makeStore();
    const i = await store.create({ family: 'panasonic', name: 'P' });
    const u = await store.update(i.id, { connection: { mode: 'multiplexer', tls: true, host: 'mux.example' } });
    expect(u.connection).toMatchObject({ mode: 'multiplexer', tls: true, port: 33334, host: 'mux.example' });
    const custom = await store.update(i.id, { connection: { port: 40000 } });
    expect(mainPort(custom)).toBe(40000);
    expect(mainPort(await store.update(i.id, { connection: { tls: false } }))).toBe(40000);
  });

  it('rejects bad settings with an error naming the field and keeps the stored ones', async () => {
    const { store } = makeStore();
    const i = await store.create({ family: 'cme', name: 'C' });
    await expect(store.update(i.id, { connection: { axlPort: 70000 } })).rejects.toMatchObject({ code: 'SETTINGS_INVALID', message: expect.stringContaining('connection.axlPort') });
    await expect(store.update(i.id, { connection: { host: '  ' } })).rejects.toMatchObject({ code: 'SETTINGS_INVALID', message: expect.stringContaining('connection.host') });
    await expect(store.update(i.id, { advanced: { updateLinesInterval: 5 } })).rejects.toMatchObject({ message: expect.stringContaining('advanced.updateLinesInterval: must be at least 30 seconds') });
    expect((await store.get(i.id)).connection).toMatchObject({ axlPort: 80, host: '' });
  });

  it('refuses a second instance with the same name', async () => {
    const { store } = makeStore();
    await store.create({ family: 'panasonic', name: 'Main' });
    await expect(store.create({ family: 'cme', name: 'main' })).rejects.toMatchObject({ code: 'INSTANCE_NAME_TAKEN' });
  });

  it('lets only one of two simultaneous creates (two stores on one directory) take a name', async () => {
    const { store, dir } = makeStore();
    const other = new InstanceStore({ docs: openDocumentStore(dir), secrets: new MemorySecretStore() });
    const results = await Promise.allSettled([store.create({ family: 'cme', name: 'Same' }), other.create({ family: 'panasonic', name: 'same' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await store.list()).map((i) => i.name)).toHaveLength(1);
  });

  it('duplicates an instance with its lines and passwords under a new name', async () => {
    const { store } = makeStore();
    const i = await store.create({ family: 'broadworks', name: 'BW' });
    await store.updateLines(i.id, () => [{ number: '100', name: 'Anna', userId: 'anna@example.com' }]);
    await store.setSecret(i.id, 'password', 's3cret');
    const copy = await store.duplicate(i.id);
    expect(copy.name).toBe('BW (copy)');
    expect(copy.lines).toEqual([{ number: '100', name: 'Anna', userId: 'anna@example.com' }]);
    expect(await store.getSecret(copy.id, 'password')).toBe('s3cret');
  });

  it('deletes an instance together with its passwords', async () => {
    const { store, secrets } = makeStore();
    const i = await store.create({ family: 'cme', name: 'C' });
    await store.setSecret(i.id, 'axlPassword', 'pw');
    await store.delete(i.id);
    expect(await store.list()).toEqual([]);
    expect(await secrets.keys()).toEqual([]);
    await expect(store.get(i.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('replaces lines all or nothing and tells listeners', async () => {
    const { store } = makeStore();
    const i = await store.create({ family: 'cme', name: 'C' });
    const changes: InstanceChange[] = [];
    store.onChange((c) => changes.push(c));
    await store.updateLines(i.id, () => [{ number: '100', name: 'A', deviceId: 'SEP001122334455', buttons: ['101'] }]);
    await expect(
      store.updateLines(i.id, (lines) => [...lines, { number: '1x2', name: '' }, { number: '100', name: 'dup', deviceId: '001122334455' }, { number: '200', name: '', deviceId: 'SEP12' }]),
    ).rejects.toMatchObject({ code: 'LINES_INVALID' });
    expect((await store.get(i.id)).lines).toHaveLength(1);
    expect(changes).toEqual([{ instanceId: i.id, kind: 'lines', lineCount: 1 }]);
  });

  it('holds a wizard instance in memory with its lines and password, and stores it only on commit', async () => {
    const { store, secrets, dir } = makeStore();
    const changes: InstanceChange[] = [];
    store.onChange((c) => changes.push(c));
    const p = await store.createPending({ family: 'panasonic', name: 'Wizard PBX' });
    await store.update(p.id, { connection: { host: 'pbx.local' } });
    await store.updateLines(p.id, () => [{ number: '100', name: 'Anna' }]);
    await store.setSecret(p.id, 'multiplexerPassword', 'pw');
    expect((await store.get(p.id)).lines).toHaveLength(1);
    expect(await store.secretStatus(p.id)).toEqual({ multiplexerPassword: true });
    expect(await store.list()).toEqual([]);
    expect(await secrets.keys()).toEqual([]);
    expect(store.backupFileOf(p.id)).toBeNull();
    expect(changes).toEqual([]);
    expect(() => store.requireStored(p.id)).toThrow(expect.objectContaining({ code: 'INSTANCE_NOT_CREATED' }));

    const saved = await store.commit(p.id);
    expect(saved).toMatchObject({ name: 'Wizard PBX', connection: { host: 'pbx.local' }, lines: [{ number: '100', name: 'Anna' }] });
    expect(changes).toEqual([{ instanceId: p.id, kind: 'created', lineCount: 1 }]);
    expect(await store.getSecret(p.id, 'multiplexerPassword')).toBe('pw');
    // A second store on the same directory (a restart) finds it.
    const again = new InstanceStore({ docs: openDocumentStore(dir), secrets });
    expect((await again.get(p.id)).lines).toHaveLength(1);
    expect(() => store.requireStored(p.id)).not.toThrow();
  });

  it('drops a cancelled wizard instance without a trace and checks its name again on commit', async () => {
    const { store, secrets } = makeStore();
    const gone = await store.createPending({ family: 'cme', name: 'Gone' });
    await store.setSecret(gone.id, 'axlPassword', 'pw');
    await store.delete(gone.id);
    await expect(store.get(gone.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.commit(gone.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await secrets.keys()).toEqual([]);

    await store.create({ family: 'panasonic', name: 'Taken' });
    await expect(store.createPending({ family: 'panasonic', name: 'taken' })).rejects.toMatchObject({ code: 'INSTANCE_NAME_TAKEN' });
    const late = await store.createPending({ family: 'panasonic', name: 'Late' });
    await store.create({ family: 'panasonic', name: 'Late' });
    await expect(store.commit(late.id)).rejects.toMatchObject({ code: 'INSTANCE_NAME_TAKEN' });
    await store.update(late.id, { name: 'Later' });
    expect((await store.commit(late.id)).name).toBe('Later');
  });
});
