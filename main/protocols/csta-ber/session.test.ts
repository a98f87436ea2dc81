import { afterEach, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { CstaSessionError, type CstaEvent, type CstaSwitchRequest, type EventOf } from '../csta/model';
import { kmeDeviceListRequest, decodeKmePrivateData } from './panasonic-private-data';
import { BerCstaSession } from './session';

let sim: PanasonicSim | undefined;
const sessions: BerCstaSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await sim?.close();
  sim = undefined;
});

async function open(devices = '100-109', extra: Parameters<typeof startPanasonicSim>[0] = {}): Promise<BerCstaSession> {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: devices, names: true }, ...extra });
  const s = await BerCstaSession.connect({ host: '127.0.0.1', port: sim.tcpPort, keepAliveIntervalMs: 0, invokeTimeoutMs: 2000, connectTimeoutMs: 2000 });
  sessions.push(s);
  return s;
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function errorOf(p: Promise<unknown>): Promise<CstaSessionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CstaSessionError);
    return e as CstaSessionError;
  }
  throw new Error('expected a failure');
}

const named = <N extends CstaEvent['name']>(events: CstaEvent[], name: N) => events.filter((e): e is EventOf<N> => e.name === name);

describe('BerCstaSession against the Panasonic simulator', () => {
  it('monitors a device and reports a call as model events with text IDs, then controls it by model requests', async () => {
    const s = await open();
    expect(s.peer).toBe(`127.0.0.1:${sim!.tcpPort}`);
    expect(s.open).toBe(true);
    const events: CstaEvent[] = [];
    s.onEvent((e) => events.push(e));
    const { crossRefIdentifier } = await s.invoke('monitorStart', { monitorObject: { device: { id: '101' } }, monitorType: 'device' });
    expect(crossRefIdentifier).toMatch(/^[0-9a-f]+$/);

    sim!.placeCall('100', '101');
    await waitFor(() => named(events, 'delivered').length > 0);
    const delivered = named(events, 'delivered')[0];
    expect(delivered).toMatchObject({ category: 'callControl', monitorCrossRefId: crossRefIdentifier, localConnectionInfo: 'alerting', callingDevice: { id: '100' }, calledDevice: { id: '101' }, alertingDevice: { id: '101' } });
    expect(delivered.connection).toEqual({ callId: expect.stringMatching(/^[0-9a-f]+$/), device: { id: '101' } });

    const snap = await s.invoke('snapshotDevice', { snapshotObject: { id: '101' } });
    expect(snap.calls).toEqual([{ connectionIdentifier: delivered.connection, localCallState: { compound: ['alerting'] } }]);

    await s.invoke('answerCall', { callToBeAnswered: delivered.connection });
    await waitFor(() => named(events, 'established').length > 0);
    await s.invoke('holdCall', { callToBeHeld: delivered.connection });
    await waitFor(() => named(events, 'held').length > 0);
    expect(named(events, 'held')[0]).toMatchObject({ localConnectionInfo: 'hold', holdingDevice: { id: '101' } });
    await s.invoke('retrieveCall', { callToBeRetrieved: delivered.connection });
    await s.invoke('clearConnection', { connectionToBeCleared: delivered.connection });
    await waitFor(() => named(events, 'connectionCleared').length > 0);
    expect((await s.invoke('snapshotDevice', { snapshotObject: { id: '101' } })).calls).toEqual([]);
    expect(await s.invoke('monitorStop', { crossRefIdentifier })).toEqual({});
  });

  it('places a call, and sets and reads do-not-disturb and forwarding, which the switch reports as feature events', async () => {
    const s = await open();
    const events: CstaEvent[] = [];
    s.onEvent((e) => events.push(e));
    await s.invoke('monitorStart', { monitorObject: { device: { id: '102' } } });
    const made = await s.invoke('makeCall', { callingDevice: { id: '102' }, calledDirectoryNumber: { id: '103' } });
    expect(made.callingDevice).toMatchObject({ device: { id: '102' } });
    expect(made.callingDevice.callId).toMatch(/^[0-9a-f]+$/);
    await s.invoke('setDoNotDisturb', { device: { id: '102' }, doNotDisturbOn: true });
    expect(await s.invoke('getDoNotDisturb', { device: { id: '102' } })).toEqual({ doNotDisturbOn: true });
    await s.invoke('setForwarding', { device: { id: '102' }, forwardingType: 'forwardImmediate', activateForward: true, forwardDN: { id: '104' } });
    expect((await s.invoke('getForwarding', { device: { id: '102' } })).forwardingList).toContainEqual({ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: { id: '104' } });
    await waitFor(() => named(events, 'forwarding').length > 0);
    expect(named(events, 'doNotDisturb')[0]).toMatchObject({ category: 'logicalDeviceFeature', device: { id: '102' }, doNotDisturbOn: true });
    expect(named(events, 'forwarding')[0]).toMatchObject({ forwardStatus: true, forwardTo: { id: '104' } });
  });

  it('delivers the device list segments and the vendor escape replies the switch invokes as requests', async () => {
    const s = await open('100-124', { segmentSize: 10 });
    const requests: CstaSwitchRequest[] = [];
    s.onRequest((r) => requests.push(r));
    const { serviceCrossRefID } = await s.invoke('getSwitchingFunctionDevices', {});
    await waitFor(() => requests.some((r) => r.service === 'switchingFunctionDevices' && r.args.lastSegment));
    const segments = requests.flatMap((r) => (r.service === 'switchingFunctionDevices' ? [r.args] : []));
    expect(segments.map((a) => a.serviceCrossRefID)).toEqual([serviceCrossRefID, serviceCrossRefID, serviceCrossRefID]);
    const devices = segments.flatMap((a) => a.deviceList);
    expect(devices).toHaveLength(25);
    expect(devices[0].deviceID.id).toBe('100');
    expect(devices[0].deviceID.name).not.toBe('');

    requests.length = 0;
    const { private: kme } = kmeDeviceListRequest() as { private: string };
    expect(await s.invoke('escape', { privateData: { format: 'ber', value: kme } })).toEqual({});
    await waitFor(() => requests.length === 3);
    const replies = requests.map((r) => (r.service === 'escape' ? decodeKmePrivateData({ private: r.args.privateData.value }) : undefined));
    expect(replies.map((m) => m && 'deviceListReply' in m && m.deviceListReply.lastSegment)).toEqual([false, false, true]);
  });

  it("rejects a request the switch refuses with its reason as a model failure, and the session stays open", async () => {
    const s = await open();
    const e = await errorOf(s.invoke('monitorStart', { monitorObject: { device: { id: '999' } } }));
    expect(e.code).toBe('CSTA_UNIVERSAL_FAILURE');
    expect(e.details).toEqual({ service: 'monitorStart', failure: { category: 'operation', error: 'invalidDeviceID' } });
    expect(e.message).toContain('invalidDeviceID');
    const x = await errorOf(s.invoke('escape', { privateData: { format: 'xml', value: '<kme/>' } }));
    expect(x.code).toBe('CSTA_UNSUPPORTED');
    expect(s.open).toBe(true);
    expect((await s.invoke('getDoNotDisturb', { device: { id: '101' } })).doNotDisturbOn).toBe(false);
  });

  it('reports a dropped link once, as lost, and a closed session not at all', async () => {
    const s = await open();
    const lost: CstaSessionError[] = [];
    s.onLost((e) => lost.push(e));
    sim!.setFault({ dropLink: true });
    await waitFor(() => lost.length > 0);
    expect(lost[0].code).toBe('CSTA_CONNECTION_LOST');
    expect(lost[0].message).toContain(`127.0.0.1:${sim!.tcpPort}`);
    expect(s.open).toBe(false);
    expect((await errorOf(s.invoke('getDoNotDisturb', { device: { id: '101' } }))).code).toBe('CSTA_NOT_CONNECTED');

    const again = await BerCstaSession.connect({ host: '127.0.0.1', port: sim!.tcpPort, keepAliveIntervalMs: 0 });
    const quiet: CstaSessionError[] = [];
    again.onLost((e) => quiet.push(e));
    await again.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(quiet).toEqual([]);
    expect(again.open).toBe(false);
  });

  it('stops telling a listener once it unsubscribed', async () => {
    const s = await open();
    const seen: string[] = [];
    const off = s.onEvent((e) => seen.push(e.name));
    await s.invoke('monitorStart', { monitorObject: { device: { id: '101' } } });
    const first = sim!.placeCall('100', '101');
    await waitFor(() => seen.includes('delivered'));
    off();
    const count = seen.length;
    sim!.clearCall(first);
    await s.invoke('getDoNotDisturb', { device: { id: '101' } });
    expect(seen.length).toBe(count);
  });
});
