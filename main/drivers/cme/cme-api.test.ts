// The CME family through the API against the simulator: create an instance, test the connection (XML API and the
// session server over SIP), discover and apply — a number that is the first button of two phones is two lines —
// then start it: the lines are monitored, a call to the shared number reaches both, make call, hang up and
// do-not-disturb work.
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_NUMBER, startCmeSim, type CmeSim } from '../../sim/cme';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { freePort } from '../shared/free-port';
import { startBensInstance } from './testing/api-sim';

let harness: ApiHarness | undefined;
let sim: CmeSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

describe('CME through the API', () => {
  it('test connection (login refused, then accepted), discover with line buttons, apply: the shared number is a line per phone', async () => {
    sim = await startCmeSim({ phones: 5, user: 'axl', password: 'axl-secret', sip: { port: 0, authenticateRegister: true } });
    harness = startApi();
    const { api, events } = harness;
    const { id } = await call(api, 'instances.create', { family: 'cme', name: 'Branch CME' });
    const connection = { host: '127.0.0.1', axlPort: sim.port, axlUser: 'axl', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: sim.sip!.port };
    await call(api, 'instances.update', { id, patch: { connection, advanced: { readLineButtons: true } } });

    const refused = await call(api, 'instances.testConnection', { instanceId: id });
    expect(refused).toMatchObject({ ok: false, port: sim.port, error: { code: 'LOGIN_REJECTED' } });
    await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'axl-secret' });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true, transport: 'tcp', reply: `CME 12.5 "sim-cme": 5 phones, 7 extensions, 4 registered; session server ss_ecsta registered at 127.0.0.1:${sim.sip!.port} for 600 s` });

    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.method).toBe('phoneInventory');
    expect(preview.added.map((l: { number: string; deviceId?: string; buttons?: string[] }) => `${l.number}@${l.deviceId ?? '-'}${l.buttons ? `+${l.buttons.join(';')}` : ''}`)).toEqual([
      `2001@SEP001122000001+${SHARED_NUMBER}`,
      `2002@SEP001122000002+${SHARED_NUMBER}`,
      '2003@SEP001122000003',
      `${SHARED_NUMBER}@SEP001122000004`,
      `${SHARED_NUMBER}@SEP001122000005`,
      '3001@-+3002',
      '3003@-',
    ]);
    expect(preview.warnings.map((w: { code: string }) => w.code)).toEqual(['warnings.sipPhoneSkipped', 'warnings.sipPhoneSkipped']);
    const applied = await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r1' });
    expect(applied).toMatchObject({ lineCount: 7, added: 7 });
    const stored = await call(api, 'lines.list', { instanceId: id });
    const lines = (stored.lines ?? stored) as Array<{ number: string; deviceId?: string }>;
    expect(lines.filter((l) => l.number === SHARED_NUMBER).map((l) => l.deviceId)).toEqual(['SEP001122000004', 'SEP001122000005']);

    // Discovering again changes nothing.
    const again = await call(api, 'lines.discover', { instanceId: id, requestId: 'r2' });
    expect(again).toMatchObject({ added: [], removed: [], unchanged: 7 });

    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 7, 'all seven lines open');
    expect(sim.sip!.monitoredNumbers().sort()).toEqual(['2001', '2002', '2003', '3001', '3003', SHARED_NUMBER, SHARED_NUMBER].sort());
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: SHARED_NUMBER }) });
    await until(() => events.filter((e) => e.event === 'delivered').length === 2, 'the call at both sales desks');
    expect(events.filter((e) => e.event === 'delivered').map((e) => e.line).sort()).toEqual([`${SHARED_NUMBER}|001122000004`, `${SHARED_NUMBER}|001122000005`]);

    // Phone 3 is unregistered: its line is out of service until it registers; a mobility user logged in nowhere too.
    const inService = async (line: string) => (await call(api, 'line.status', { instanceId: id, line })).inService;
    await until(async () => (await inService('2003|001122000003')) === false, 'line 2003 out of service');
    // Each line's state arrives on its own, so the mobility line is awaited too.
    await until(async () => (await inService('3003|')) === false, 'mobility line 3003 out of service');
    expect(await inService('2001|001122000001')).not.toBe(false);
    await fetch(`${sim.controlUrl}/ephones/3`, { method: 'POST', body: JSON.stringify({ registered: true }) });
    await until(async () => (await inService('2003|001122000003')) === true, 'line 2003 back in service');

    // Make call, hang up and do-not-disturb go over CSTA in the same dialog.
    const made = await call(api, 'line.makeCall', { instanceId: id, line: '2001|001122000001', number: '2002' });
    await until(() => events.some((e) => e.event === 'delivered' && e.line === '2002|001122000002'), 'the call at 2002');
    expect(events.find((e) => e.event === 'originated' && e.line === '2001|001122000001')).toMatchObject({ callId: made.callId });
    await call(api, 'line.clearCall', { instanceId: id, line: '2001|001122000001', callId: made.callId });
    await until(() => events.some((e) => e.event === 'connectionCleared' && e.line === '2002|001122000002'), 'the call cleared at 2002');
    await call(api, 'line.setDoNotDisturb', { instanceId: id, line: '2003|001122000003', on: true });
    expect(sim.sip!.calls.model.doNotDisturb('2003')).toBe(true);
    await until(() => events.some((e) => e.event === 'doNotDisturb' && e.line === '2003|001122000003'), 'the do-not-disturb event');
  });

  it('a running instance: a changed "read line buttons" counts for the next discovery, on the link it has', async () => {
    sim = await startCmeSim({ phones: 5, sip: { port: 0 } });
    harness = startApi();
    const { api, services } = harness;
    const id = await startBensInstance(api, sim);
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open');
    const buttonsOf2001 = async (requestId: string) => (await call(api, 'lines.discover', { instanceId: id, requestId })).added.find((l: { number: string }) => l.number === '2001')?.buttons;
    expect(await buttonsOf2001('b1')).toBeUndefined();
    const link = () => ({ logins: sim!.xml.operations.get('ISgetGlobal'), sessions: sim!.sip!.sessions });
    const before = link();

    await call(api, 'instances.update', { id, patch: { advanced: { readLineButtons: true } } });
    // The save's own notice runs unawaited; this one is awaited, so the runtime has taken the setting after it.
    await services.drivers.instanceChanged(id, 'updated');
    expect(await buttonsOf2001('b2')).toEqual([SHARED_NUMBER]);
    expect(link()).toEqual({ logins: 1, sessions: before.sessions });
  });

  it('HTTPS with a certificate no CA vouches for: test connection names its fingerprint; accepted, it is pinned and discovery works', async () => {
    const cert = makeTestCert();
    sim = await startCmeSim({ phones: 2, tls: { port: 0, cert: cert.cert, key: cert.key }, sip: { port: 0 } });
    harness = startApi();
    const { api } = harness;
    const { id } = await call(api, 'instances.create', { family: 'cme', name: 'TLS CME' });
    const connection = { host: '127.0.0.1', axlProtocol: 'https', axlPort: sim.tlsPort, axlUser: 'cisco', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: sim.sip!.port };
    await call(api, 'instances.update', { id, patch: { connection } });
    await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'cisco' });
    const untrusted = await call(api, 'instances.testConnection', { instanceId: id });
    expect(untrusted).toMatchObject({ ok: false, error: { code: 'TLS_FAILED' } });
    expect(untrusted.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    await call(api, 'instances.acceptCertificate', { instanceId: id, fingerprint: untrusted.fingerprint });
    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'tls' });
    expect(preview.added.map((l: { number: string }) => l.number)).toEqual(['2001', '2002', '3001', '3003']);
  });
});
