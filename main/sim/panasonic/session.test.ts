import { afterEach, describe, expect, it } from 'vitest';
import { hex } from '../../protocols/csta-ber';
import { startPanasonicSim, type PanasonicSim, type PanasonicSimOptions } from './index';
import { CstaTestClient, until } from '../../protocols/csta-ber/testing/client';
import { deviceListEscapeRequest, readEscapeDeviceList } from './panasonic-escape';

let sim: PanasonicSim | undefined;
const clients: CstaTestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim?.close();
  sim = undefined;
});

async function start(opts: PanasonicSimOptions = {}) {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-104', names: true }, ...opts });
  return sim;
}

async function client(s: PanasonicSim = sim!) {
  const c = await CstaTestClient.connect({ port: s.tcpPort, autoAck: false });
  clients.push(c);
  return c;
}

/** A client that logged in and answered the PBX's SystemStatus invoke, as a real client does. */
async function loggedIn(s: PanasonicSim = sim!) {
  const c = await client(s);
  const aare = await c.login();
  expect(aare.result).toBe(0);
  const status = await c.next((a) => a.kind === 'invoke' && a.operation === 'systemStatus');
  c.send({ kind: 'returnResult', invokeId: (status as { invokeId: number }).invokeId, opcode: 211, operation: 'systemStatus', result: { noData: null } });
  return c;
}

const dn = (n: string) => ({ deviceIdentifier: { dialingNumber: n } });
/** Starts a monitor on extension `n`; its cross-reference ID. */
const monitor = async (c: CstaTestClient, n: string) => ((await c.invoke('monitorStart', { monitorObject: { deviceObject: dn(n) } })) as any).result.crossRefIdentifier as string;

