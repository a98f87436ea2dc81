import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { failureOf } from '../testing/failure-of';
import { freePort } from '../shared/free-port';
import { until } from '../testing/api-harness';
import type { DriverLineEvent, LineRef } from '../driver';
import { BroadWorksDriver, type BroadWorksSettings } from './broadworks-driver';
import { startDnsServer } from '../../protocols/xsi/testing/dns-server';
import { startHttpProxy } from '../../protocols/xsi/testing/proxy';

let sim: BroadWorksSim | undefined;
let dns: Awaited<ReturnType<typeof startDnsServer>> | undefined;
const drivers: BroadWorksDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  await dns?.close();
  dns = undefined;
  await sim?.close();
  sim = undefined;
});

const U = (ext: number) => `${ext}@sim.test`;
const line = (ext: number): LineRef => ({ key: U(ext), number: `+49305550${ext}`, userId: U(ext) });

function driver(s: BroadWorksSim, o: Partial<BroadWorksSettings> = {}): BroadWorksDriver {
  const d = new BroadWorksDriver({ host: '127.0.0.1', port: s.port, xsiPort: o.port ?? s.port, tls: false, user: s.admin.userId, password: s.admin.password, scope: 'server', urlPrefix: '', groupUser: U(2000), lineNameFormat: 'standard', answerTimeoutMs: 3000, ...o });
  drivers.push(d);
  return d;
}

/** A connected server-mode driver monitoring `exts`, with the line events it reports. */
async function monitoring(s: BroadWorksSim, exts: number[], o: Partial<BroadWorksSettings> = {}): Promise<{ d: BroadWorksDriver; events: DriverLineEvent[] }> {
  const d = driver(s, o);
  const events: DriverLineEvent[] = [];
  d.onEvent((e) => events.push(e));
  await d.connect();
  for (const ext of exts) await d.monitorStart(line(ext));
  return { d, events };
}

