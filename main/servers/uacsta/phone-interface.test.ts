import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { SimSipPhone, type SimSipPhoneOptions } from '../../sim/sip-phones/phone';
import { PhoneInterface, UacstaError, vendorOf, type PhoneInterfaceOptions, type PhoneRecord } from './phone-interface';
import type { Coded } from '../../../shared/problems';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function server(o: Partial<PhoneInterfaceOptions> = {}) {
  const s = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones', reopenMs: 50, ...o });
  cleanup.push(() => s.close());
  return s;
}

async function phone(s: PhoneInterface, o: Partial<SimSipPhoneOptions> & { mac: string }) {
  const p = await SimSipPhone.start({ password: 'phones', server: { host: '127.0.0.1', port: s.port }, ...o });
  cleanup.push(() => p.close());
  return p;
}

const until = async (f: () => boolean, what: string, ms = 3000) => {
  for (let t = 0; t < ms && !f(); t += 10) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};
const status = (s: PhoneInterface, mac: string) => s.phone(mac)?.status;

describe('uaCSTA server: phone interface (TCP, 127.0.0.1)', () => {
  it('three phones register with their MACs, each gets its CSTA dialog and its identities; the list shows type, MAC, IP, identity, login and status', async () => {
    const s = await server();
    const a = await phone(s, { mac: '000413AABB01', identities: ['201'] });
    const b = await phone(s, { mac: '00:04:13:aa:bb:02', identities: ['202', '212'] });
    const c = await phone(s, { mac: '001565aabb03', vendor: 'yealink', identities: ['203'] });
    const before = Date.now();
    for (const p of [a, b, c]) expect((await p.register()).status).toBe(200);
    await until(() => s.phones().every((p) => p.status === 'controllable') && s.phones().length === 3, 'all controllable');
    const byMac = Object.fromEntries(s.phones().map((p) => [p.mac, p])) as Record<string, PhoneRecord>;
    expect(byMac['000413aabb01']).toMatchObject({ type: 'snomD785/10.1.73.14', vendor: 'snom', lastIp: '127.0.0.1', identity: 'sip:201@127.0.0.1', enabled: true });
    expect(byMac['000413aabb02'].identities).toEqual(['sip:202@127.0.0.1', 'sip:212@127.0.0.1']);
    expect(byMac['001565aabb03']).toMatchObject({ vendor: 'yealink', identity: `sip:203@127.0.0.1:${s.port}` });
    expect(byMac['000413aabb01'].lastLogin).toBeGreaterThanOrEqual(before);
    // the server asked in the manual's order (the INVITE carried RequestSystemStatus): configuration changes, then the identities
    expect(a.requests).toEqual(['systemRegister', 'getSwitchingFunctionDevices']);

    // a client's device is found by the user part of any identity, however written, on controllable phones only
    expect([s.phoneOf('212'), s.phoneOf('sip:202@elsewhere;user=phone'), s.phoneOf('203'), s.phoneOf('213')]).toEqual(['000413aabb02', '000413aabb02', '001565aabb03', undefined]);
    await a.dropDialogs();
    await until(() => s.phoneOf('201') === undefined, 'no dialog, not found');
    await until(() => s.phoneOf('201') === '000413aabb01', 'found again once the dialog is re-opened');

    // controllable means controllable: monitor, place a call, get its events through the server's session
    const session = s.session('000413aabb02')!;
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));
    const mon = await session.invoke('monitorStart', { monitorObject: { device: { id: 'sip:212@127.0.0.1' } } });
    expect(mon.crossRefIdentifier).toBe('1');
    const made = await session.invoke('makeCall', { callingDevice: { id: 'sip:212@127.0.0.1' }, calledDirectoryNumber: { id: '0301234567' } });
    expect(made.callingDevice.device).toEqual({ id: 'sip:212@127.0.0.1' });
    await until(() => events.length === 1, 'delivered');
    expect(events[0]).toMatchObject({ name: 'delivered', callingDevice: { id: 'sip:212@127.0.0.1' } });
    // the other phones saw none of it
    expect(a.requests).not.toContain('makeCall');
    expect(c.requests).not.toContain('monitorStart');
  });

  it('refuses a wrong password and a user name that is no MAC address; neither appears in the list', async () => {
    const s = await server();
    const wrong = await phone(s, { mac: '000413aabb01', password: 'nope' });
    expect((await wrong.register()).status).toBe(401);
    const notMac = await SimSipPhone.start({ mac: 'alice', password: 'phones', server: { host: '127.0.0.1', port: s.port } });
    cleanup.push(() => notMac.close());
    expect((await notMac.register()).status).toBe(401);
    expect(s.phones()).toEqual([]);
  });

  it('keeps the dialog alive with RequestSystemStatus, re-opens it when the phone drops it, and marks an unregistered phone offline', async () => {
    const s = await server({ keepAliveMs: 40 });
    const p = await phone(s, { mac: '000413aabb01' });
    await p.register();
    await until(() => status(s, p.mac) === 'controllable', 'controllable');
    await until(() => p.requests.filter((r) => r === 'requestSystemStatus').length >= 2, 'keep-alives');

    const first = s.session(p.mac);
    await p.dropDialogs();
    await until(() => s.phone(p.mac)?.problem?.code === 'uacsta.dialogLost', 'lost noticed');
    expect(s.phone(p.mac)?.problem?.params).toEqual({ mac: p.mac, cause: expect.objectContaining({ code: 'cause.CSTA_CONNECTION_LOST' }) });
    await until(() => status(s, p.mac) === 'controllable' && p.controlled, 're-opened');
    expect(s.session(p.mac)).not.toBe(first);
    expect(p.requests.filter((r) => r === 'getSwitchingFunctionDevices')).toHaveLength(2);

    expect((await p.register(0)).status).toBe(200);
    await until(() => status(s, p.mac) === 'offline', 'offline');
    expect(s.session(p.mac)).toBeUndefined();
    await until(() => !p.controlled, 'dialog ended at the phone');
  });

  it('notices a phone that stops answering by the keep-alive, and controls it again once it answers', async () => {
    const s = await server({ keepAliveMs: 40, answerTimeoutMs: 200 });
    const p = await phone(s, { mac: '000413aabb01' });
    await p.register();
    await until(() => status(s, p.mac) === 'controllable', 'controllable');
    p.unresponsive = true;
    await until(() => s.phone(p.mac)?.problem?.code === 'uacsta.dialogLost', 'keep-alive timeout noticed');
    expect(s.phone(p.mac)?.problem?.params).toEqual({ mac: p.mac, cause: expect.objectContaining({ code: 'cause.CSTA_KEEPALIVE_TIMEOUT' }) });
    expect(status(s, p.mac)).toBe('registered');
    expect(s.session(p.mac)).toBeUndefined();
    p.unresponsive = false;
    await until(() => status(s, p.mac) === 'controllable', 'controllable again');
  });

  it('keeps the SIP expiration time on the CSTA dialog: Session-Expires on the INVITE, refreshed before it runs out; a refresh the phone does not know ends the dialog, which is re-opened', async () => {
    const s = await server({ dialogExpires: 1, keepAliveMs: 60_000 });
    // this phone ends a dialog that is not refreshed within its Session-Expires
    const p = await phone(s, { mac: '000413aabb01', sessionTimer: true });
    await p.register();
    await until(() => status(s, p.mac) === 'controllable', 'controllable');
    expect(p.invites[0].sessionExpires).toBe('1;refresher=uac');
    const first = s.session(p.mac);
    // three times the expiry: it stays the same dialog, refreshed by re-INVITE (the phone's 200 lists no UPDATE)
    await new Promise((r) => setTimeout(r, 3000));
    expect(p.refreshes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(p.refreshes)).toEqual(new Set(['INVITE']));
    expect(s.session(p.mac)).toBe(first);
    expect([status(s, p.mac), p.controlled, p.invites.length]).toEqual(['controllable', true, 1]);
    await expect(first!.invoke('getDoNotDisturb', { device: { id: '201' } })).resolves.toEqual({ doNotDisturbOn: false });

    p.forgetDialogs();
    await until(() => s.session(p.mac) !== first, 'the refresh answered 481 ended the dialog', 3000);
    await until(() => p.invites.length === 2 && status(s, p.mac) === 'controllable', 're-opened', 3000);
    expect(s.phone(p.mac)?.problem).toBeUndefined();
  });

  it('takes a phone\'s new identities: sent after SystemRegister (in segments), or re-read when the dialog is re-opened for a vendor without it', async () => {
    const s = await server();
    const snom = await phone(s, { mac: '000413aabb01', identities: ['201'] });
    const yealink = await phone(s, { mac: '001565aabb02', vendor: 'yealink', identities: ['202'] });
    await snom.register();
    await yealink.register();
    await until(() => s.phones().filter((p) => p.status === 'controllable').length === 2, 'both controllable');
    expect([snom.systemRegistered, yealink.systemRegistered]).toEqual([true, false]);

    await snom.changeIdentities(['205', '206', '207'], 2);
    await until(() => s.phone(snom.mac)?.identities.length === 3, 'the new list, both segments');
    expect(s.phone(snom.mac)).toMatchObject({ identity: 'sip:205@127.0.0.1', identities: ['sip:205@127.0.0.1', 'sip:206@127.0.0.1', 'sip:207@127.0.0.1'] });
    expect([s.phoneOf('207'), s.phoneOf('201')]).toEqual([snom.mac, undefined]);

    // Yealink has no SystemRegister: the server learns of the change when it reads the identities again
    await yealink.changeIdentities(['208']);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.phoneOf('202')).toBe(yealink.mac);
    const reads = yealink.requests.filter((r) => r === 'getSwitchingFunctionDevices').length;
    await yealink.dropDialogs();
    await until(() => s.phoneOf('208') === yealink.mac, 're-read with the re-opened dialog');
    expect(yealink.requests.filter((r) => r === 'getSwitchingFunctionDevices').length).toBe(reads + 1);
    expect(s.phoneOf('202')).toBeUndefined();
  });

  it('logs per-phone lines only for the MACs of the log filter', async () => {
    const entries: Array<string | Coded> = [];
    const logger = { error: (m: string | Coded) => entries.push(m), warn: (m: string | Coded) => entries.push(m), info: (m: string | Coded) => entries.push(m), debug: () => undefined };
    const s = await server({ logger, logMacs: ['00:04:13:AA:BB:01'], reopenMs: 60_000 });
    const a = await phone(s, { mac: '000413aabb01' });
    const b = await phone(s, { mac: '000413aabb02' });
    for (const p of [a, b]) await p.register();
    await until(() => s.phones().filter((p) => p.status === 'controllable').length === 2, 'both controllable');
    for (const p of [a, b]) await p.dropDialogs();
    await until(() => s.phones().every((p) => p.problem?.code === 'uacsta.dialogLost'), 'both lost');
    for (const p of [a, b]) await p.register(0);
    await until(() => s.phones().every((p) => p.status === 'offline'), 'both offline');
    const about = (mac: string) => entries.filter((e) => (typeof e === 'string' ? e : e.message).includes(mac));
    expect(about('000413aabb01').map((e) => (typeof e === 'string' ? e : e.code))).toEqual(['logServers.phoneRegistered', 'logServers.phoneControllable', 'uacsta.dialogLost', 'logServers.phoneUnregistered']);
    expect(about('000413aabb01').slice(2).map((e) => (typeof e === 'string' ? e : e.message))).toEqual([
      'the CSTA dialog to phone 000413aabb01 ended (CSTA_CONNECTION_LOST: the CSTA session ended); it is re-opened while the phone stays registered',
      'phone 000413aabb01: registration removed (unregistered)',
    ]);
    expect(about('000413aabb02')).toEqual([]);
  });

  it('without automatic activation a new phone waits disabled; the enable switch opens and ends its dialog', async () => {
    const s = await server({ autoActivate: false });
    const p = await phone(s, { mac: '000413aabb01' });
    await p.register();
    expect(s.phone(p.mac)).toMatchObject({ status: 'disabled', enabled: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(p.controlled).toBe(false);
    expect(p.requests).toEqual([]);

    await s.setEnabled(p.mac, true);
    expect(status(s, p.mac)).toBe('controllable');
    expect(p.controlled).toBe(true);
    await s.setEnabled(p.mac, false);
    expect(status(s, p.mac)).toBe('disabled');
    await until(() => !p.controlled, 'BYE at the phone');
    await expect(s.setEnabled('001122334455', true)).rejects.toBeInstanceOf(UacstaError);
    await expect(s.setEnabled('001122334455', true)).rejects.toMatchObject({ problem: { code: 'uacsta.unknownPhone', params: { mac: '001122334455' } } });
  });

  it('a phone that refuses the dialog stays registered with a coded problem and is tried again', async () => {
    const s = await server();
    const p = await phone(s, { mac: '000413aabb01' });
    // this phone has CSTA control switched off: it refuses the INVITE
    p.endpoint.removeAllListeners('request');
    let invites = 0;
    p.endpoint.on('request', (inc) => {
      if (inc.request.method === 'INVITE') invites++;
      inc.respond(403);
    });
    await p.register();
    await until(() => invites >= 2, 'tried again');
    expect(s.phone(p.mac)).toMatchObject({ status: 'registered', problem: { code: 'uacsta.dialogFailed', params: { mac: p.mac, cause: expect.objectContaining({ code: 'cause.CSTA_REJECTED' }) } } });
  });

  it('takes phones over TLS as well: the phone registers and gets its CSTA dialog over its TLS connection', async () => {
    const cert = makeTestCert();
    const s = await server({ tls: { port: 0, key: cert.key, cert: cert.cert } });
    expect(s.tlsPort).toBeGreaterThan(0);
    const p = await phone(s, { mac: '000413aabb01', server: { host: '127.0.0.1', port: s.tlsPort! }, tls: { ca: cert.cert } });
    expect((await p.register()).status).toBe(200);
    await until(() => status(s, p.mac) === 'controllable', 'controllable over TLS');
    expect(s.phone(p.mac)?.identity).toBe(`sip:201@127.0.0.1`);
    expect([...s.endpoint.servers.find((l) => l.transport === 'TLS')!.connections].length).toBe(1);
    expect([...s.endpoint.servers.find((l) => l.transport === 'TCP')!.connections].length).toBe(0);
    // a phone that does not trust the certificate never gets in
    const wary = await phone(s, { mac: '000413aabb02', server: { host: '127.0.0.1', port: s.tlsPort! }, tls: {} });
    await expect(wary.register()).rejects.toMatchObject({ code: 'SIP_CONNECT_FAILED' });
    expect(s.phone('000413aabb02')).toBeUndefined();
  });

  it('speaks CSTA in out-of-dialog NOTIFY to the vendors set for it, and refuses a NOTIFY that belongs to no session', async () => {
    const s = await server({ notifyVendors: ['yealink'] });
    const p = await phone(s, { mac: '001565aabb01', vendor: 'yealink', mode: 'notify' });
    await p.register();
    await until(() => status(s, p.mac) === 'controllable', 'controllable over NOTIFY');
    expect(s.phone(p.mac)?.identity).toBe(`sip:201@127.0.0.1:${s.port}`);
    expect(p.endpoint.dialogCount).toBe(0);
    const session = s.session(p.mac)!;
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));
    await session.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await session.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301' } });
    await until(() => events.length === 1, 'delivered over NOTIFY');
    expect(events[0]).toMatchObject({ name: 'delivered', calledDevice: { id: '0301' } });

    // a snom phone (INVITE dialog) sending a uaCSTA NOTIFY of its own gets 481
    const other = await phone(s, { mac: '000413aabb02' });
    await other.register();
    const r = await other.endpoint.request({ method: 'NOTIFY', uri: `sip:uacsta@127.0.0.1:${s.port};transport=tcp`, headers: [{ name: 'Event', value: 'uaCSTA' }, { name: 'Subscription-State', value: 'active' }], body: '<x/>', contentType: 'application/csta+xml' });
    expect(r.status).toBe(481);
  });

  it('types phones by their User-Agent', () => {
    expect(['snomD785/10.1.73.14', 'Yealink SIP-T46G 28.73.98.4', 'Auerswald COMfortel 2600 IP', 'Mitel 6867i', 'baresip'].map(vendorOf)).toEqual(['snom', 'yealink', 'auerswald', 'mitel', 'unknown']);
  });
});
