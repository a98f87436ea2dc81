import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { PanasonicDriver } from './panasonic-driver';
import { DriverFailure, type DriverLineEvent } from '../driver';
import { inRanges, parseRanges } from '../../engine/location';

let sim: PanasonicSim | undefined;
const drivers: PanasonicDriver[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await sim?.close();
  sim = undefined;
});

function driver(port: number, extra: Partial<ConstructorParameters<typeof PanasonicDriver>[0]> = {}): PanasonicDriver {
  const d = new PanasonicDriver({ host: '127.0.0.1', port, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 2000, ...extra });
  drivers.push(d);
  return d;
}

async function failureOf(p: Promise<unknown>): Promise<DriverFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DriverFailure);
    return e as DriverFailure;
  }
  throw new Error('expected a failure');
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
    await d.monitorStart('101');
    const callID = sim.placeCall('100', '101');
    await waitFor(() => events.some((e) => e.event === 'delivered'));
    expect(events[0]).toMatchObject({ line: '101', event: 'delivered', callState: 'alerting', calling: '100', called: '101' });
    expect(await d.snapshot('101')).toEqual([{ callId: events[0].callId, state: 'alerting' }]);
    sim.answerCall(callID, '101');
    await waitFor(() => events.some((e) => e.event === 'established'));
    expect(events.at(-1)?.callState).toBe('connected');
    await d.clearCall('101', events[0].callId!);
    await waitFor(() => events.some((e) => e.event === 'connectionCleared'));
    expect(await d.snapshot('101')).toEqual([]);
  });

  it('places a call from a line and sets forwarding and do-not-disturb, which the PBX reports back', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-105' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.monitorStart('102');
    const { callId } = await d.makeCall('102', '103');
    expect(callId).not.toBe('');
    await waitFor(() => events.some((e) => e.event === 'delivered'));
    await d.clearCall('102', callId);
    await d.setDoNotDisturb('102', true);
    await d.setForwarding('102', true, '104');
    await waitFor(() => events.some((e) => e.event === 'forwarding'));
    expect(events.find((e) => e.event === 'doNotDisturb')?.featureOn).toBe(true);
    expect(events.find((e) => e.event === 'forwarding')).toMatchObject({ featureOn: true, forwardTo: '104' });
  });

  it('refuses a monitor for a device the PBX does not have, with the PBX reason', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-105' } });
    const d = driver(sim.tcpPort);
    await d.connect();
    const f = await failureOf(d.monitorStart('999'));
    expect(f.code).toBe('REQUEST_REJECTED');
    expect(f.message).toContain('invalidDeviceID');
  });
});

export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