describe('BroadWorks driver: test connection names what failed', () => {
  it('TCP refused, login, scope, prefix and a missing group user each have their own code', async () => {
    sim = await startBroadWorksSim({ users: 5, prefix: 'nl.cai' });
    const port = await freePort();
    expect((await failureOf(driver(sim, { port, xsiPort: port }).connect())).code).toBe('CONNECT_REFUSED');
    expect((await failureOf(driver(sim, { urlPrefix: 'nl.cai', password: 'wrong' }).connect())).code).toBe('LOGIN_REJECTED');
    const prefix = await failureOf(driver(sim).connect());
    expect(prefix.code).toBe('PREFIX_NOT_FOUND');
    expect(prefix.message).toContain('URL prefix');
    // A user's own login used for server mode: another user is out of its scope, itself is no group.
    const scoped = await failureOf(driver(sim, { urlPrefix: 'nl.cai', user: U(2001), password: 'secret' }).connect());
    expect(scoped.code).toBe('SCOPE_REJECTED');
    expect((await failureOf(driver(sim, { urlPrefix: 'nl.cai', user: U(2000), password: 'secret' }).connect())).code).toBe('SCOPE_REJECTED');
    // The group admin in workstation mode has no line of its own.
    expect((await failureOf(driver(sim, { urlPrefix: 'nl.cai', scope: 'workstation' }).connect())).code).toBe('SCOPE_REJECTED');
    expect((await failureOf(driver(sim, { urlPrefix: 'nl.cai', groupUser: '' }).connect())).code).toBe('GROUP_USER_MISSING');
    expect(await driver(sim, { urlPrefix: 'nl.cai' }).connect()).toMatch(/group administrator admin@sim.test of group grp-sim/);
  });

  it('over HTTPS: refuses an untrusted certificate with its fingerprint, connects when the CA is trusted', async () => {
    const cert = makeTestCert();
    sim = await startBroadWorksSim({ users: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const refused = await failureOf(driver(sim, { tls: true, xsiPort: sim.tlsPort! }).connect());
    expect(refused.code).toBe('TLS_FAILED');
    expect(refused.fingerprint?.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
    expect(await driver(sim, { tls: true, xsiPort: sim.tlsPort!, ca: cert.cert }).connect()).toMatch(/^Xsi at https:/);
    // A pinned fingerprint replaces the chain check; another certificate is refused and named.
    const pinned = driver(sim, { tls: true, xsiPort: sim.tlsPort!, fingerprint: refused.fingerprint });
    expect(await pinned.connect()).toMatch(/^Xsi at https:/);
    expect((await pinned.discover({ readNames: false })).devices).toHaveLength(2);
    // Requests side by side open more connections; a resumed TLS session shows no certificate, yet the pin holds.
    await Promise.all([1, 2, 3].map(async () => expect((await pinned.snapshot(line(2001)))).toEqual([])));
    await Promise.all([2000, 2001].map((ext) => pinned.monitorStart(line(ext))));
    const wrong = await failureOf(driver(sim, { tls: true, xsiPort: sim.tlsPort!, fingerprint: 'AB'.repeat(32) }).connect());
    expect(wrong.code).toBe('TLS_FAILED');
    expect(wrong.message).toMatch(/is not the accepted AB:AB/);
    expect(wrong.fingerprint?.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
  });
});

describe('BroadWorks driver: lines', () => {
  it('reads all users of the group in server mode, page by page, with the line name format', async () => {
    sim = await startBroadWorksSim({ users: 2500 });
    const d = driver(sim);
    await d.connect();
    const progress: number[] = [];
    const r = await d.discover({ readNames: true, onProgress: (p) => progress.push(p.found) });
    expect(r.method).toBe('userDirectory');
    expect(r.devices).toHaveLength(2500);
    expect(progress).toEqual([1000, 2000, 2500]);
    expect(r.devices[0]).toEqual({ number: '+493055502000', name: '+493055502000 / Anna Schmidt', kind: 'unknown', userId: U(2000), extension: '2000' });
    const names = driver(sim, { lineNameFormat: 'name' });
    await names.connect();
    expect((await names.discover({ readNames: true, inRange: (n) => n.endsWith('2001') })).devices).toEqual([{ number: '+493055502001', name: 'Ben Schmidt', kind: 'unknown', userId: U(2001), extension: '2001' }]);
  });

  it('shows only the own line in workstation mode', async () => {
    sim = await startBroadWorksSim({ users: 4 });
    const d = driver(sim, { scope: 'workstation', user: U(2003), password: 'secret', lineNameFormat: 'number' });
    expect(await d.connect()).toMatch(/user 2003@sim.test \(\+493055502003\)/);
    expect((await d.discover({ readNames: true })).devices).toEqual([{ number: '+493055502003', name: '+493055502003', kind: 'unknown', userId: U(2003), extension: '2003' }]);
  });
});

describe('BroadWorks driver: monitors, events and call control', () => {
  it('maps Advanced Call events to line and call state and controls dial, answer, hold, retrieve, transfer and drop', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const d = driver(sim);
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.connect();
    for (const ext of [2000, 2001, 2002]) await d.monitorStart(line(ext));
    const got = () => events.map((e) => `${e.line.slice(0, 4)} ${e.event} ${e.callState}`);

    const { callId } = await d.makeCall(line(2000), '2001');
    await until(() => events.length === 2, 'originated and delivered');
    expect(got()).toEqual(['2000 originated initiated', '2001 delivered alerting']);
    expect(events[0]).toMatchObject({ callId, calling: '+493055502000', called: '+493055502001' });
    expect(events[1]).toMatchObject({ calling: '+493055502000', called: '+493055502001' });
    const atB = events[1].callId!;
    expect(await d.snapshot(line(2001))).toEqual([{ callId: atB, state: 'alerting' }]);

    await d.callControl(line(2001), { op: 'answer', callId: atB });
    await d.callControl(line(2000), { op: 'hold', callId });
    await d.callControl(line(2000), { op: 'retrieve', callId });
    await until(() => events.length === 6, 'answered, held and retrieved');
    expect(got().slice(2)).toEqual(['2001 established connected', '2000 established connected', '2000 held held', '2000 retrieved connected']);

    await d.callControl(line(2000), { op: 'blindTransfer', callId, to: '2002' });
    await until(() => events.length === 9, 'the transfer');
    expect(got().slice(6)).toEqual(['2000 connectionCleared cleared', '2001 transferred alerting', '2002 delivered alerting']);
    await d.clearCall(line(2002), events[8].callId!);
    await until(() => events.length === 11, 'both ends cleared');
    expect(got().slice(9).sort()).toEqual(['2001 connectionCleared cleared', '2002 connectionCleared cleared']);
    expect(await d.snapshot(line(2001))).toEqual([]);
  });

  it('sets do not disturb and forwarding always and reports them as feature events', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const d = driver(sim);
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.connect();
    await d.monitorStart(line(2003));
    await d.setDoNotDisturb(line(2003), true);
    await d.setForwarding(line(2003), true, '0301234567');
    await until(() => events.length === 2, 'the feature events');
    expect(events).toMatchObject([
      { line: U(2003), event: 'doNotDisturb', featureOn: true, callId: null },
      { line: U(2003), event: 'forwarding', featureOn: true, forwardTo: '0301234567' },
    ]);
    expect(sim.group.user(U(2003))!.services.callForwardingAlways).toMatchObject({ active: true, forwardToPhoneNumber: '0301234567' });
    await d.setForwarding(line(2003), false);
    await until(() => events.length === 3, 'forwarding off');
    expect(events[2]).toMatchObject({ event: 'forwarding', featureOn: false, forwardTo: null });
    const refused = await failureOf(d.monitorStart({ key: '2999', number: '2999' }));
    expect(refused.code).toBe('REQUEST_REJECTED');
    expect((await failureOf(d.monitorStart(line(9999)))).code).toBe('SCOPE_REJECTED');
  });

  it('consults, swaps and completes the transfer; a consultation that ends brings the held call back', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const { d, events } = await monitoring(sim, [2000, 2001, 2002, 2003]);
    const stateAt = async (ext: number) => (await d.snapshot(line(ext))).map((c) => c.state).sort();
    const talk = async (from: number, to: number) => {
      const { callId } = await d.makeCall(line(from), String(to));
      await until(() => events.some((e) => e.line === U(to) && e.event === 'delivered' && e.calling === `+49305550${from}`), `${to} rings`);
      const ringing = events.filter((e) => e.line === U(to) && e.event === 'delivered').at(-1)!.callId!;
      await d.callControl(line(to), { op: 'answer', callId: ringing });
      return callId;
    };

    const first = await talk(2000, 2001);
    const consult = await d.callControl(line(2000), { op: 'consult', callId: first, to: '2002' });
    expect(consult.callId).toMatch(/^callhalf-/);
    const atC = await (async () => {
      await until(() => events.some((e) => e.line === U(2002) && e.event === 'delivered'), '2002 rings');
      return events.find((e) => e.line === U(2002) && e.event === 'delivered')!.callId!;
    })();
    await d.callControl(line(2002), { op: 'answer', callId: atC });
    await until(async () => (await stateAt(2000)).join() === 'connected,held', 'one held, one talking');
    await d.callControl(line(2000), { op: 'alternate', heldCallId: first, activeCallId: consult.callId! });
    expect(await d.snapshot(line(2000))).toEqual(expect.arrayContaining([{ callId: first, state: 'connected' }, { callId: consult.callId, state: 'held' }]));
    await d.callControl(line(2000), { op: 'alternate', heldCallId: consult.callId!, activeCallId: first });
    await d.callControl(line(2000), { op: 'transfer', heldCallId: first, activeCallId: consult.callId! });
    await until(async () => (await stateAt(2000)).length === 0, '2000 out of both calls');
    expect(await stateAt(2001)).toEqual(['connected']);
    expect(await stateAt(2002)).toEqual(['connected']);
    expect(events.filter((e) => e.event === 'transferred').map((e) => `${e.line} ${e.callState}`).sort()).toEqual([`${U(2001)} connected`, `${U(2002)} connected`]);

    // The consultation ends: the held call is taken back (the default "return to held").
    const second = await talk(2003, 2000);
    const c2 = await d.callControl(line(2003), { op: 'consult', callId: second, to: '0301234' });
    expect(await stateAt(2003)).toEqual(['held', 'initiated']);
    await d.clearCall(line(2003), c2.callId!);
    await until(async () => (await stateAt(2003)).join() === 'connected', 'the held call back');
  });

  it('keeps the held call held after a consultation when "return to held" is off; reads and sets every forwarding', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    const d = driver(sim, { returnToHeld: false });
    await d.connect();
    await d.monitorStart(line(2000));
    const { callId } = await d.makeCall(line(2000), '0301234');
    await fetch(`${sim.controlUrl}/calls/${callId}/answer`, { method: 'POST' });
    const c = await d.callControl(line(2000), { op: 'consult', callId, to: '0309999' });
    await d.clearCall(line(2000), c.callId!);
    await new Promise((r) => setTimeout(r, 200));
    expect(await d.snapshot(line(2000))).toEqual([{ callId, state: 'held' }]);

    await d.setForwarding(line(2001), true, '2002', { kind: 'busy', callers: 'all' });
    await d.setForwarding(line(2001), true, '0301', { kind: 'noAnswer', callers: 'all' });
    await d.setDoNotDisturb(line(2001), true);
    expect(await d.readFeatures(line(2001))).toEqual({
      doNotDisturb: true,
      forwarding: [
        { kind: 'immediate', callers: 'all', on: false, to: null },
        { kind: 'busy', callers: 'all', on: true, to: '2002' },
        { kind: 'noAnswer', callers: 'all', on: true, to: '0301' },
      ],
      remoteOffice: { active: false, number: null },
    });
    expect((await failureOf(d.setForwarding(line(2001), true, '1', { kind: 'busy', callers: 'internal' }))).code).toBe('NOT_SUPPORTED');
    expect((await failureOf(d.callControl(line(2000), { op: 'conference', heldCallId: callId, activeCallId: 'x' }))).code).toBe('REQUEST_REJECTED');
  });

  it('starts a conference from a held and a consultation call, adds a third call, and ends it as the parties leave', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const { d, events } = await monitoring(sim, [2000, 2001, 2002, 2003]);
    const answerAt = async (ext: number) => {
      await until(() => events.some((e) => e.line === U(ext) && e.event === 'delivered'), `${ext} rings`);
      await d.callControl(line(ext), { op: 'answer', callId: events.find((e) => e.line === U(ext) && e.event === 'delivered')!.callId! });
    };
    const states = async () => (await d.snapshot(line(2000))).map((c) => c.state).sort().join();

    const { callId: first } = await d.makeCall(line(2000), '2001');
    await answerAt(2001);
    const consult = (await d.callControl(line(2000), { op: 'consult', callId: first, to: '2002' })).callId!;
    await answerAt(2002);
    expect(await d.callControl(line(2000), { op: 'conference', heldCallId: first, activeCallId: consult })).toEqual({ callId: first });
    expect(sim.xsi.calls.conferenceOf(U(2000)).sort()).toEqual([first, consult].sort());
    await until(async () => (await states()) === 'connected,connected', 'both calls talking in the conference');
    await until(() => events.some((e) => e.line === U(2000) && e.event === 'conferenced'), 'the conference event');

    // A third party: the conference is held for the consultation, then the new call is added.
    const third = (await d.callControl(line(2000), { op: 'consult', callId: first, to: '2003' })).callId!;
    await answerAt(2003);
    expect(await d.callControl(line(2000), { op: 'conference', heldCallId: first, activeCallId: third })).toEqual({ callId: expect.any(String) });
    expect(sim.xsi.calls.conferenceOf(U(2000)).sort()).toEqual([first, consult, third].sort());
    await until(async () => (await states()) === 'connected,connected,connected', 'three calls talking');

    // Parties leave: the consultation calls are conference calls now, so nothing is taken back from hold.
    await d.clearCall(line(2003), (await d.snapshot(line(2003)))[0].callId);
    await d.clearCall(line(2002), (await d.snapshot(line(2002)))[0].callId);
    await until(() => events.some((e) => e.line === U(2000) && e.event === 'conferenceEnded'), 'the conference ended');
    expect(sim.xsi.calls.conferenceOf(U(2000))).toEqual([]);
    expect(await states()).toBe('connected');
  });

  it('a request the platform refuses (the actionStatus fault) is REQUEST_REJECTED naming the request and the status', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    const { d, events } = await monitoring(sim, [2001]);
    const { callId } = await d.makeCall(line(2001), '2002');
    await until(() => events.some((e) => e.event === 'originated'), 'the call made');
    expect((await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: '{"actionStatus":503}' })).status).toBe(200);
    const dial = await failureOf(d.makeCall(line(2001), '2002'));
    expect(dial).toMatchObject({ code: 'REQUEST_REJECTED', params: { status: 503, service: 'calls/new', host: '127.0.0.1', port: sim.port } });
    expect(dial.message).toMatch(/refused the request: HTTP 503 .*calls\/new.*: fault: every Xsi-Actions request fails/);
    expect(await failureOf(d.callControl(line(2001), { op: 'hold', callId }))).toMatchObject({ code: 'REQUEST_REJECTED', params: { status: 503, service: 'calls/{callId}/Hold' } });
    expect(await failureOf(d.setDoNotDisturb(line(2001), true))).toMatchObject({ code: 'REQUEST_REJECTED', params: { status: 503, service: 'services/DoNotDisturb' } });
    // The link itself stays up: a refused request is not a lost link. Cleared, the same request works.
    expect(d.connected).toBe(true);
    sim.xsi.faults.actionStatus = 0;
    await d.clearCall(line(2001), callId);
    await until(() => events.some((e) => e.event === 'connectionCleared'), 'cleared once the platform accepts again');
  });

  it('reports the link lost when the platform terminates the event channel', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const d = driver(sim);
    let lost: string | undefined;
    d.onLost((e) => (lost = `${e.code} ${e.message}`));
    await d.connect();
    expect(d.connected).toBe(true);
    expect(sim.xsi.terminateChannels()).toBe(1);
    await until(() => lost !== undefined, 'the lost link');
    expect(lost).toMatch(/^LINK_LOST .*terminated by the control API/);
    expect(d.connected).toBe(false);
  });
});

