import { describe, expect, it } from 'vitest';
import { buildDevices } from './devices';
import { PanasonicPbx, PbxError, type AssociationLink, type Outbound } from './pbx';

function linked(noAnswerMs?: number) {
  const pbx = new PanasonicPbx(buildDevices({ extensions: '100-105' }), { noAnswerMs });
  const sent: Outbound[] = [];
  const link: AssociationLink = { send: (o) => sent.push(o), drop: () => {}, sendMalformed: () => {} };
  expect(pbx.associate(link)).toBe(true);
  return { pbx, sent, link };
}

describe('simulated Panasonic switch', () => {
  it('serves one association at a time and counts the refused one', () => {
    const { pbx, link } = linked();
    const other: AssociationLink = { send: () => {}, drop: () => {}, sendMalformed: () => {} };
    expect(pbx.associate(other)).toBe(false);
    expect(pbx.counters().associations).toEqual({ total: 1, active: 1, rejected: 1 });
    pbx.release(link);
    expect(pbx.associate(other)).toBe(true);
  });

  it('sends call events only to monitors of the devices in the call, with their own connection state', () => {
    const { pbx, sent } = linked();
    const ref100 = pbx.monitorStart('100');
    const ref101 = pbx.monitorStart('101');
    pbx.monitorStart('103');
    pbx.placeCall('100', '101');
    const seen = sent.map((o) => (o.kind === 'callEvent' ? `${o.crossRefID === ref100 ? 'A' : o.crossRefID === ref101 ? 'B' : '?'}:${o.event.name}:${o.localState}` : o.kind));
    expect(seen).toEqual(['A:serviceInitiated:initiated', 'A:originated:connected', 'A:delivered:connected', 'B:delivered:alerting']);
    expect(pbx.counters().monitorsByDevice).toEqual({ '100': 1, '101': 1, '103': 1 });
    expect(pbx.counters().eventsSent).toBe(4);
  });

  it('stops reporting after MonitorStop and refuses an unknown cross-reference ID', () => {
    const { pbx, sent } = linked();
    const ref = pbx.monitorStart('100');
    pbx.monitorStop(ref);
    pbx.placeCall('100', '101');
    expect(sent).toEqual([]);
    expect(() => pbx.monitorStop(ref)).toThrow(PbxError);
    expect(() => pbx.monitorStart('999')).toThrow(/999 is not an extension/);
  });

  it('reports finished calls while a CDR transmission is started, and allows only one', () => {
    const { pbx, sent } = linked();
    const first = pbx.placeCall('100', '101');
    pbx.clearCall(first.callID);
    const ref = pbx.startCdr();
    expect(() => pbx.startCdr()).toThrow(/already started/);
    const { callID } = pbx.placeCall('100', '102');
    pbx.answerCall(callID);
    pbx.clearCall(callID, '100');
    const cdr = sent.filter((o) => o.kind === 'cdr');
    expect(cdr).toHaveLength(1);
    expect(cdr[0]).toMatchObject({ crossRefID: ref, records: [{ callingDevice: '100', calledDevice: '102', answeredBy: '102' }] });
    expect(pbx.callRecords()).toHaveLength(2);
    pbx.stopCdr(ref);
    expect(() => pbx.stopCdr(ref)).toThrow(PbxError);
  });

  it('reports digits keyed at a device while data collection watches it', () => {
    const { pbx, sent } = linked();
    expect(pbx.digits('100', '12#')).toBe(false);
    const ref = pbx.startDataCollection('100');
    expect(pbx.digits('100', '12#')).toBe(true);
    expect(sent).toEqual([{ kind: 'dataCollected', crossRefID: ref, digits: '12#', device: '100' }]);
    pbx.stopDataCollection(ref);
    expect(pbx.digits('100', '3')).toBe(false);
  });

  it('forgets monitors and registrations when the association ends', () => {
    const { pbx, link } = linked();
    pbx.monitorStart('100');
    pbx.startCdr();
    pbx.release(link);
    expect(pbx.counters().monitorsByDevice).toEqual({});
    const again = linked();
    expect(() => again.pbx.startCdr()).not.toThrow();
  });

  it('reports do-not-disturb and forwarding changes to the device monitor', () => {
    const { pbx, sent } = linked();
    const ref = pbx.monitorStart('102');
    pbx.setDoNotDisturb('102', true);
    pbx.setForwarding('102', 'forwardImmediate', true, '103');
    expect(sent).toEqual([
      { kind: 'featureEvent', crossRefID: ref, event: { name: 'doNotDisturb', device: '102', on: true } },
      { kind: 'featureEvent', crossRefID: ref, event: { name: 'forwarding', device: '102', type: 'forwardImmediate', on: true, to: '103' } },
    ]);
  });

  it('starts a ring timer only for devices that forward on no answer, and close() stops the timers', async () => {
    const { pbx, sent } = linked(30);
    const ref = pbx.monitorStart('101');
    pbx.setForwarding('101', 'forwardNoAns', true, '102');
    pbx.placeCall('100', '101');
    pbx.placeCall('103', '104');
    await new Promise((r) => setTimeout(r, 120));
    expect(sent.filter((o) => o.kind === 'callEvent').map((o) => (o.kind === 'callEvent' ? `${o.event.name}:${o.event.cause}` : ''))).toEqual(['delivered:newCall', 'diverted:callForwardNoAnswer']);
    expect(pbx.calls.activeCalls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).join(' '))).toEqual(['100:connected 102:alerting', '103:connected 104:alerting']);
    const { callID } = pbx.placeCall('105', '101');
    pbx.close();
    await new Promise((r) => setTimeout(r, 90));
    expect(pbx.calls.call(callID)?.connections.map((x) => x.device)).toEqual(['105', '101']);
    expect(ref).toBeTruthy();
  });
});
