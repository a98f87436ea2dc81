import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createServices } from '../../app/services';
import { createApi } from '../index';
import { useApiHarness } from './api-harness';

const { setup, track, services: current } = useApiHarness('lk-api-cfg-');

describe('global settings', () => {
  it('start with defaults, keep changes across restarts and apply the log level', async () => {
    const { call, dataDir } = setup();
    expect(await call('settings.get')).toEqual({ language: 'en', logLevel: 'info', logKeepDays: 30, logDirectory: '' });
    expect(await call('settings.update', { language: 'de', logLevel: 'debug' })).toEqual({ language: 'de', logLevel: 'debug', logKeepDays: 30, logDirectory: '' });
    expect(current().logger.level).toBe('debug');
    // A restart: new services on the same data directory.
    const restarted = track(createServices({ dataDir, transport: 'websocket' }));
    const reply = await createApi(restarted)('settings.get', {});
    expect(reply).toEqual({ ok: true, result: { language: 'de', logLevel: 'debug', logKeepDays: 30, logDirectory: '' } });
    await vi.waitFor(() => expect(current().logger.level).toBe('debug'));
  });

  it('reject an unknown language and a negative keep-days, naming the field', async () => {
    const { fail, call } = setup();
    expect(await fail('settings.update', { language: 'fr' })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('language') });
    expect(await fail('settings.update', { logKeepDays: -1 })).toMatchObject({ message: expect.stringContaining('logKeepDays') });
    expect((await call('settings.get')).language).toBe('en');
  });
});

