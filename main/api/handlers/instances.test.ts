import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from './api-harness';
import { filesContaining } from '../../store/testing';

const { setup, services: current } = useApiHarness('lk-api-inst-');

describe('instances API', () => {
  it('creates, lists, renames, duplicates and deletes instances', async () => {
    const { call } = setup();
    const a = await call('instances.create', { family: 'panasonic', name: 'Berlin' });
    expect(a).toMatchObject({ name: 'Berlin', family: 'panasonic', lineCount: 0, secrets: { multiplexerPassword: false } });
    expect(a.problems).toEqual([{ field: 'connection.host', code: 'validation.hostEmpty', message: 'host must not be empty' }]);
    expect(a).not.toHaveProperty('lines');
    await call('instances.rename', { id: a.id, name: 'Berlin Mitte' });
    const copy = await call('instances.duplicate', { id: a.id });
    expect(copy.name).toBe('Berlin Mitte (copy)');
    const listed = await call('instances.list');
    expect(listed.instances.map((i: any) => i.name)).toEqual(['Berlin Mitte', 'Berlin Mitte (copy)']);
    expect(listed.problems).toEqual([]);
    expect(await call('instances.delete', { id: copy.id, confirmName: 'berlin mitte (copy)' })).toEqual({ deleted: 'Berlin Mitte (copy)' });
    expect((await call('instances.list')).instances).toHaveLength(1);
  });

  it('deletes only when the name is confirmed', async () => {
    const { call, fail } = setup();
    const a = await call('instances.create', { family: 'cme', name: 'CME' });
    expect(await fail('instances.delete', { id: a.id, confirmName: 'other' })).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect((await call('instances.list')).instances).toHaveLength(1);
  });

  it('rejects bad settings naming the field: unknown family, port out of range, empty host, interval below its minimum', async () => {
    const { call, fail } = setup();
    expect(await fail('instances.create', { family: 'avaya', name: 'X' })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('family') });
    const bw = await call('instances.create', { family: 'broadworks', name: 'BW' });
    expect(await fail('instances.update', { id: bw.id, patch: { connection: { port: 0 } } })).toMatchObject({ code: 'SETTINGS_INVALID', message: expect.stringContaining('connection.port: port must be 1-65535') });
    expect(await fail('instances.update', { id: bw.id, patch: { connection: { host: '' } } })).toMatchObject({ message: expect.stringContaining('connection.host: host must not be empty') });
    expect(await fail('instances.update', { id: bw.id, patch: { advanced: { snapshotInterval: 3 } } })).toMatchObject({ message: expect.stringContaining('advanced.snapshotInterval: must be at least 10 seconds') });
    expect(await fail('instances.update', { id: bw.id, patch: { connection: { connectionType: 'ctis' }, advanced: { httpProxy: 'http://proxy:3128' } } })).toMatchObject({
      message: expect.stringContaining('advanced.httpProxy: an HTTP proxy cannot be used with the CTI connection'),
    });
    expect(await fail('instances.create', { family: 'cme', name: 'bw' })).toMatchObject({ code: 'INSTANCE_NAME_TAKEN' });
    expect(await fail('instances.get', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('instances.get', { id: bw.id })).connection).toMatchObject({ port: 443, host: '', connectionType: 'https' });
  });

  it('stores BroadWorks provider, mode, URL prefix and advanced options, switching the port with the connection type', async () => {
    const { call } = setup();
    const bw = await call('instances.create', { family: 'broadworks', name: 'BW' });
    const u = await call('instances.update', {
      id: bw.id,
      patch: { connection: { host: 'cai.voipit.nl', urlPrefix: 'nl.cai', mode: 'workstation', connectionType: 'ctis' }, advanced: { lineNameFormat: 'name', returnToHeldAfterConsultation: false } },
    });
    expect(u.connection).toMatchObject({ host: 'cai.voipit.nl', urlPrefix: 'nl.cai', mode: 'workstation', connectionType: 'ctis', port: 8012 });
    expect(u.advanced).toMatchObject({ lineNameFormat: 'name', returnToHeldAfterConsultation: false });
    expect(u.problems).toEqual([]);
  });

  it('stores location, number format, SIP-line filter and notes, and validates them', async () => {
    const { call, fail } = setup();
    const p = await call('instances.create', { family: 'panasonic', name: 'P' });
    const u = await call('instances.update', {
      id: p.id,
      patch: {
        location: { useLocation: true, location: '49(89)1234', ranges: '100-199' },
        numberFormat: { incoming: [{ search: '^0(.*)', replace: '+49$1' }] },
        sipFilter: { mode: 'rules', rules: [{ kind: 'nameContains', pattern: 'SIP' }] },
        notes: 'rack 3',
      },
    });
    expect(u.location).toEqual({ useLocation: true, location: '49(89)1234', ranges: '100-199', display: 'internal', accessCode: '0', nationalPrefix: '0', internationalPrefix: '00' });
    expect(u.numberFormat.incoming).toEqual([{ enabled: true, mode: 'regex', search: '^0(.*)', replace: '+49$1' }]);
    expect(u.numberFormat.outgoing).toEqual([]);
    expect(u.sipFilter.rules).toHaveLength(1);
    expect(u.notes).toBe('rack 3');
    expect(await fail('instances.update', { id: p.id, patch: { sipFilter: { rules: [{ kind: 'nameContains', pattern: '' }] } } })).toMatchObject({
      code: 'SETTINGS_INVALID',
      message: expect.stringContaining('sipFilter.rules.0.pattern'),
    });
    expect(await fail('instances.update', { id: p.id, patch: { connection: { tls: true } } })).toMatchObject({ message: expect.stringContaining('connection.tls: TLS is only available through the CSTA multiplexer') });
  });

  it('fills in a BroadWorks provider profile and refuses an unknown provider', async () => {
    const { call, fail } = setup();
    const bw = await call('instances.create', { family: 'broadworks', name: 'BW' });
    const u = await call('instances.update', { id: bw.id, patch: { connection: { provider: 'routit', user: 'admin@example.nl' } } });
    expect(u.connection).toMatchObject({ provider: 'routit', host: 'cai.voipit.nl', connectionType: 'https', port: 443, urlPrefix: 'nl.cai', user: 'admin@example.nl' });
    expect(await fail('instances.update', { id: bw.id, patch: { connection: { provider: 'acme' } } })).toMatchObject({ message: expect.stringContaining('connection.provider: provider must be one of custom, plusnet, routit') });
  });

  it('keeps passwords out of every file in the data directory, including backups and logs', async () => {
    const { call, dataDir } = setup();
    const password = 'Zebra-Quartz-7781';
    const a = await call('instances.create', { family: 'panasonic', name: 'P' });
    await call('instances.update', { id: a.id, patch: { connection: { mode: 'multiplexer', host: 'mux.local' } } });
    const r = await call('instances.setSecret', { id: a.id, field: 'multiplexerPassword', value: password });
    expect(r.secrets).toEqual({ multiplexerPassword: true });
    await call('instances.update', { id: a.id, patch: { notes: 'visible-note-4711' } });
    const { backup } = await call('config.backup');
    writeFileSync(join(dataDir, 'backup.json'), JSON.stringify(backup));
    expect(JSON.stringify(backup)).not.toContain(password);
    expect(await current().instances.getSecret(a.id, 'multiplexerPassword')).toBe(password);
    expect(filesContaining(dataDir, password)).toEqual([]);
    // The scan does find what is stored in clear text (the notes), so an empty result means something.
    expect(filesContaining(dataDir, 'visible-note-4711')).toEqual(expect.arrayContaining([join('config', `instance-${a.id}.json`), 'backup.json']));
  });

  it('refuses a password field the family does not have', async () => {
    const { call, fail } = setup();
    const a = await call('instances.create', { family: 'cme', name: 'C' });
    expect(await fail('instances.setSecret', { id: a.id, field: 'multiplexerPassword', value: 'x' })).toMatchObject({ code: 'SECRET_FIELD_UNKNOWN', message: expect.stringContaining('axlPassword') });
  });

  it('lists an instance whose document is broken as a problem, offers its backup and restores it', async () => {
    const { call, fail } = setup();
    const a = await call('instances.create', { family: 'panasonic', name: 'P' });
    await call('instances.update', { id: a.id, patch: { notes: 'v2' } });
    writeFileSync(current().docs.fileOf(`instance-${a.id}`), '{ broken');
    const listed = await call('instances.list');
    expect(listed.instances).toEqual([]);
    expect(listed.problems).toEqual([
      expect.objectContaining({ document: `instance-${a.id}`, code: 'DOCUMENT_UNREADABLE', backupFile: current().docs.backupFileOf(`instance-${a.id}`) }),
    ]);
    expect(await fail('instances.update', { id: a.id, patch: { notes: 'v3' } })).toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    const restored = await call('instances.restoreBackup', { document: `instance-${a.id}` });
    expect(restored).toMatchObject({ name: 'P', notes: '' });
  });
});

