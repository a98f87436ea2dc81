// The BroadWorks driver over the CTI socket (connection types cti and ctis) against the simulator: each framing
// the simulator can speak, found out by the driver; events, event responses, heartbeats and requests over the
// socket, lines over HTTP; TLS with a trusted CA or a pinned fingerprint; SRV for the CTI target; termination
// and a password changed on the platform.
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import type { CtiFraming } from '../../protocols/xsi/cti-framing';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { startDnsServer } from '../../protocols/xsi/testing/dns-server';
import { failureOf } from '../testing/failure-of';
import { freePort } from '../shared/free-port';
import { until } from '../testing/api-harness';
import type { DriverLineEvent, LineRef } from '../driver';
import { BroadWorksDriver, type BroadWorksSettings } from './broadworks-driver';

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

function ctiDriver(s: BroadWorksSim, o: Partial<BroadWorksSettings> = {}): BroadWorksDriver {
  const d = new BroadWorksDriver({ host: '127.0.0.1', port: s.ctiPort!, xsiPort: s.port, cti: true, tls: false, user: s.admin.userId, password: s.admin.password, scope: 'server', urlPrefix: '', groupUser: U(2000), lineNameFormat: 'standard', answerTimeoutMs: 3000, ...o });
  drivers.push(d);
  return d;
}

