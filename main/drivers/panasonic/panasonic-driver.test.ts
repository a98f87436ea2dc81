import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { PanasonicDriver } from './panasonic-driver';
import { DriverFailure, type DriverLineEvent } from '../driver';
import { inRanges, parseRanges } from '../../engine/location';
import { startRefusingProxy, type RefusingProxy } from './testing/refusing-proxy';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureOf } from '../testing/failure-of';

/** A Panasonic line is identified by its number. */
const ref = (number: string) => ({ key: number, number });

let sim: PanasonicSim | undefined;
const drivers: PanasonicDriver[] = [];
const servers: Server[] = [];
const proxies: RefusingProxy[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  for (const p of proxies.splice(0)) await p.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await sim?.close();
  sim = undefined;
});

function driver(port: number, extra: Partial<ConstructorParameters<typeof PanasonicDriver>[0]> = {}): PanasonicDriver {
  const d = new PanasonicDriver({ host: '127.0.0.1', port, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 2000, ...extra });
  drivers.push(d);
  return d;
}

describe('Panasonic driver against the simulator', () => {
  it('reads every device with GetSwitchingFunctionDevices, with names and kinds, across segments', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-149', sip: '200-204', dect: '500-501', names: true }, segmentSize: 7 });
    const d = driver(sim.tcpPort);
    expect(await d.connect()).toContain('association accepted');
    const progress: number[] = [];
    const r = await d.discover({ readNames: true, onProgress: (p) => progress.push(p.found) });
    expect(r.method).toBe('switchingFunctionDevices');
    expect(r.devices).toHaveLength(57);
    expect(r.devices.find((x) => x.number === '200')?.kind).toBe('sip');
    expect(r.devices.find((x) => x.number === '500')?.kind).toBe('dect');
    expect(r.devices.find((x) => x.number === '100')?.name).not.toBe('');
    expect(progress.length).toBe(Math.ceil(57 / 7));
  });

  it('counts only numbers inside the extension ranges and leaves names out when not asked for', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-149', names: true } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const ranges = parseRanges('110-119');
    if (!ranges.ok) throw new Error('bad ranges');
    const r = await d.discover({ readNames: false, inRange: (n) => inRanges(ranges.ranges, n) });
    expect(r.devices.map((x) => x.number)).toEqual(['110', '111', '112', '113', '114', '115', '116', '117', '118', '119']);
    expect(r.outOfRange).toBe(40);
    expect(r.devices.every((x) => x.name === '')).toBe(true);
  });

  it('names the cause when the PBX cannot be reached: refused, not resolved, timed out', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    await new Promise((r) => blocker.close(r));
    const refused = await failureOf(driver(port).connect());
    expect(refused.code).toBe('CONNECT_REFUSED');
    expect(refused.message).toContain(`127.0.0.1:${port}`);

    const unresolved = await failureOf(new PanasonicDriver({ host: 'no-such-host.invalid', port: 33333, tls: false }).connect());
    expect(unresolved.code).toBe('NAME_NOT_RESOLVED');
    expect(unresolved.message).toContain('no-such-host.invalid');

    // A server that accepts but never answers the login.
    const silent = createServer((socket) => socket.on('close', () => {}).setTimeout(500, () => socket.destroy()));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const t = await failureOf(driver((silent.address() as { port: number }).port, { connectTimeoutMs: 300 }).connect());
    expect(t.code).toBe('CONNECT_TIMEOUT');
  });

  it('reports a rejected login and a PBX busy with another CSTA client', async () => {
    sim = await startPanasonicSim({ port: 0, login: { user: 'admin', password: 'secret' } });
    const bad = await failureOf(driver(sim.tcpPort, { user: 'admin', password: 'wrong' }).connect());
    expect(bad.code).toBe('LOGIN_REJECTED');
    expect(bad.message).toContain('"admin"');
    const first = driver(sim.tcpPort, { user: 'admin', password: 'secret' });
    await first.connect();
    const busy = await failureOf(driver(sim.tcpPort, { user: 'admin', password: 'secret' }).connect());
    expect(busy.code).toBe('PBX_BUSY');
    expect(busy.message).toContain('another CSTA client');
  });

  it('monitors a line and turns a call into events with call states and numbers', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-105' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.monitorStart(ref('101'));
    const callID = sim.placeCall('100', '101');
    await waitFor(() => events.some((e) => e.event === 'delivered'));
    expect(events[0]).toMatchObject({ line: '101', event: 'delivered', callState: 'alerting', calling: '100', called: '101' });
    expect(await d.snapshot(ref('101'))).toEqual([{ callId: events[0].callId, state: 'alerting' }]);
    sim.answerCall(callID, '101');
    await waitFor(() => events.some((e) => e.event === 'established'));
    expect(events.at(-1)?.callState).toBe('connected');
    await d.clearCall(ref('101'), events[0].callId!);
    await waitFor(() => events.some((e) => e.event === 'connectionCleared'));
    expect(await d.snapshot(ref('101'))).toEqual([]);
  });

  it('places a call from a line and sets forwarding and do-not-disturb, which the PBX reports back', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-105' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.monitorStart(ref('102'));
    const { callId } = await d.makeCall(ref('102'), '103');
    expect(callId).not.toBe('');
    await waitFor(() => events.some((e) => e.event === 'delivered'));
    await d.clearCall(ref('102'), callId);
    await d.setDoNotDisturb(ref('102'), true);
    await d.setForwarding(ref('102'), true, '104');
    await waitFor(() => events.some((e) => e.event === 'forwarding'));
    expect(events.find((e) => e.event === 'doNotDisturb')?.featureOn).toBe(true);
    expect(events.find((e) => e.event === 'forwarding')).toMatchObject({ featureOn: true, forwardTo: '104' });
  });

  it('refuses a monitor for a device the PBX does not have, with the PBX reason', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-105' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const f = await failureOf(d.monitorStart(ref('999')));
    expect(f.code).toBe('REQUEST_REJECTED');
    expect(f.message).toContain('invalidDeviceID');
  });
});

