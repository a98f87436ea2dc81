// The CME driver's XML API half against the simulator over real HTTP(S): test connection naming what failed,
// and discovery as the manual's operation mode says.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_NUMBER, startCmeSim, type CmeSim } from '../../sim/cme';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { failureOf } from '../testing/failure-of';
import { CmeDriver, type CmeSettings } from './cme-driver';

let sim: CmeSim | undefined;
const drivers: CmeDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
  await sim?.close();
  sim = undefined;
});

function driver(s: CmeSim, over: Partial<CmeSettings> = {}): CmeDriver {
  const d = new CmeDriver({ host: '127.0.0.1', port: s.port, tls: false, user: 'cisco', password: 'cisco', readLineButtons: false, ...over });
  drivers.push(d);
  return d;
}

describe('CME driver: test connection', () => {
  it('answers with what ISgetGlobal says', async () => {
    sim = await startCmeSim({ phones: 8 });
    expect(await driver(sim).connect()).toBe('CME 12.5 "sim-cme": 8 phones, 10 extensions, 7 registered');
  });

  it('names the failing step: nothing listening (TCP), the login, a web server that is no CME', async () => {
    sim = await startCmeSim({ phones: 2 });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const tcp = await failureOf(driver(sim, { port: freePort }).connect());
    expect(tcp.code).toBe('CONNECT_REFUSED');

    const login = await failureOf(driver(sim, { password: 'wrong' }).connect());
    expect(login.code).toBe('LOGIN_REJECTED');
    expect(login.params).toMatchObject({ status: 401 });

    const web = createServer((_q, res) => res.end('<html><body>It works</body></html>'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const other = await failureOf(driver(sim, { port: (web.address() as { port: number }).port }).connect());
      expect(other.code).toBe('XML_API_NOT_FOUND');
      expect(other.message).toContain('ixi application cme');
    } finally {
      web.closeAllConnections();
      web.close();
    }
    const notFound = createServer((_q, res) => res.writeHead(404).end());
    await new Promise<void>((r) => notFound.listen(0, '127.0.0.1', r));
    try {
      expect((await failureOf(driver(sim, { port: (notFound.address() as { port: number }).port }).connect())).params).toMatchObject({ cause: 'HTTP 404' });
    } finally {
      notFound.closeAllConnections();
      notFound.close();
    }
  });

  it('reaches the XML API over HTTPS with the CA given, and names TLS when the certificate is not trusted', async () => {
    const cert = makeTestCert();
    sim = await startCmeSim({ phones: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    expect(await driver(sim, { port: sim.tlsPort!, tls: true, ca: cert.cert }).connect()).toContain('2 phones');
    const untrusted = await failureOf(driver(sim, { port: sim.tlsPort!, tls: true }).connect());
    expect(untrusted.code).toBe('TLS_FAILED');
    expect(untrusted.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
  });

  it('accepts the certificate whose fingerprint was pinned, and sends nothing to one with another fingerprint', async () => {
    const cert = makeTestCert();
    sim = await startCmeSim({ phones: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const seen = (await failureOf(driver(sim, { port: sim.tlsPort!, tls: true }).connect())).fingerprint!;
    expect(await driver(sim, { port: sim.tlsPort!, tls: true, fingerprint: seen }).connect()).toContain('2 phones');
    expect(await driver(sim, { port: sim.tlsPort!, tls: true, fingerprint: seen.replace(/:/g, '').toLowerCase() }).connect()).toContain('2 phones');
    const requests = sim.xml.requests;
    const other = 'AA:'.repeat(31) + 'AA';
    const wrong = await failureOf(driver(sim, { port: sim.tlsPort!, tls: true, fingerprint: other }).connect());
    expect(wrong).toMatchObject({ code: 'TLS_FAILED', fingerprint: seen, params: { cause: 'FINGERPRINT_MISMATCH', half: 'axl' } });
    expect(sim.xml.requests).toBe(requests);
  });
});

describe('CME driver: test connection of both halves', () => {
  it('with the SIP settings it also registers the session server, and names the SIP half when that fails', async () => {
    sim = await startCmeSim({ phones: 2, sip: { port: 0 } });
    const sip = { localHost: '127.0.0.1', localPort: 0, cmeSipPort: sim.sip!.port, sessionServerId: 'ss_ecsta' };
    expect(await driver(sim, { sip }).connect()).toMatch(/registered; session server ss_ecsta registered at 127\.0\.0\.1:\d+ for 600 s$/);
    const unknown = await failureOf(driver(sim, { sip: { ...sip, sessionServerId: 'ss_other' } }).connect());
    expect(unknown.code).toBe('REQUEST_REJECTED');
    expect(unknown.params).toMatchObject({ half: 'sip', status: 404 });
    expect(unknown.message).toMatch(/^SIP \(session server\): /);
    const axl = await failureOf(driver(sim, { sip, password: 'wrong' }).connect());
    expect(axl.params).toMatchObject({ half: 'axl', status: 401 });
  });
});

describe('CME driver: discovery', () => {
  it('one line per phone (first button, SEP device ID): the shared number on two desks is two lines; mobility users without device; SIP phones skipped with a warning', async () => {
    sim = await startCmeSim({ phones: 6 });
    const d = driver(sim);
    await d.connect();
    const r = await d.discover({ readNames: true });
    expect(r.method).toBe('phoneInventory');
    expect(r.devices.map((x) => `${x.number}@${x.deviceId ?? '-'}:${x.name}`)).toEqual([
      '2001@SEP001122000001:User 1',
      '2002@SEP001122000002:User 2',
      '2003@SEP001122000003:User 3',
      '2004@SEP001122000004:User 4',
      `${SHARED_NUMBER}@SEP001122000005:Sales`,
      `${SHARED_NUMBER}@SEP001122000006:Sales`,
      '3001@-:Anna Roam',
      '3003@-:Ben Roam',
    ]);
    expect(r.devices.every((x) => x.buttons === undefined && x.kind === 'proprietary')).toBe(true);
    expect(r.warnings.map((w) => [w.code, w.params])).toEqual([
      ['warnings.sipPhoneSkipped', { device: '0013.1978.3CA5', numbers: '2501' }],
      ['warnings.sipPhoneSkipped', { device: '0013.1978.3CA6', numbers: '2502' }],
    ]);
    expect(r.warnings[0].message).toBe('SIP phone 0013.1978.3CA5 (2501) is skipped: only SCCP phones can be monitored');
  });

  it('with "read line buttons" the other buttons are addresses of the line; without names the names stay empty; ranges count the rest', async () => {
    sim = await startCmeSim({ phones: 6 });
    const d = driver(sim, { readLineButtons: true });
    await d.connect();
    const r = await d.discover({ readNames: false, inRange: (n) => n.startsWith('2') });
    expect(r.devices.slice(0, 2)).toEqual([
      { number: '2001', name: '', kind: 'proprietary', deviceId: 'SEP001122000001', buttons: [SHARED_NUMBER] },
      { number: '2002', name: '', kind: 'proprietary', deviceId: 'SEP001122000002', buttons: [SHARED_NUMBER] },
    ]);
    expect(r.devices).toHaveLength(6);
    expect(r.outOfRange).toBe(2);
    const all = await d.discover({ readNames: false });
    expect(all.devices.find((x) => x.number === '3001')).toEqual({ number: '3001', name: '', kind: 'proprietary', buttons: ['3002'] });
  });

  it('reads the same lines one entity per request when the CME refuses `all`', async () => {
    sim = await startCmeSim({ phones: 40 });
    const d = driver(sim);
    await d.connect();
    const whole = await d.discover({ readNames: true });
    await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ allLimit: 10 }) });
    const split = await d.discover({ readNames: true });
    expect(split.devices).toEqual(whole.devices);
    expect(split.devices).toHaveLength(42);
  });

  it('a phone without line buttons gives no line and a warning; a second profile starting with a taken number too', async () => {
    sim = await startCmeSim({ phones: 2 });
    sim.xml.layout.ephones[1].buttons.clear();
    sim.xml.layout.profiles.push({ id: 3, userId: 'carl', buttons: new Map([[1, sim.xml.layout.profiles[0].buttons.get(1)!]]) });
    const d = driver(sim);
    await d.connect();
    const r = await d.discover({ readNames: false });
    expect(r.devices.map((x) => x.number)).toEqual(['2001', '3001', '3003']);
    expect(r.warnings.filter((w) => w.code !== 'warnings.sipPhoneSkipped').map((w) => [w.code, w.params])).toEqual([
      ['warnings.phoneWithoutLines', { device: 'SEP001122000002' }],
      ['warnings.mobilityNumberTaken', { number: '3001', user: 'carl', first: 'anna' }],
    ]);
  });

  it('made without the SIP half (the CLI\'s discovery), monitoring and call control say NOT_SUPPORTED', async () => {
    sim = await startCmeSim({ phones: 2 });
    const d = driver(sim);
    await d.connect();
    const line = { key: '2001|001122000001', number: '2001', deviceId: 'SEP001122000001' };
    expect((await failureOf(d.monitorStart(line))).code).toBe('NOT_SUPPORTED');
    expect((await failureOf(d.makeCall(line, '2002'))).code).toBe('NOT_SUPPORTED');
  });
});