describe('configuration backup and restore', () => {
  it('restores instances, lines and settings from one backup; passwords of kept instances survive', async () => {
    const { call, dataDir } = setup();
    const a = await call('instances.create', { family: 'cme', name: 'CME' });
    await call('lines.add', { instanceId: a.id, line: { number: '100', name: 'A', deviceId: 'SEP001122334455' } });
    await call('instances.setSecret', { id: a.id, field: 'axlPassword', value: 'axl-secret' });
    await call('settings.update', { language: 'de' });
    const licences = { kind: 'licences', version: 1, schema: z.any() };
    await current().docs.update('licences', licences, (cur) => ({ ...(cur ?? {}), marker: 'current' }));
    const { backup, skipped } = await call('config.backup');
    expect(skipped).toEqual([]);
    // The licence document (trial record) is not configuration and never travels in a backup.
    expect(Object.keys(backup.documents).sort()).toEqual([`instance-${a.id}`, 'settings']);

    await call('lines.delete', { instanceId: a.id, refs: [{ number: '100', deviceId: 'SEP001122334455' }] });
    const b = await call('instances.create', { family: 'panasonic', name: 'Later' });
    await call('instances.setSecret', { id: b.id, field: 'multiplexerPassword', value: 'gone-soon' });
    await call('settings.update', { language: 'en' });

    backup.documents.licences = { kind: 'licences', schemaVersion: 1, savedAt: '', data: { marker: 'smuggled' } };
    const result = await call('config.restore', { backup });
    expect((await current().docs.read('licences', licences)).marker).toBe('current');
    expect(result.removed).toEqual([`instance-${b.id}`]);
    expect((await call('instances.list')).instances.map((i: any) => i.name)).toEqual(['CME']);
    expect((await call('lines.list', { instanceId: a.id })).lines).toEqual([{ number: '100', name: 'A', deviceId: 'SEP001122334455' }]);
    expect((await call('settings.get')).language).toBe('de');
    expect(await current().instances.getSecret(a.id, 'axlPassword')).toBe('axl-secret');
    // The removed instance's password is gone; the trial's second copy (not configuration) stays.
    expect(await current().secrets.keys()).toEqual([`instance/${a.id}/axlPassword`, 'licence/trial']);
    // The configuration as it was before is kept.
    const saved = JSON.parse(readFileSync(result.safetyFile, 'utf8'));
    expect(Object.keys(saved.documents)).toContain(`instance-${b.id}`);
    expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(1);
  });

  it('restores nothing from a file that is not a backup or holds one invalid document', async () => {
    const { call, fail } = setup();
    const a = await call('instances.create', { family: 'panasonic', name: 'P' });
    const { backup } = await call('config.backup');
    expect(await fail('config.restore', { backup: { hello: 'world' } })).toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringContaining('not a Linekeeper configuration backup') });
    const other = await call('instances.create', { family: 'cme', name: 'Other' });
    const bad = structuredClone(backup);
    bad.documents['instance-x'] = { kind: 'instance', schemaVersion: 1, savedAt: '', data: { id: 'x', family: 'panasonic', name: 'X', connection: { port: 99999 } } };
    expect(await fail('config.restore', { backup: bad })).toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringContaining('"instance-x"') });
    expect((await call('instances.list')).instances.map((i: any) => i.id).sort()).toEqual([a.id, other.id].sort());
  });

  it('a damaged instance document keeps its name, stays on disk through a restore and comes back from its backup copy', async () => {
    const { call, fail, dataDir } = setup();
    const office = await call('instances.create', { family: 'panasonic', name: 'Office' });
    await call('lines.add', { instanceId: office.id, line: { number: '201', name: 'Reception' } });
    await call('instances.update', { id: office.id, patch: { notes: 'front desk' } });
    await call('instances.setSecret', { id: office.id, field: 'multiplexerPassword', value: 'kept' });
    const { backup } = await call('config.backup');
    const other = await call('instances.create', { family: 'cme', name: 'Branch' });
    // The document is damaged after its last save; the save before it is the backup copy.
    const doc = `instance-${office.id}`;
    const file = join(dataDir, 'config', `${doc}.json`);
    writeFileSync(file, '{"kind":"instance","schemaVersion":1,"data":{"id":');

    const listed = await call('instances.list');
    expect(listed.instances.map((i: any) => i.name)).toEqual(['Branch']);
    expect(listed.problems).toEqual([expect.objectContaining({ document: doc, code: 'DOCUMENT_UNREADABLE', name: 'Office', backupFile: `${file}.bak` })]);

    // Its name cannot be taken meanwhile: not by a new instance, a rename or a copy.
    expect(await fail('instances.create', { family: 'cme', name: 'office' })).toMatchObject({ code: 'INSTANCE_NAME_BLOCKED', details: { name: 'Office', document: doc } });
    expect(await fail('instances.rename', { id: other.id, name: 'Office' })).toMatchObject({ code: 'INSTANCE_NAME_BLOCKED' });

    // A whole-configuration restore (this backup holds the instance, with its one line) leaves it as it is.
    const result = await call('config.restore', { backup });
    expect(result).toMatchObject({ kept: [doc], removed: [`instance-${other.id}`] });
    expect(readFileSync(file, 'utf8')).toBe('{"kind":"instance","schemaVersion":1,"data":{"id":');
    expect(existsSync(`${file}.bak`)).toBe(true);
    expect(await current().instances.getSecret(office.id, 'multiplexerPassword')).toBe('kept');

    // A backup whose other instance has that name is refused before anything is written.
    const clash = structuredClone(backup);
    delete clash.documents[doc];
    clash.documents['instance-other'] = { kind: 'instance', schemaVersion: 1, savedAt: '', data: { id: 'other', family: 'cme', name: 'OFFICE' } };
    expect(await fail('config.restore', { backup: clash })).toMatchObject({ code: 'RESTORE_NAME_BLOCKED', details: { name: 'OFFICE', document: doc } });
    expect(existsSync(join(dataDir, 'config', 'instance-other.json'))).toBe(false);

    // Restoring the backup copy brings the instance back under its name; the damaged file is kept beside it.
    const restored = await call('instances.restoreBackup', { document: doc });
    expect(restored).toMatchObject({ id: office.id, name: 'Office', lineCount: 1 });
    expect((await call('instances.list')).problems).toEqual([]);
    expect(readdirSync(join(dataDir, 'config')).some((f) => f.startsWith(`${doc}.json.broken-`))).toBe(true);
    expect(await fail('instances.create', { family: 'cme', name: 'Office' })).toMatchObject({ code: 'INSTANCE_NAME_TAKEN' });
  });
});