describe('lines API', () => {
  it('adds, edits and bulk-deletes lines and announces each change', async () => {
    const { call, services } = setup();
    const events: unknown[] = [];
    services.bus.on('lines.changed', (p) => events.push(p));
    const c = await call('instances.create', { family: 'cme', name: 'CME' });
    await call('lines.add', { instanceId: c.id, line: { number: '100', name: 'Anna', deviceId: 'SEP00AABBCCDDEE', buttons: ['101'] } });
    await call('lines.add', { instanceId: c.id, line: { number: '200', name: 'EM user' } });
    await call('lines.add', { instanceId: c.id, line: { number: '300', name: ' Carl ' } });
    const edited = await call('lines.update', { instanceId: c.id, ref: { number: '100', deviceId: 'SEP00AABBCCDDEE' }, line: { number: '100', name: 'Anna B', deviceId: 'SEP00AABBCCDDEE' } });
    expect(edited).toEqual({ line: { number: '100', name: 'Anna B', deviceId: 'SEP00AABBCCDDEE' }, lineCount: 3 });
    expect(await call('lines.delete', { instanceId: c.id, refs: [{ number: '200' }, { number: '300' }] })).toEqual({ deleted: 2, lineCount: 1 });
    expect(await call('lines.list', { instanceId: c.id })).toEqual({ total: 1, lines: [{ number: '100', name: 'Anna B', deviceId: 'SEP00AABBCCDDEE' }], shownAs: null });
    expect(events).toEqual([1, 2, 3, 3, 1].map((lineCount) => ({ instanceId: c.id, lineCount })));
  });

  it('rejects a bad number, a duplicate, a bad MAC address and fields of another family', async () => {
    const { call, fail } = setup();
    const c = await call('instances.create', { family: 'cme', name: 'CME' });
    const p = await call('instances.create', { family: 'panasonic', name: 'P' });
    await call('lines.add', { instanceId: c.id, line: { number: '100', name: 'A', deviceId: 'SEP001122334455' } });
    expect(await fail('lines.add', { instanceId: c.id, line: { number: '10 0', name: 'x' } })).toMatchObject({ code: 'LINES_INVALID', message: expect.stringContaining('"10 0" is not a valid number') });
    expect(await fail('lines.add', { instanceId: c.id, line: { number: '100', name: 'B', deviceId: '001122334455' } })).toMatchObject({ message: expect.stringContaining('already line 1') });
    expect(await fail('lines.add', { instanceId: c.id, line: { number: '101', name: 'B', deviceId: 'SEP0011223344' } })).toMatchObject({ message: expect.stringContaining('is not a MAC address') });
    expect(await fail('lines.add', { instanceId: p.id, line: { number: '101', name: 'B', deviceId: 'SEP001122334455' } })).toMatchObject({ message: expect.stringContaining('device IDs exist only on CME lines') });
    await call('lines.add', { instanceId: p.id, line: { number: '101', name: 'B', mobile: '701' } });
    expect(await fail('lines.add', { instanceId: p.id, line: { number: '101', name: 'again' } })).toMatchObject({ message: expect.stringContaining('number 101 is already line 1') });
    expect((await call('lines.list', { instanceId: c.id })).total).toBe(1);
  });

  it('deletes nothing when one of several lines to delete does not exist', async () => {
    const { call, fail } = setup();
    const p = await call('instances.create', { family: 'panasonic', name: 'P' });
    await call('lines.add', { instanceId: p.id, line: { number: '100', name: '' } });
    expect(await fail('lines.delete', { instanceId: p.id, refs: [{ number: '100' }, { number: '999' }] })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('999; nothing was deleted') });
    expect(await fail('lines.update', { instanceId: p.id, ref: { number: '555' }, line: { number: '555', name: '' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('lines.list', { instanceId: p.id })).total).toBe(1);
  });

  it('refuses a NUL or another control character in a line name added or edited by hand, naming the character', async () => {
    const { call, fail } = setup();
    const p = await call('instances.create', { family: 'panasonic', name: 'P' });
    const refused = await fail('lines.add', { instanceId: p.id, line: { number: '100', name: 'Desk\u0000evil' } });
    expect(refused).toMatchObject({ code: 'LINES_INVALID', details: { problems: [{ field: 'name', code: 'line.controlCharacter', params: { character: 'U+0000' } }] } });
    await call('lines.add', { instanceId: p.id, line: { number: '100', name: 'Desk\tleft' } });
    expect(await fail('lines.update', { instanceId: p.id, ref: { number: '100' }, line: { number: '100', name: 'bell\u0007' } })).toMatchObject({ code: 'LINES_INVALID' });
    expect((await call('lines.list', { instanceId: p.id })).lines[0].name).toBe('Desk\tleft');
  });

  it('a wizard instance is held until commit: listed nowhere, written nowhere, not startable; committed it is all stored', async () => {
    const { call, fail, dataDir } = setup();
    const p = await call('instances.create', { family: 'panasonic', name: 'Wizard PBX', pending: true });
    await call('instances.update', { id: p.id, patch: { connection: { host: 'wizard-pbx.local' } } });
    await call('instances.setSecret', { id: p.id, field: 'multiplexerPassword', value: 'only-in-memory' });
    const fingerprint = 'AB'.repeat(32);
    await call('instances.acceptCertificate', { instanceId: p.id, fingerprint });
    expect((await call('instances.list')).instances).toEqual([]);
    expect(filesContaining(dataDir, 'wizard-pbx.local')).toEqual([]);
    expect(filesContaining(dataDir, 'AB:AB:AB')).toEqual([]);
    expect(await fail('driver.start', { instanceId: p.id })).toMatchObject({ code: 'INSTANCE_NOT_CREATED', details: { name: 'Wizard PBX' } });

    const saved = await call('instances.commit', { id: p.id });
    expect(saved).toMatchObject({ name: 'Wizard PBX', connection: { host: 'wizard-pbx.local' }, secrets: { multiplexerPassword: true } });
    expect((await call('instances.list')).instances.map((i: any) => i.name)).toEqual(['Wizard PBX']);
    // the pins document (its first version is also copied to its .bak)
    await expect.poll(() => filesContaining(dataDir, 'AB:AB:AB').filter((f) => !f.endsWith('.bak'))).toHaveLength(1);
    expect(await fail('instances.commit', { id: p.id })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('Cancel drops a wizard instance without the name confirmation, and the demo path makes a new one each time', async () => {
    const { call } = setup();
    const p = await call('instances.create', { family: 'cme', name: 'Dropped', pending: true });
    expect(await call('instances.delete', { id: p.id, confirmName: '' })).toEqual({ deleted: 'Dropped' });
    const first = await call('demo.newInstance');
    await call('instances.commit', { id: first.id });
    const second = await call('demo.newInstance');
    expect([first.name, second.name]).toEqual(['Demo PBX', 'Demo PBX 2']);
    expect(second.connection).toMatchObject({ host: '127.0.0.1', port: first.connection.port });
    expect((await call('instances.list')).instances.map((i: any) => i.name)).toEqual(['Demo PBX']);
    await call('demo.stop');
  });
});
