// The uaCSTA server object over real SIP on 127.0.0.1: phones of all four vendors, CTI clients, TLS, the WAN
// interface, licences from a real pool, settings while running and stopped, diagnostics files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { header, SipEndpoint } from '../../protocols/sip';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { LicencePool, LicenceService, memoryLicenceDocs, memoryTrialAnchor } from '../../engine/licences';
import { SimExchange, SimSipPhone, VENDOR_PROFILES, type PhoneVendor } from '../../sim/sip-phones/phone';
import { UacstaServer, type UacstaSettings } from './server';
import { UacstaError } from './phone-interface';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const until = async (f: () => boolean, what: string, ms = 4000) => {
  for (let t = 0; t < ms && !f(); t += 10) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

const base = (o: Partial<UacstaSettings> = {}): UacstaSettings => ({
  phones: { host: '127.0.0.1', tcpPort: 0 },
  clients: { host: '127.0.0.1', tcpPort: 0 },
  phonePassword: 'phones',
  clientLogins: [{ user: 'cti', password: 'c' }],
  autoActivate: true,
  expirySeconds: 300,
  keepAliveSeconds: 60,
  notifyVendors: [],
  ...o,
});

async function server(settings: UacstaSettings, o: Partial<ConstructorParameters<typeof UacstaServer>[0]> = {}) {
  const s = new UacstaServer({ settings, computerName: 'localhost', ...o });
  cleanup.push(() => s.close());
  return s;
}

const port = (s: UacstaServer, itf: 'phones' | 'clients', transport: 'TCP' | 'TLS' = 'TCP', host = '127.0.0.1') => s.status().listening.find((l) => l.interface === itf && l.transport === transport && l.host === host)!.port;

async function phone(s: UacstaServer, vendor: PhoneVendor, n: number, o: Partial<Parameters<typeof SimSipPhone.start>[0]> = {}) {
  const p = await SimSipPhone.start({ mac: `${VENDOR_PROFILES[vendor].oui}0000${n.toString(16).padStart(2, '0')}`, password: 'phones', server: { host: '127.0.0.1', port: port(s, 'phones') }, vendor, identities: [String(200 + n)], ...o });
  cleanup.push(() => p.close());
  return p;
}

async function client(s: UacstaServer, user = 'cti', password = 'c') {
  const p = port(s, 'clients');
  const ep = await SipEndpoint.start({ user, credentials: { user, password } });
  cleanup.push(() => ep.close());
  await ep.register({ registrar: `sip:127.0.0.1:${p};transport=tcp`, aor: `sip:${user}@127.0.0.1`, expires: 300 });
  const session: XmlCstaSession = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${p};transport=tcp` });
  cleanup.push(() => session.close());
  const events: CstaEvent[] = [];
  session.onEvent((e) => events.push(e));
  return { s: session, events };
}

const controllable = (s: UacstaServer, n: number) => s.phones().filter((p) => p.status === 'controllable').length === n;

describe('uaCSTA server: phones of every vendor', () => {
  it('controls snom, Yealink, Auerswald and Mitel phones: phone list, features, SystemRegister only where the vendor has it, refusals naming nothing the phone sees, AlternateCall emulated', async () => {
    const s = await server(base());
    await s.start();
    const sims: Record<PhoneVendor, SimSipPhone> = { snom: await phone(s, 'snom', 1), yealink: await phone(s, 'yealink', 2), auerswald: await phone(s, 'auerswald', 3), mitel: await phone(s, 'mitel', 4) };
    for (const p of Object.values(sims)) expect((await p.register()).status).toBe(200);
    await until(() => controllable(s, 4), 'four phones controllable');

    const mitel = s.phone(sims.mitel.mac)!;
    expect(mitel).toMatchObject({ vendor: 'mitel', type: 'Mitel 6867i/4.1.0.2033', firmware: '4.1.0.2033', lastIp: '127.0.0.1', identity: 'sip:204@127.0.0.1', status: 'controllable', enabled: true, dialog: 'open', licensed: true });
    expect(mitel.features.find((f) => f.service === 'snapshotCall')).toEqual({ service: 'snapshotCall', support: 'yes', since: '4.1.0 SP2' });
    expect(mitel.features.find((f) => f.service === 'systemRegister')).toMatchObject({ support: 'no' });
    expect(s.phone(sims.auerswald.mac)).toMatchObject({ vendor: 'auerswald', firmware: '2.8D' });
    // SystemRegister went only to the vendors that have it
    expect(sims.snom.requests).toContain('systemRegister');
    expect(sims.auerswald.requests).toContain('systemRegister');
    expect(sims.yealink.requests).not.toContain('systemRegister');
    expect(sims.mitel.requests).not.toContain('systemRegister');

    const c = await client(s);
    for (const n of ['201', '202', '203', '204']) await c.s.invoke('monitorStart', { monitorObject: { device: { id: n } } });
    await until(() => c.events.filter((e) => e.name === 'backInService').length === 4, 'four lines in service');

    // SnapshotCall: the Mitel phone has it, the snom phone does not (refused by the server, the phone never sees it)
    const call = await sims.mitel.ring('0301');
    await c.s.invoke('answerCall', { callToBeAnswered: { callId: call, device: { id: '204' } } });
    await until(() => sims.mitel.calls.get(call)?.state === 'connected', 'answered');
    await expect(c.s.invoke('snapshotCall', { snapshotObject: { callId: call, device: { id: '204' } } })).resolves.toMatchObject({ participants: expect.any(Array) });
    const snomCall = await sims.snom.ring('0302');
    await expect(c.s.invoke('snapshotCall', { snapshotObject: { callId: snomCall, device: { id: '201' } } })).rejects.toMatchObject({ details: { service: 'snapshotCall', failure: { error: 'serviceNotSupported' } } });
    expect(sims.snom.requests).not.toContain('snapshotCall');
    expect(s.phone(sims.snom.mac)?.lastCstaError).toMatchObject({ service: 'snapshotCall', error: 'serviceNotSupported', reason: 'snom phones do not support snapshotCall' });
    // a refusal by the phone itself is the phone's last CSTA error too
    await expect(c.s.invoke('answerCall', { callToBeAnswered: { callId: '99', device: { id: '203' } } })).rejects.toMatchObject({ details: { failure: { error: 'invalidConnectionID' } } });
    expect(s.phone(sims.auerswald.mac)?.lastCstaError).toMatchObject({ service: 'answerCall', error: 'invalidConnectionID' });

    // AlternateCall at the Mitel phone: HoldCall and RetrieveCall
    await c.s.invoke('holdCall', { callToBeHeld: { callId: call, device: { id: '204' } } });
    const second = await sims.mitel.ring('0303');
    await sims.mitel.connect(second);
    const before = sims.mitel.requests.length;
    await c.s.invoke('alternateCall', { heldCall: { callId: call, device: { id: '204' } }, activeCall: { callId: second, device: { id: '204' } } });
    expect(sims.mitel.requests.slice(before)).toEqual(['holdCall', 'retrieveCall']);
    // DND and forwarding reach the Yealink phone and come back as events
    await c.s.invoke('setDoNotDisturb', { device: { id: '202' }, doNotDisturbOn: true });
    await until(() => c.events.some((e) => e.name === 'doNotDisturb'), 'DND event');
    expect(sims.yealink.doNotDisturb).toBe(true);
  });

  it('phones of all four vendors calling each other, two clients: each client gets the events of the lines it monitors, with its own cross-references, and controls any phone', async () => {
    const s = await server(base());
    await s.start();
    const exchange = new SimExchange();
    const vendors: PhoneVendor[] = ['snom', 'yealink', 'auerswald', 'mitel'];
    const sims = await Promise.all(vendors.map((v, i) => phone(s, v, i + 1, { exchange })));
    for (const p of sims) await p.register();
    await until(() => controllable(s, 4), 'four phones controllable');

    // A watches every line, B the Yealink and the Mitel phone: each line is monitored once in its phone
    const a = await client(s);
    const b = await client(s);
    const lineOf = new Map<string, string>();
    for (const [c, lines] of [[a, ['201', '202', '203', '204']], [b, ['202', '204']]] as const) {
      for (const n of lines) lineOf.set((await c.s.invoke('monitorStart', { monitorObject: { device: { id: n } } })).crossRefIdentifier, n);
    }
    await until(() => a.events.filter((e) => e.name === 'backInService').length === 4 && b.events.filter((e) => e.name === 'backInService').length === 2, 'lines in service at both');
    // once each (a client joining a line while its monitor starts in the phone heard it twice)
    await new Promise((r) => setTimeout(r, 100));
    expect([a, b].map((c) => c.events.filter((e) => e.name === 'backInService').map((e) => lineOf.get(e.monitorCrossRefId)))).toEqual([['201', '202', '203', '204'], ['202', '204']]);
    expect(sims.map((p) => p.monitors.size)).toEqual([1, 1, 1, 1]);
    expect(await s.licenceUsage()).toMatchObject({ lines: 4, extraLines: 0 });
    const seen = (c: typeof a, line: string, name: string) => c.events.filter((e) => e.name === name && lineOf.get(e.monitorCrossRefId) === line);

    // A places a call from the snom phone to the Auerswald phone: it rings there; B sees nothing of it
    await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '203' } });
    await until(() => seen(a, '201', 'delivered').length === 1 && seen(a, '203', 'delivered').length === 1, 'delivered at 201 and 203 for A');
    expect(seen(a, '203', 'delivered')[0]).toMatchObject({ callingDevice: { id: sims[0].identities[0] }, localConnectionInfo: 'alerting' });
    // B answers at the Auerswald phone (a line it does not monitor): both ends established for A
    const ringing = [...sims[2].calls.values()][0];
    await b.s.invoke('answerCall', { callToBeAnswered: { callId: ringing.id, device: { id: '203' } } });
    await until(() => seen(a, '201', 'established').length === 1 && seen(a, '203', 'established').length === 1, 'established at both ends for A');
    expect(b.events.filter((e) => e.name === 'delivered' || e.name === 'established')).toEqual([]);

    // B calls from the Yealink phone to the Mitel phone: both clients see it, each with its own cross-reference
    await b.s.invoke('makeCall', { callingDevice: { id: '202' }, calledDirectoryNumber: { id: '204' } });
    await until(() => [a, b].every((c) => seen(c, '202', 'delivered').length === 1 && seen(c, '204', 'delivered').length === 1), 'delivered at 202 and 204 for both');
    const mitelCall = [...sims[3].calls.values()][0];
    await a.s.invoke('answerCall', { callToBeAnswered: { callId: mitelCall.id, device: { id: '204' } } });
    await until(() => [a, b].every((c) => seen(c, '202', 'established').length === 1 && seen(c, '204', 'established').length === 1), 'established for both');
    // the Mitel side holds: held at both phones' lines for both clients; then it hangs up and both ends clear
    await b.s.invoke('holdCall', { callToBeHeld: { callId: mitelCall.id, device: { id: '204' } } });
    await until(() => [a, b].every((c) => seen(c, '202', 'held').length === 1 && seen(c, '204', 'held').length === 1), 'held for both');
    await a.s.invoke('clearConnection', { connectionToBeCleared: { callId: mitelCall.id, device: { id: '204' } } });
    await until(() => [a, b].every((c) => seen(c, '202', 'connectionCleared').length === 1 && seen(c, '204', 'connectionCleared').length === 1), 'cleared for both');
    expect([sims[1].calls.size, sims[3].calls.size]).toEqual([0, 0]);

    // A leaves: the monitors only it had go from the phones, B's lines stay and still get events
    await a.s.close();
    await until(() => sims[0].monitors.size === 0 && sims[2].monitors.size === 0, 'A\'s monitors stopped in the phones');
    expect([sims[1].monitors.size, sims[3].monitors.size]).toEqual([1, 1]);
    await sims[1].ring('0301');
    await until(() => seen(b, '202', 'delivered').length === 2, 'B still gets 202\'s events');
    expect(await s.licenceUsage()).toMatchObject({ lines: 2 });
  });

  it('phone faults: one that stops answering, drops its connection or is unplugged goes out of control and comes back when it registers again', async () => {
    const s = await server(base({ keepAliveSeconds: 0.2 }));
    await s.start();
    const p = await phone(s, 'auerswald', 1);
    await p.register();
    await until(() => controllable(s, 1), 'controllable');
    const c = await client(s);
    await c.s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await until(() => c.events.length === 1, 'in service');

    p.unresponsive = true;
    await until(() => s.phone(p.mac)?.status === 'registered', 'keep-alive noticed the silence');
    expect(s.phone(p.mac)?.problem).toMatchObject({ code: 'uacsta.dialogLost' });
    await until(() => c.events.some((e) => e.name === 'outOfService'), 'out of service');
    p.unresponsive = false;
    await until(() => controllable(s, 1), 'controllable again', 8000);
    // The line's monitor is restarted in the phone after the dialog is back; a drop before that has nothing to end.
    await until(() => c.events.filter((e) => e.name === 'backInService').length >= 2, 'in service after the dialog came back');

    await p.dropConnection();
    await until(() => s.phone(p.mac)?.status === 'offline', 'offline after the connection dropped');
    expect(s.phone(p.mac)?.licensed).toBe(false);
    await p.register();
    await until(() => controllable(s, 1), 'back after registering again');
    await until(() => c.events.filter((e) => e.name === 'backInService').length >= 3, 'in service again');

    await p.unplug();
    await until(() => s.phone(p.mac)?.status === 'offline', 'offline when unplugged');
    expect(s.phone(p.mac)?.dialog).toBe('none');
  });

  it('grants registrations the SIP expiration time, and an out-of-dialog NOTIFY vendor is controlled without a dialog', async () => {
    const s = await server(base({ expirySeconds: 120, notifyVendors: ['mitel'] }));
    await s.start();
    const m = await phone(s, 'mitel', 1, { mode: 'notify', expires: 3600 });
    const res = await m.register();
    expect(header(res, 'Contact')).toMatch(/;expires=120$/);
    await until(() => controllable(s, 1), 'controllable over NOTIFY');
    expect(m.invites).toEqual([]);
  });
});

describe('uaCSTA server: settings, start and stop', () => {
  it('changes connection settings only while stopped, other settings at once', async () => {
    const s = await server(base());
    await s.start();
    expect(s.status().state).toBe('running');
    let err: unknown;
    try {
      s.configure({ phones: { host: '127.0.0.1', tcpPort: 5999 }, autoActivate: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UacstaError);
    expect((err as UacstaError).problem).toMatchObject({ code: 'uacsta.stopToChange', params: { settings: 'phones' } });
    expect(s.settings().autoActivate).toBe(true);
    // not a connection setting: taken while running; a new phone now waits for the admin
    s.configure({ autoActivate: false });
    const p = await phone(s, 'snom', 1);
    await p.register();
    await until(() => s.phone(p.mac)?.status === 'disabled', 'waits disabled');
    expect(p.controlled).toBe(false);
    await s.setEnabled(p.mac, true);
    await until(() => controllable(s, 1), 'enabled by the admin');

    await s.stop();
    expect(s.status()).toMatchObject({ state: 'stopped', listening: [] });
    expect(s.phones()).toEqual([expect.objectContaining({ mac: p.mac, status: 'offline', enabled: true })]);
    s.configure({ phonePassword: 'other' });
    expect(s.settings().phonePassword).toBe('other');
  });

  it('takes a changed SIP expiration time and keep-alive time while running: new registrations and dialogs get them', async () => {
    const s = await server(base());
    await s.start();
    const before = await phone(s, 'snom', 1);
    expect(header(await before.register(), 'Contact')).toMatch(/;expires=300$/);
    await until(() => controllable(s, 1), 'first phone');
    expect(before.invites[0].sessionExpires).toBe('300;refresher=uac');

    s.configure({ expirySeconds: 90, keepAliveSeconds: 1 });
    const after = await phone(s, 'yealink', 2, { expires: 3600 });
    expect(header(await after.register(), 'Contact')).toMatch(/;expires=90$/);
    await until(() => controllable(s, 2), 'second phone');
    expect(after.invites[0].sessionExpires).toBe('90;refresher=uac');
    // its dialog is kept alive every second
    await until(() => after.requests.filter((r) => r === 'requestSystemStatus').length >= 2, 'keep-alive at the new interval', 4000);
    // a refresh of the first phone's registration is granted the new time too
    expect(header(await before.register(), 'Contact')).toMatch(/;expires=90$/);
  });

  it('a port taken fails the start with the interface, address and cause', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => blocker.close(r)));
    const taken = (blocker.address() as { port: number }).port;
    const s = await server(base({ clients: { host: '127.0.0.1', tcpPort: taken } }));
    await expect(s.start()).rejects.toMatchObject({ problem: { code: 'uacsta.listenFailed', params: { interface: 'clients', host: '127.0.0.1', port: String(taken) } } });
    expect(s.status()).toMatchObject({ state: 'failed', problem: { code: 'uacsta.listenFailed' }, listening: [] });
  });

  it('checks the TLS certificate at start: issued to the computer name, else a coded reason; phones then register over TLS', async () => {
    const cert = makeTestCert();
    const tls = base({ phones: { host: '127.0.0.1', tcpPort: 0, tlsPort: 0 }, certificate: { cert: cert.cert, key: cert.key } });
    const wrong = await server(tls, { computerName: 'pbx01.example.net' });
    await expect(wrong.start()).rejects.toMatchObject({ problem: { code: 'uacsta.certificateWrongName', params: { computerName: 'pbx01.example.net', subject: 'DNS:localhost, IP Address:127.0.0.1' } } });
    const other = makeTestCert();
    const mismatch = await server({ ...tls, certificate: { cert: cert.cert, key: other.key } });
    await expect(mismatch.start()).rejects.toMatchObject({ problem: { code: 'uacsta.certificateKeyMismatch' } });
    const late = await server(tls, { now: () => new Date(Date.now() + 3 * 86_400_000) });
    await expect(late.start()).rejects.toMatchObject({ problem: { code: 'uacsta.certificateExpired' } });
    const none = await server({ ...tls, certificate: undefined });
    await expect(none.start()).rejects.toMatchObject({ problem: { code: 'uacsta.certificateMissing' } });

    const s = await server(tls);
    await s.start();
    const p = await phone(s, 'yealink', 1, { tls: { ca: cert.cert }, server: { host: '127.0.0.1', port: port(s, 'phones', 'TLS') } });
    expect((await p.register()).status).toBe(200);
    await until(() => controllable(s, 1), 'controllable over TLS');
  });

  it('tells phones on the WAN interface the public address, and LAN phones the LAN one', async () => {
    const s = await server(base({ phones: { host: '127.0.0.1', tcpPort: 0, wan: { host: '127.0.0.2', port: 0, publicHost: 'uacsta.example.net', publicPort: 15060 } } }));
    await s.start();
    const wan = s.status().listening.find((l) => l.host === '127.0.0.2')!;
    expect(wan.advertised).toBe(`uacsta.example.net:15060`);
    const far = await phone(s, 'snom', 1, { server: { host: '127.0.0.2', port: wan.port } });
    const near = await phone(s, 'snom', 2);
    await far.register();
    await near.register();
    await until(() => controllable(s, 2), 'both controllable');
    expect(far.invites[0].contact).toContain('@uacsta.example.net:15060');
    expect(far.invites[0].from).toContain('@uacsta.example.net');
    expect(near.invites[0].contact).toContain(`@127.0.0.1:${port(s, 'phones')}`);
  });
});

describe('uaCSTA server: licences', () => {
  it('one licence per connected phone from the shared pool, a line monitored by two clients counts once, a second line on a phone takes one more', async () => {
    const pool = new LicencePool({ capacity: () => ({ total: 3 }) });
    // another driver already holds one licence of the pool
    await pool.lease('panasonic-1', '101');
    const s = await server(base(), { licences: pool });
    await s.start();
    const a = await phone(s, 'snom', 1, { identities: ['201', '211'] });
    const b = await phone(s, 'yealink', 2);
    const c3 = await phone(s, 'mitel', 3);
    for (const p of [a, b]) await p.register();
    await until(() => controllable(s, 2), 'two phones with licences');
    await c3.register();
    await until(() => s.phone(c3.mac)?.problem?.code === 'uacsta.noLicence', 'third phone without licence');
    expect(s.phone(c3.mac)).toMatchObject({ status: 'registered', licensed: false });
    // The reason is a coded fact the console words, not the pool's English.
    expect(s.phone(c3.mac)?.problem?.params?.cause).toMatchObject({ code: 'uacsta.licencesInUse', params: { total: 3 } });
    expect(c3.controlled).toBe(false);
    expect(await s.licenceUsage()).toEqual({ phones: 2, lines: 0, extraLines: 0, used: 2, pool: { total: 3, inUse: 3, free: 0 } });

    const x = await client(s);
    const y = await client(s);
    await x.s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await y.s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await until(() => x.events.length === 1 && y.events.length === 1, 'both in service');
    expect(await s.licenceUsage()).toMatchObject({ phones: 2, lines: 1, extraLines: 0, used: 2 });
    // 211 is a second line on phone a: no licence left for it
    await expect(x.s.invoke('monitorStart', { monitorObject: { device: { id: '211' } } })).rejects.toMatchObject({ details: { failure: { category: 'systemResourceAvailability', error: 'resourceLimitExceeded' } } });
    expect(s.phone(a.mac)?.lastCstaError).toMatchObject({ service: 'monitorStart', error: 'resourceLimitExceeded' });

    // phone b leaves: its licence comes back, the waiting phone takes it
    await b.unplug();
    await until(() => s.phone(c3.mac)?.status === 'controllable', 'the waiting phone got the licence', 8000);
    await pool.releaseInstance('panasonic-1');
    await x.s.invoke('monitorStart', { monitorObject: { device: { id: '211' } } });
    await until(() => x.events.length === 2, 'second line in service');
    expect(await s.licenceUsage()).toMatchObject({ phones: 2, lines: 2, extraLines: 1, used: 3, pool: { total: 3, inUse: 3, free: 0 } });
    await s.stop();
    expect((await pool.overview()).inUse).toBe(0);
  });

  it('a phone the server cannot control gives its licence back: a waiting phone takes it', async () => {
    const pool = new LicencePool({ capacity: () => ({ total: 1 }) });
    const s = await server(base({ keepAliveSeconds: 0.2 }), { licences: pool });
    await s.start();
    const a = await phone(s, 'snom', 1);
    const b = await phone(s, 'auerswald', 2);
    await a.register();
    await until(() => controllable(s, 1), 'a controllable');
    await b.register();
    await until(() => s.phone(b.mac)?.problem?.code === 'uacsta.noLicence', 'b waits');
    a.unresponsive = true;
    await until(() => s.phone(b.mac)?.status === 'controllable', 'b took the licence', 10_000);
    expect(s.phone(a.mac)).toMatchObject({ status: 'registered', licensed: false });
    a.unresponsive = false;
    await until(() => s.phone(a.mac)?.problem?.code === 'uacsta.noLicence', 'a now waits', 10_000);
  });

  it('after the 45-day trial without a key no phone gets a licence', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const service = new LicenceService({ docs: memoryLicenceDocs(), anchor: memoryTrialAnchor(), publicKeys: [], clock: () => now });
    await service.start();
    now = new Date('2026-02-16T00:00:00Z');
    const s = await server(base(), { licences: service.pool });
    await s.start();
    const p = await phone(s, 'snom', 1);
    await p.register();
    await until(() => s.phone(p.mac)?.problem?.code === 'uacsta.noLicence', 'no licence');
    expect(s.phone(p.mac)?.problem?.params?.cause).toMatchObject({ code: 'uacsta.noLicencesLeft' });
  });
});

describe('uaCSTA server: diagnostics', () => {
  it('writes its own log files with the level, size limit, daily deletion and MAC filter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uacsta-log-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'linekeeper-2020-01-01.log'), 'old\n');
    const s = await server(base({ diagnostics: { level: 'info', maxFileBytes: 2000, deleteDaily: true, directory: dir, logMacs: ['00:04:13:00:00:01'] } }));
    expect(existsSync(join(dir, 'linekeeper-2020-01-01.log'))).toBe(false);
    await s.start();
    const a = await phone(s, 'snom', 1);
    const b = await phone(s, 'snom', 2);
    await a.register();
    await b.register();
    await until(() => controllable(s, 2), 'controllable');
    await a.unplug();
    await b.unplug();
    await until(() => s.phones().every((p) => p.status === 'offline'), 'offline');
    s.log.debug('a debug line at level info');
    s.configure({ diagnostics: { level: 'debug', maxFileBytes: 2000, deleteDaily: true, directory: dir, logMacs: ['000413000001'] } });
    for (let i = 0; i < 30; i++) s.log.debug(`debug line ${i} ${'x'.repeat(80)}`);
    const files = readdirSync(dir).sort();
    expect(files.some((f) => /\.1\.log$/.test(f)), files.join()).toBe(true);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(text).toContain('uaCSTA server started');
    expect(text).toContain('phone 000413000001: registration removed');
    expect(text).not.toContain('phone 000413000002');
    expect(text).toContain('debug line 29');
    expect(text).not.toContain('a debug line at level info');
  });
});