describe('BroadWorks driver: SRV', () => {
  it('connects to the SRV targets in priority order, skipping one that is down, and names the target used', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const down = await freePort();
    dns = await startDnsServer({
      srv: {
        '_ecsta._tcp.bw.provider.test': [
          { target: 'up.provider.test', port: sim.port, priority: 20, weight: 10 },
          { target: 'down.provider.test', port: down, priority: 10, weight: 10 },
        ],
      },
      a: { 'up.provider.test': '127.0.0.1', 'down.provider.test': '127.0.0.1', 'plain.provider.test': '127.0.0.1' },
    });
    const reply = await driver(sim, { host: 'bw.provider.test', dns: dns.address }).connect();
    expect(reply).toContain(`(SRV _ecsta._tcp.bw.provider.test → up.provider.test:${sim.port})`);
    expect(dns.queries.slice(0, 1)).toEqual(['SRV _ecsta._tcp.bw.provider.test']);

    // No record: the configured host and port.
    const plain = await driver(sim, { host: 'plain.provider.test', dns: dns.address }).connect();
    expect(plain).toMatch(/^Xsi at http:\/\/plain\.provider\.test:\d+: group administrator/);
    expect(plain).not.toContain('SRV');
    expect(dns.queries).toContain('SRV _ecsta._tcp.plain.provider.test');

    // An answer (a refused login) is final: the next target is not tried.
    const refused = await failureOf(driver(sim, { host: 'bw.provider.test', dns: dns.address, password: 'wrong' }).connect());
    expect(refused.code).toBe('LOGIN_REJECTED');
  });

  it('reports the last failure when no target can be reached', async () => {
    sim = await startBroadWorksSim({ users: 1 });
    const [p1, p2] = [await freePort(), await freePort()];
    dns = await startDnsServer({ srv: { '_ecsta._tcp.gone.provider.test': [{ target: 'a.provider.test', port: p1, priority: 1, weight: 1 }, { target: 'b.provider.test', port: p2, priority: 2, weight: 1 }] }, a: { 'a.provider.test': '127.0.0.1', 'b.provider.test': '127.0.0.1' } });
    const f = await failureOf(driver(sim, { host: 'gone.provider.test', dns: dns.address }).connect());
    expect(f.code).toBe('CONNECT_REFUSED');
    expect(f.message).toContain(`:${p2}`);
    // The failure names the record besides the last target, so the admin knows the DNS led there.
    expect(f.message).toContain('no target of SRV _ecsta._tcp.gone.provider.test answered');
    expect(f.params).toMatchObject({ srv: '_ecsta._tcp.gone.provider.test', tried: `a.provider.test:${p1}, b.provider.test:${p2}`, port: p2 });
  });

  it('a host name that resolves nowhere is NAME_NOT_RESOLVED, naming the host', async () => {
    sim = await startBroadWorksSim({ users: 1 });
    dns = await startDnsServer({});
    const f = await failureOf(driver(sim, { host: 'xsp.nowhere.invalid', dns: dns.address }).connect());
    expect(f.code).toBe('NAME_NOT_RESOLVED');
    expect(f.params).toMatchObject({ host: 'xsp.nowhere.invalid', port: sim.port });
    expect(dns.queries).toContain('SRV _ecsta._tcp.xsp.nowhere.invalid');
  });
});