describe('Panasonic simulator CSTA link', () => {
  it('accepts a login with the real PBX AARE bytes and then invokes SystemStatus normal', async () => {
    await start();
    const c = await client();
    const chunks: Buffer[] = [];
    c.socket.on('data', (d: Buffer) => chunks.push(d));
    await c.login();
    const status = await c.next((a) => a.kind === 'invoke');
    expect(status).toMatchObject({ operation: 'systemStatus', argument: { systemStatus: 'normal' } });
    const bytes = hex(Buffer.concat(chunks));
    // The exact AARE a Panasonic PBX sends (reference §4.2), framed; then the SystemStatus invoke 1.
    expect(bytes.startsWith('0031' + '612f80020780a10706052b0c00815aa203020100a305a103020101be14281206072b0c00821d8148a007a0050303000800')).toBe(true);
    expect(bytes).toContain('a10c020101020200d330030a0102');
    expect(sim!.counters().associations).toEqual({ total: 1, active: 1, rejected: 0 });
  });

  it('refuses a second association with a transient ACSE rejection while the first is active', async () => {
    await start();
    await loggedIn();
    const second = await client();
    const aare = await second.login();
    expect(aare.result).toBe(2);
    expect(aare.resultSourceDiagnostic).toEqual({ acseServiceUser: 1 });
    await second.closedPromise;
    expect(sim!.counters().associations).toMatchObject({ active: 1, rejected: 1 });
  });

  it('serves a new association after the first client leaves', async () => {
    await start();
    const first = await loggedIn();
    first.close();
    await until(() => sim!.counters().associations.active === 0);
    const again = await client();
    expect((await again.login()).result).toBe(0);
  });

  it('demands the configured user and password', async () => {
    await start({ login: { user: 'admin', password: 'pässwort' } });
    const none = await client();
    expect(await none.login()).toMatchObject({ result: 1, resultSourceDiagnostic: { acseServiceUser: 14 } });
    const wrong = await client();
    expect(await wrong.login({ user: 'admin', password: 'nope' })).toMatchObject({ result: 1, resultSourceDiagnostic: { acseServiceUser: 13 } });
    const right = await client();
    expect((await right.login({ user: 'admin', password: 'pässwort' })).result).toBe(0);
  });

  it('refuses every login while the refuse-login fault is on', async () => {
    await start({ faults: { refuseLogin: true } });
    expect((await (await client()).login()).result).toBe(1);
    sim!.setFault({ refuseLogin: false });
    expect((await (await client()).login()).result).toBe(0);
  });

  it('answers the client keep-alive SystemStatus and counts invokes by operation', async () => {
    await start();
    const c = await loggedIn();
    expect(await c.invoke('systemStatus', { systemStatus: 'normal' })).toMatchObject({ kind: 'returnResult', operation: 'systemStatus', result: { noData: null } });
    expect(sim!.counters().invokesReceived).toEqual({ systemStatus: 1 });
  });

  it('lists devices with GetSwitchingFunctionDevices in segments, the last one marked', async () => {
    await start({ devices: { extensions: '100-104', sip: '200-201', names: true }, segmentSize: 3 });
    const c = await loggedIn();
    const res = await c.invoke('getSwitchingFunctionDevices', {});
    expect(res).toMatchObject({ kind: 'returnResult', operation: 'getSwitchingFunctionDevices' });
    const ref = (res as { result: { serviceCrossRefID: string } }).result.serviceCrossRefID;
    const segments = [];
    for (let i = 0; i < 3; i++) segments.push(((await c.next((a) => a.kind === 'invoke' && a.operation === 'switchingFunctionDevices')) as any).argument);
    expect(segments.map((s) => [s.segmentID, s.lastSegment, s.deviceList.length, s.serviceCrossRefID])).toEqual([
      [1, false, 3, ref],
      [2, false, 3, ref],
      [3, true, 1, ref],
    ]);
    const all = segments.flatMap((s) => s.deviceList);
    expect(all.map((d: any) => d.deviceID.deviceIdentifier.dialingNumber)).toEqual(['100', '101', '102', '103', '104', '200', '201']);
    expect(all[5]).toMatchObject({ deviceModelName: 'sip' });
    expect(all[0].deviceID.privateName).toMatch(/, /);
  });

  it('answers the Panasonic escape device-list request with device numbers and dialing numbers', async () => {
    await start({ segmentSize: 2 });
    const c = await loggedIn();
    expect(await c.invoke('escape', deviceListEscapeRequest(5))).toMatchObject({ kind: 'returnResult' });
    const rows = [];
    for (;;) {
      const inv = (await c.next((a) => a.kind === 'invoke' && a.operation === 'escape')) as any;
      const seg = readEscapeDeviceList(inv.argument);
      rows.push(...seg.devices);
      if (seg.lastSegment) break;
    }
    expect(rows).toEqual([100, 101, 102, 103, 104].map((n, i) => ({ deviceNumber: i + 1, number: String(n) })));
    await c.invoke('escape', deviceListEscapeRequest(2));
    const other = (await c.next((a) => a.kind === 'invoke' && a.operation === 'escape')) as any;
    expect(readEscapeDeviceList(other.argument)).toMatchObject({ lastSegment: true, devices: [] });
  });

  it('monitors a device by device number and reports the events of a call placed through the control API', async () => {
    await start();
    const c = await loggedIn();
    const res = (await c.invoke('monitorStart', { monitorObject: { deviceObject: { deviceIdentifier: { deviceNumber: 2 } } } })) as any;
    const xref = res.result.crossRefIdentifier;
    expect(xref).toMatch(/^[0-9a-f]{8}$/);
    expect(sim!.counters().monitorsByDevice).toEqual({ '101': 1 });
    const placed = await fetch(`${sim!.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '100', to: '101' }) });
    const { callID } = (await placed.json()) as { callID: string };
    await until(() => c.received.length >= 1);
    sim!.answerCall(callID, '101');
    await until(() => c.received.length >= 2);
    const events = c.takeEvents();
    expect(events.map((e) => [e.crossRef, e.name])).toEqual([
      [xref, 'delivered'],
      [xref, 'established'],
    ]);
    expect(events[0].event).toMatchObject({
      alertingDevice: { deviceIdentifier: dn('101') },
      callingDevice: { deviceIdentifier: dn('100') },
      localConnectionInfo: 'alerting',
      cause: 'newCall',
      connection: { both: { callID: '0001', deviceID: { staticID: dn('101') } } },
    });
    expect(await c.invoke('monitorStop', { crossRefIdentifier: xref })).toMatchObject({ kind: 'returnResult' });
    expect(sim!.counters().monitorsByDevice).toEqual({});
  });

  it('leaves out the events a monitor filtered', async () => {
    await start();
    const c = await loggedIn();
    const res = (await c.invoke('monitorStart', { monitorObject: { deviceObject: dn('100') }, requestedMonitorFilter: { callControl: ['serviceInitiated', 'originated'] } })) as any;
    expect(res.result.actualmonitorFilter).toMatchObject({ callControl: ['originated', 'serviceInitiated'] });
    sim!.placeCall('100', '101');
    await until(() => c.received.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.takeEvents().map((e) => e.name)).toEqual(['delivered']);
  });

  it('sends SystemStatus keep-alives at the configured interval', async () => {
    await start({ keepAliveMs: 40 });
    const c = await loggedIn();
    const ping = await c.next((a) => a.kind === 'invoke' && a.operation === 'systemStatus', 1000);
    expect(ping).toMatchObject({ argument: { systemStatus: 'normal' } });
  });

  it('lists all of 50,000 devices in segments', async () => {
    await start({ devices: { extensions: '10000-59999' }, segmentSize: 500 });
    const c = await loggedIn();
    await c.invoke('getSwitchingFunctionDevices', {});
    let count = 0;
    let last = '';
    for (;;) {
      const seg = (await c.next((a) => a.kind === 'invoke' && a.operation === 'switchingFunctionDevices', 10_000)) as any;
      count += seg.argument.deviceList.length;
      last = seg.argument.deviceList.at(-1)?.deviceID.deviceIdentifier.dialingNumber ?? last;
      if (seg.argument.lastSegment) break;
    }
    expect(count).toBe(50_000);
    expect(last).toBe('59999');
  }, 60_000);

  it('answers MakeCall with the calling connection before the call events', async () => {
    await start();
    const c = await loggedIn();
    await c.invoke('monitorStart', { monitorObject: { deviceObject: dn('100') } });
    const res = (await c.invoke('makeCall', { callingDevice: dn('100'), calledDirectoryNumber: dn('103') })) as any;
    expect(res.result.callingDevice).toEqual({ both: { callID: '0001', deviceID: { staticID: dn('100') } } });
    await until(() => c.received.length >= 3);
    expect(c.takeEvents().map((e) => e.name)).toEqual(['serviceInitiated', 'originated', 'delivered']);
  });

  it('drives hold, retrieve, consultation, transfer and clear from the client', async () => {
    await start();
    const c = await loggedIn();
    const conn = (callID: string, d: string) => ({ both: { callID, deviceID: { staticID: dn(d) } } });
    await c.invoke('makeCall', { callingDevice: dn('100'), calledDirectoryNumber: dn('101') });
    expect(await c.invoke('answerCall', { callToBeAnswered: conn('0001', '101') })).toMatchObject({ kind: 'returnResult' });
    const consult = (await c.invoke('consultationCall', { existingCall: conn('0001', '100'), consultedDevice: dn('102') })) as any;
    expect(consult.result.initiatedCall).toEqual(conn('0002', '100'));
    await c.invoke('answerCall', { callToBeAnswered: conn('0002', '102') });
    expect(await c.invoke('transferCall', { heldCall: conn('0001', '100'), activeCall: conn('0002', '100') })).toMatchObject({ kind: 'returnResult', operation: 'transferCall' });
    expect(sim!.calls()).toEqual([expect.objectContaining({ callID: '1', connections: [{ device: '101', state: 'connected' }, { device: '102', state: 'connected' }] })]);
    expect(await c.invoke('clearConnection', { connectionToBeCleared: conn('0001', '102') })).toMatchObject({ kind: 'returnResult' });
    expect(sim!.calls()).toEqual([]);
  });

  it('lets a client pick up a call ringing at another extension with DirectedPickupCall', async () => {
    await start();
    const c = await loggedIn();
    const conn = (callID: string, d: string) => ({ both: { callID, deviceID: { staticID: dn(d) } } });
    const ref101 = await monitor(c, '101');
    const ref102 = await monitor(c, '102');
    const callID = sim!.placeCall('100', '101');
    await until(() => c.received.length >= 1);
    const res = (await c.invoke('directedPickupCall', { callToBePickedUp: conn('0001', '101'), requestingDevice: dn('102') })) as any;
    expect(res).toMatchObject({ kind: 'returnResult', operation: 'directedPickupCall', result: { pickedCall: conn('0001', '102') } });
    await until(() => c.received.length >= 3);
    const events = c.takeEvents();
    expect(events.map((e) => [e.crossRef, e.name])).toEqual([
      [ref101, 'delivered'],
      [ref101, 'diverted'],
      [ref102, 'established'],
    ]);
    expect(events[1].event).toMatchObject({ cause: 'callPickup', newDestination: { deviceIdentifier: dn('102') } });
    expect(events[2].event).toMatchObject({ cause: 'callPickup', answeringDevice: { deviceIdentifier: dn('102') }, localConnectionInfo: 'connected' });
    expect(sim!.calls()).toEqual([expect.objectContaining({ callID, connections: [{ device: '100', state: 'connected' }, { device: '102', state: 'connected' }] })]);
    // a call that no longer rings cannot be picked up
    expect(await c.invoke('directedPickupCall', { callToBePickedUp: conn('0001', '102'), requestingDevice: dn('103') })).toMatchObject({ error: { stateIncompatibility: 'invalidObjectState' } });
  });

  it('forwards a call nobody answers after the ring time, and picks up through the control API', async () => {
    await start({ noAnswerMs: 60 });
    const c = await loggedIn();
    const ref = await monitor(c, '101');
    await c.invoke('setForwarding', { device: dn('101'), forwardingType: 'forwardNoAns', activateForward: true, forwardDN: dn('103') });
    const callID = sim!.placeCall('100', '101');
    await until(() => c.received.length >= 3);
    const events = c.takeEvents();
    expect(events.map((e) => `${e.crossRef === ref}:${e.name}`)).toEqual(['true:forwarding', 'true:delivered', 'true:diverted']);
    expect(events[2].event).toMatchObject({ cause: 'callForwardNoAnswer', newDestination: { deviceIdentifier: dn('103') } });
    expect(sim!.calls()).toEqual([expect.objectContaining({ callID, connections: [{ device: '100', state: 'connected' }, { device: '103', state: 'alerting' }] })]);
    const post = await fetch(`${sim!.controlUrl}/calls/${callID}/pickup`, { method: 'POST', body: JSON.stringify({ device: '103', by: '104' }) });
    expect(((await post.json()) as any).events.map((e: { name: string }) => e.name)).toEqual(['diverted', 'established']);
    // answered in time: the call stays
    const second = sim!.placeCall('102', '101');
    sim!.answerCall(second, '101');
    await new Promise((r) => setTimeout(r, 150));
    expect(sim!.calls().find((x) => x.callID === second)?.connections).toEqual([{ device: '102', state: 'connected' }, { device: '101', state: 'connected' }]);
  });

  it('answers operations on unknown devices and calls with universalFailure', async () => {
    await start();
    const c = await loggedIn();
    expect(await c.invoke('monitorStart', { monitorObject: { deviceObject: dn('999') } })).toMatchObject({ kind: 'returnError', errcode: 1, error: { operation: 'invalidDeviceID' } });
    expect(await c.invoke('holdCall', { callToBeHeld: { both: { callID: '0042', deviceID: { staticID: dn('100') } } } })).toMatchObject({ error: { operation: 'invalidConnectionID' } });
    expect(await c.invoke('monitorStop', { crossRefIdentifier: 'deadbeef' })).toMatchObject({ error: { operation: 'invalidCrossRefID' } });
  });

  it('rejects an operation it does not know without dropping the link', async () => {
    await start();
    const c = await loggedIn();
    c.send({ kind: 'invoke', invokeId: 77, opcode: 999, argument: '0500' });
    expect(await c.next((a) => a.kind === 'reject')).toEqual({ kind: 'reject', invokeId: 77, problem: { invoke: 'unrecognizedOperation' } });
    expect(await c.invoke('systemStatus', { systemStatus: 'normal' })).toMatchObject({ kind: 'returnResult' });
  });

  it('switches do-not-disturb and forwarding and reports both to the device monitor', async () => {
    await start();
    const c = await loggedIn();
    await c.invoke('monitorStart', { monitorObject: { deviceObject: dn('102') } });
    await c.invoke('setDoNotDisturb', { device: dn('102'), doNotDisturbOn: true });
    expect(await c.invoke('getDoNotDisturb', { device: dn('102') })).toMatchObject({ result: { doNotDisturbOn: true } });
    await c.invoke('setForwarding', { device: dn('102'), forwardingType: 'forwardImmediate', activateForward: true, forwardDN: dn('103') });
    expect(await c.invoke('getForwarding', { device: dn('102') })).toMatchObject({ result: { forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: dn('103') }] } });
    expect(c.takeEvents().map((e) => e.name)).toEqual(['doNotDisturb', 'forwarding']);
  });

  it('reports a device going out of service and back, switched through the control API', async () => {
    await start();
    const c = await loggedIn();
    await c.invoke('monitorStart', { monitorObject: { deviceObject: dn('104') } });
    const post = (inService: boolean) => fetch(`${sim!.controlUrl}/devices/104/service`, { method: 'POST', body: JSON.stringify({ inService }) });
    expect(await (await post(false)).json()).toEqual({ device: '104', inService: false });
    await post(true);
    await until(() => c.received.length >= 2);
    expect(c.takeEvents().map((e) => [e.name, e.event.device])).toEqual([
      ['outOfService', { deviceIdentifier: dn('104') }],
      ['backInService', { deviceIdentifier: dn('104') }],
    ]);
  });

  it('sends CDR reports for finished calls while CDR transmission is started, for one registration only', async () => {
    await start();
    const c = await loggedIn();
    const started = (await c.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })) as any;
    expect(await c.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).toMatchObject({ error: { operation: 'generic' } });
    const id = sim!.placeCall('100', '101');
    sim!.answerCall(id);
    sim!.clearCall(id);
    const report = (await c.next((a) => a.kind === 'invoke' && a.operation === 'cDRReport')) as any;
    expect(report.argument).toMatchObject({ cdrCrossRefID: started.result.cdrCrossRefID, numberOfRecordsSent: 1 });
    expect(report.argument.cdrInfo[0]).toMatchObject({ callingDevice: { deviceIdentifier: dn('100') }, calledDevice: { deviceIdentifier: dn('101') }, reasonForTerm: 'normalClearing' });
  });

  it('reports digits keyed at a device under data collection', async () => {
    await start();
    const c = await loggedIn();
    const started = (await c.invoke('startDataCollection', { object: { device: dn('100') } })) as any;
    await fetch(`${sim!.controlUrl}/devices/100/digits`, { method: 'POST', body: JSON.stringify({ digits: '4711#' }) });
    const dc = (await c.next((a) => a.kind === 'invoke' && a.operation === 'dataCollected')) as any;
    expect(dc.argument).toMatchObject({ dcollCrossRefID: started.result.dcollCrossRefID, digitsData: { digitsDetected: '4711#' } });
  });

  it('answers SnapshotDevice with the device calls and their states', async () => {
    await start();
    const c = await loggedIn();
    sim!.placeCall('100', '101');
    const snap = (await c.invoke('snapshotDevice', { snapshotObject: dn('101') })) as any;
    expect(snap.result.crossRefIDorSnapshotData.snapshotData).toEqual([
      { connectionIdentifier: { both: { callID: '0001', deviceID: { staticID: dn('101') } } }, localCallState: { compoundCallState: ['alerting'] } },
    ]);
  });
});

describe('Panasonic simulator faults', () => {
  it('stops answering but keeps the link when told, and answers again afterwards', async () => {
    await start();
    const c = await loggedIn();
    sim!.setFault({ stopAnswering: true });
    await expect(c.invoke('systemStatus', { systemStatus: 'normal' }, 300)).rejects.toThrow(/nothing matching/);
    expect(c.closed).toBe(false);
    sim!.setFault({ stopAnswering: false });
    expect(await c.invoke('systemStatus', { systemStatus: 'normal' })).toMatchObject({ kind: 'returnResult' });
  });

  it('answers slowly when told, in order', async () => {
    await start({ faults: { answerDelayMs: 150 } });
    const c = await loggedIn();
    const t0 = Date.now();
    const [a, b] = await Promise.all([c.invoke('systemStatus', { systemStatus: 'normal' }), c.invoke('getDoNotDisturb', { device: dn('100') })]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect([a.kind, b.kind]).toEqual(['returnResult', 'returnResult']);
  });

  it('drops the link on request and frees the association', async () => {
    await start();
    const c = await loggedIn();
    await fetch(`${sim!.controlUrl}/faults/drop-link`, { method: 'POST' });
    await c.closedPromise;
    await until(() => sim!.counters().associations.active === 0);
  });

  it('sends a malformed frame on request', async () => {
    await start();
    const c = await loggedIn();
    const raw: Buffer[] = [];
    c.socket.removeAllListeners('data');
    c.socket.on('data', (d: Buffer) => raw.push(d));
    sim!.setFault({ malformedFrame: true });
    await until(() => hex(Buffer.concat(raw)).includes('0006a184ffffffff'));
  });

  it('closes only the connection that sent a bad frame, with an abort, and keeps serving', async () => {
    await start();
    const bad = await loggedIn();
    bad.sendRaw(Uint8Array.of(0x00, 0x03, 0x30, 0x05, 0x01));
    await bad.closedPromise;
    expect(sim!.counters().badFrames).toBe(1);
    const good = await loggedIn();
    expect(await good.invoke('systemStatus', { systemStatus: 'normal' })).toMatchObject({ kind: 'returnResult' });
  });

  it('releases the association on RLRQ with RLRE', async () => {
    await start();
    const c = await loggedIn();
    c.send({ kind: 'rlrq' });
    expect(await c.next((a) => a.kind === 'rlre')).toMatchObject({ kind: 'rlre' });
    await until(() => sim!.counters().associations.active === 0);
  });
});