describe('a link that goes bad', () => {
  it('notices a PBX that stops answering through its keep-alive and reports the link lost', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-101' } });
    const d = driver(sim.tcpPort, { keepAliveMs: 100 });
    await d.connect();
    const lost = new Promise<DriverFailure>((resolve) => d.onLost(resolve));
    sim.setFault({ stopAnswering: true });
    const e = await lost;
    expect(e.code).toBe('NO_ANSWER');
    expect(e.message).toContain('keep-alive');
    expect(d.connected).toBe(false);
  });

  it('closes the link on a malformed frame and says the PBX sent something that is not CSTA', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-101' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const lost = new Promise<DriverFailure>((resolve) => d.onLost(resolve));
    sim.setFault({ malformedFrame: true });
    const e = await lost;
    expect(e.code).toBe('PROTOCOL_ERROR');
    expect(e.message).toContain(`127.0.0.1:${sim.tcpPort}`);
  });
});

describe('discovery fallbacks', () => {
  it('falls back to the Panasonic device-list escape when GetSwitchingFunctionDevices is not supported', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-129', names: true }, segmentSize: 8 });
    const proxy = await startRefusingProxy(sim.tcpPort, (i) => (i.operation === 'getSwitchingFunctionDevices' ? 'unsupported' : 'pass'));
    proxies.push(proxy);
    const d = driver(proxy.port);
    await d.connect();
    const r = await d.discover({ readNames: true });
    expect(r.method).toBe('escapeDeviceList');
    expect(r.devices.map((x) => x.number)).toEqual(Array.from({ length: 30 }, (_, i) => String(100 + i)));
    expect(r.warnings[0]).toMatchObject({ code: 'warnings.fallbackEscape', message: expect.stringContaining('GetSwitchingFunctionDevices') });
    expect(proxy.seen.escape).toBe(1);
  });

  it('probes the extension ranges with SnapshotDevice when neither device list answers', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-104,300-302' } });
    const proxy = await startRefusingProxy(sim.tcpPort, (i) => (i.operation === 'getSwitchingFunctionDevices' || i.operation === 'escape' ? 'unsupported' : 'pass'));
    proxies.push(proxy);
    const d = driver(proxy.port);
    await d.connect();
    const ranges = parseRanges('100-109, 300-305');
    if (!ranges.ok) throw new Error('bad ranges');
    const probes: number[] = [];
    const r = await d.discover({
      readNames: true,
      inRange: (n) => inRanges(ranges.ranges, n),
      probeNumbers: () => ['100', '101', '102', '103', '104', '105', '106', '107', '108', '109', '300', '301', '302', '303', '304', '305'],
      onProgress: (p) => probes.push(p.probed),
    });
    expect(r.method).toBe('snapshotProbe');
    expect(r.devices.map((x) => x.number)).toEqual(['100', '101', '102', '103', '104', '300', '301', '302']);
    expect(proxy.seen.snapshotDevice).toBe(16);
    expect(probes.at(-1)).toBe(16);
  });

  it('stops a discovery when it is cancelled', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-199' }, faults: { answerDelayMs: 200 } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const abort = new AbortController();
    const p = d.discover({ readNames: false, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await failureOf(p)).code).toBe('CANCELLED');
  });
});

describe('TLS', () => {
  function selfSigned(): { cert: string; key: string } {
    const dir = mkdtempSync(join(tmpdir(), 'lk-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  }

  it('refuses an unknown certificate with the reason and its fingerprint, then connects once it is pinned or trusted', async () => {
    const { cert, key } = selfSigned();
    sim = await startPanasonicSim({ port: 0, tls: { port: 0, cert, key }, login: { user: 'admin', password: 'pw' } });
    const port = sim.tlsPort!;
    const refused = await failureOf(driver(port, { host: 'localhost', tls: true, user: 'admin', password: 'pw' }).connect());
    expect(refused.code).toBe('TLS_FAILED');
    expect(refused.message).toMatch(/SELF_SIGNED/);
    expect(refused.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const pinned = driver(port, { host: 'localhost', tls: true, user: 'admin', password: 'pw', fingerprint: refused.fingerprint });
    expect(await pinned.connect()).toContain('association accepted');
    await pinned.close();

    const trusted = driver(port, { host: 'localhost', tls: true, user: 'admin', password: 'pw', ca: cert });
    expect(await trusted.connect()).toContain('association accepted');
    expect((await trusted.discover({ readNames: false })).devices).toHaveLength(100);
    await trusted.close();

    const wrongName = await failureOf(driver(port, { host: '127.0.0.1', tls: true, user: 'admin', password: 'pw', ca: cert }).connect());
    expect(wrongName.code).toBe('TLS_FAILED');
    expect(wrongName.message).toContain('127.0.0.1');
  });
});

export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