describe('BroadWorks driver: HTTP proxy', () => {
  it('reaches Xsi through the proxy, over HTTP in absolute form and over HTTPS in a CONNECT tunnel', async () => {
    const cert = makeTestCert();
    sim = await startBroadWorksSim({ users: 3, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const proxy = await startHttpProxy();
    try {
      const d = driver(sim, { httpProxy: `http://127.0.0.1:${proxy.port}` });
      const events: DriverLineEvent[] = [];
      d.onEvent((e) => events.push(e));
      expect(await d.connect()).toContain(`via the proxy http://127.0.0.1:${proxy.port}`);
      await d.monitorStart(line(2001));
      await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
      await until(() => events.length === 1, 'the call event through the proxy');
      expect(proxy.requests).toContain(`GET http://127.0.0.1:${sim.port}/com.broadsoft.xsi-actions/v2.0/user/2000%40sim.test/profile`);
      expect(proxy.requests.some((r) => r.startsWith(`POST http://127.0.0.1:${sim!.port}/com.broadsoft.async/`))).toBe(true);

      const secure = driver(sim, { tls: true, xsiPort: sim.tlsPort!, ca: cert.cert, httpProxy: `http://127.0.0.1:${proxy.port}` });
      expect(await secure.connect()).toMatch(/^Xsi at https:/);
      expect(proxy.tunnels).toContain(`127.0.0.1:${sim.tlsPort}`);
      expect(await secure.discover({ readNames: false })).toMatchObject({ devices: [{ userId: U(2000) }, { userId: U(2001) }, { userId: U(2002) }] });
    } finally {
      await proxy.close();
    }
  });
});