describe('BroadWorks driver over the CTI socket', () => {
  for (const framing of ['xml', 'nul', 'length'] as CtiFraming[]) {
    it(`finds out the framing "${framing}" and carries requests, events and event responses on the socket`, async () => {
      sim = await startBroadWorksSim({ users: 4, ctiPort: 0, ctiFraming: framing });
      const d = ctiDriver(sim);
      const events: DriverLineEvent[] = [];
      d.onEvent((e) => events.push(e));
      const reply = await d.connect();
      expect(reply).toContain(`CTI at cti://127.0.0.1:${sim.ctiPort} (${framing === 'length' ? '4-byte length prefix' : 'XML documents'}, detected)`);
      expect(reply).toContain(`lines read over HTTP at 127.0.0.1:${sim.port}`);
      // Lines are read over HTTP; the rest goes over the socket.
      const read = { all: sim.xsi.counters.requests, cti: sim.xsi.counters.ctiRequests };
      expect((await d.discover({ readNames: false })).devices).toHaveLength(4);
      expect(sim.xsi.counters.ctiRequests).toBe(read.cti);
      expect(sim.xsi.counters.requests).toBe(read.all + 1);

      for (const ext of [2001, 2002]) await d.monitorStart(line(ext));
      const before = { all: sim.xsi.counters.requests, cti: sim.xsi.counters.ctiRequests };
      const { callId } = await d.makeCall(line(2001), '2002');
      await until(() => events.length === 2, 'originated and delivered');
      expect(events.map((e) => `${e.line} ${e.event} ${e.callState}`)).toEqual([`${U(2001)} originated initiated`, `${U(2002)} delivered alerting`]);
      await d.callControl(line(2002), { op: 'answer', callId: events[1].callId! });
      await d.clearCall(line(2001), callId);
      await until(() => events.filter((e) => e.event === 'connectionCleared').length === 2, 'both ends cleared');
      await until(() => sim!.xsi.counters.eventResponses === sim!.xsi.counters.events, 'every event answered');
      // Everything after the line reading came over the socket.
      expect(sim.xsi.counters.ctiRequests - before.cti).toBeGreaterThanOrEqual(7);
      expect(sim.xsi.counters.requests - before.all).toBe(sim.xsi.counters.ctiRequests - before.cti);
    });
  }

  it('takes the framing as configured; a length prefix to a server of plain documents is refused with a clear cause', async () => {
    sim = await startBroadWorksSim({ users: 2, ctiPort: 0, ctiFraming: 'length' });
    expect(await ctiDriver(sim, { ctiFraming: 'length' }).connect()).toContain('(4-byte length prefix)');
    const wrong = await failureOf(ctiDriver(sim, { ctiFraming: 'xml' }).connect());
    expect(wrong.code).toBe('PROTOCOL_ERROR');
    expect(wrong.message).toMatch(/not framed as length/);
  });

  it('sends heartbeats on the socket, ends the link on ChannelTerminated and on a password changed on the platform', async () => {
    sim = await startBroadWorksSim({ users: 2, ctiPort: 0 });
    const d = ctiDriver(sim, { keepAliveMs: 50 });
    let lost: string | undefined;
    d.onLost((e) => (lost = `${e.code} ${e.message}`));
    await d.connect();
    const cti = sim.xsi.counters.ctiRequests;
    await until(() => sim!.xsi.counters.ctiRequests >= cti + 3, 'heartbeats over the socket');
    expect(sim.xsi.terminateChannels()).toBe(1);
    await until(() => lost !== undefined, 'the lost link');
    expect(lost).toMatch(/^LINK_LOST the CTI channel to cti:\/\/127\.0\.0\.1:\d+ ended: .*terminated by the control API/);

    const w = ctiDriver(sim, { scope: 'workstation', user: U(2001), password: 'secret', keepAliveMs: 50 });
    let wLost: string | undefined;
    w.onLost((e) => (wLost = e.code));
    await w.connect();
    sim.group.setPassword(U(2001), 'changed');
    await until(() => wLost !== undefined, 'the refused heartbeat');
    expect(wLost).toBe('PASSWORD_NEEDED');
  });

  it('ctis: TLS with the CA trusted, or with the certificate pinned by fingerprint; a wrong pin names the certificate', async () => {
    const cert = makeTestCert();
    sim = await startBroadWorksSim({ users: 2, tls: { port: 0, cert: cert.cert, key: cert.key }, ctiTlsPort: 0, ctiFraming: 'length' });
    const tls = { tls: true, port: sim.ctiTlsPort!, xsiPort: sim.tlsPort! };
    const untrusted = await failureOf(ctiDriver(sim, { ...tls, ca: undefined }).connect());
    expect(untrusted.code).toBe('TLS_FAILED');
    const d = ctiDriver(sim, { ...tls, ca: cert.cert });
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    expect(await d.connect()).toMatch(/CTI at ctis:\/\/127\.0\.0\.1:\d+ \(4-byte length prefix, detected\); lines read over HTTPS/);
    await d.monitorStart(line(2001));
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
    await until(() => events.length === 1, 'the call over TLS');
    expect(events[0]).toMatchObject({ event: 'delivered', calling: '0301234' });

    // The pin replaces the chain check on the CTI socket and for reading lines over HTTPS.
    const pinned = ctiDriver(sim, { ...tls, ca: undefined, fingerprint: cert.fingerprint256 });
    expect(await pinned.connect()).toContain('ctis://');
    expect((await pinned.discover({ readNames: false })).devices).toHaveLength(2);
    const wrongPin = await failureOf(ctiDriver(sim, { ...tls, ca: cert.cert, fingerprint: 'AB'.repeat(32) }).connect());
    expect(wrongPin.code).toBe('TLS_FAILED');
    expect(wrongPin.fingerprint?.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
  });

  it('finds the CTI socket through _ecsta-cti._tcp and lines through _ecsta._tcp', async () => {
    sim = await startBroadWorksSim({ users: 2, ctiPort: 0 });
    dns = await startDnsServer({
      srv: {
        '_ecsta-cti._tcp.bw.provider.test': [{ target: 'cti.provider.test', port: sim.ctiPort!, priority: 10, weight: 1 }],
        '_ecsta._tcp.bw.provider.test': [{ target: 'web.provider.test', port: sim.port, priority: 10, weight: 1 }],
      },
      a: { 'cti.provider.test': '127.0.0.1', 'web.provider.test': '127.0.0.1' },
    });
    const reply = await ctiDriver(sim, { host: 'bw.provider.test', dns: dns.address, port: 1, xsiPort: 1 }).connect();
    expect(reply).toContain(`lines read over HTTP at web.provider.test:${sim.port}`);
    expect(reply).toContain(`(SRV _ecsta-cti._tcp.bw.provider.test → cti.provider.test:${sim.ctiPort})`);
  });

  it('reads lines from the next _ecsta target when the first fails, and tries the next CTI target when a socket fails', async () => {
    sim = await startBroadWorksSim({ users: 2, ctiPort: 0 });
    const down = await freePort();
    dns = await startDnsServer({
      srv: {
        '_ecsta-cti._tcp.bw.provider.test': [
          { target: 'cti-down.provider.test', port: down, priority: 10, weight: 1 },
          { target: 'cti.provider.test', port: sim.ctiPort!, priority: 20, weight: 1 },
        ],
        '_ecsta._tcp.bw.provider.test': [
          { target: 'web-down.provider.test', port: down, priority: 10, weight: 1 },
          { target: 'web.provider.test', port: sim.port, priority: 20, weight: 1 },
        ],
      },
      a: { 'cti.provider.test': '127.0.0.1', 'web.provider.test': '127.0.0.1', 'cti-down.provider.test': '127.0.0.1', 'web-down.provider.test': '127.0.0.1' },
    });
    const d = ctiDriver(sim, { host: 'bw.provider.test', dns: dns.address, port: 1, xsiPort: 1 });
    const reply = await d.connect();
    expect(reply).toContain(`lines read over HTTP at web.provider.test:${sim.port}`);
    expect(reply).toContain(`(SRV _ecsta-cti._tcp.bw.provider.test → cti.provider.test:${sim.ctiPort})`);
    // The status shows the CTI socket's target and the record it came from.
    expect(d.connectedTo()).toEqual({ host: 'cti.provider.test', port: sim.ctiPort, via: 'srv', record: '_ecsta-cti._tcp.bw.provider.test' });
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.monitorStart(line(2001));
    sim.xsi.calls.incoming('0301234567', U(2001));
    await until(() => events.some((e) => e.event === 'delivered'), 'the call over the second CTI target');
  });

  it('names the _ecsta record when no target of it can read the lines', async () => {
    sim = await startBroadWorksSim({ users: 2, ctiPort: 0 });
    const [p1, p2] = [await freePort(), await freePort()];
    dns = await startDnsServer({
      srv: {
        '_ecsta-cti._tcp.bw.provider.test': [{ target: 'cti.provider.test', port: sim.ctiPort!, priority: 10, weight: 1 }],
        '_ecsta._tcp.bw.provider.test': [{ target: 'w1.provider.test', port: p1, priority: 10, weight: 1 }, { target: 'w2.provider.test', port: p2, priority: 20, weight: 1 }],
      },
      a: { 'cti.provider.test': '127.0.0.1', 'w1.provider.test': '127.0.0.1', 'w2.provider.test': '127.0.0.1' },
    });
    const f = await failureOf(ctiDriver(sim, { host: 'bw.provider.test', dns: dns.address }).connect());
    expect(f.code).toBe('CONNECT_REFUSED');
    expect(f.params).toMatchObject({ srv: '_ecsta._tcp.bw.provider.test', tried: `w1.provider.test:${p1}, w2.provider.test:${p2}`, port: p2 });
    expect(f.message).toContain('no target of SRV _ecsta._tcp.bw.provider.test answered');
  });
});
