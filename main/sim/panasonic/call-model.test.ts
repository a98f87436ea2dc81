import { describe, expect, it } from 'vitest';
import { CallModel, CallModelError, type CallEvent } from './call-model';
import { buildDevices } from './devices';

function model() {
  let t = 1_700_000_000_000;
  const devices = buildDevices({ extensions: '100-105', dect: '500', twins: '104:500' });
  return { m: new CallModel(devices, { now: () => (t += 1000) }), advance: (ms: number) => (t += ms) };
}

/** 100 talks to 101, holds that call and consults 102, who answered. */
function consultation() {
  const { m } = model();
  const a = m.makeCall('101', '100');
  m.answer(a.callID);
  m.hold(a.callID, '100');
  const b = m.makeCall('100', '102');
  m.answer(b.callID);
  return { m, a, b };
}

const names = (evs: CallEvent[]) => evs.map((e) => e.name);
const seenBy = (evs: CallEvent[], device: string) => evs.filter((e) => device in e.localStates).map((e) => `${e.name}:${e.localStates[device]}`);

describe('simulated PBX call model', () => {
  it('reports make, deliver and answer between two extensions to both parties', () => {
    const { m } = model();
    const { callID, events } = m.makeCall('100', '101');
    expect(names(events)).toEqual(['serviceInitiated', 'originated', 'delivered']);
    expect(seenBy(events, '100')).toEqual(['serviceInitiated:initiated', 'originated:connected', 'delivered:connected']);
    expect(seenBy(events, '101')).toEqual(['delivered:alerting']);
    expect(events[2]).toMatchObject({ subjectDevice: '101', callingDevice: '100', calledDevice: '101', connection: { callID, deviceID: '101' }, cause: 'newCall' });
    const est = m.answer(callID, '101');
    expect(names(est)).toEqual(['established']);
    expect(est[0].localStates).toEqual({ '100': 'connected', '101': 'connected' });
  });

  it('holds and retrieves a call', () => {
    const { m } = model();
    const { callID } = m.makeCall('100', '101');
    m.answer(callID);
    expect(m.hold(callID, '100')[0]).toMatchObject({ name: 'held', subjectDevice: '100', localStates: { '100': 'hold', '101': 'connected' } });
    expect(() => m.hold(callID, '100')).toThrow(CallModelError);
    expect(m.retrieve(callID, '100')[0]).toMatchObject({ name: 'retrieved', localStates: { '100': 'connected' } });
  });

  it('clears both connections when one party of a two-party call hangs up and writes a call record', () => {
    const { m, advance } = model();
    const { callID } = m.makeCall('100', '101');
    m.answer(callID);
    advance(60_000);
    const evs = m.clear(callID, '101');
    expect(evs.map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['connectionCleared:101', 'connectionCleared:100']);
    expect(evs[0].localStates).toEqual({ '100': 'connected', '101': 'null' });
    expect(m.activeCalls()).toEqual([]);
    expect(m.records).toHaveLength(1);
    expect(m.records[0]).toMatchObject({ callingDevice: '100', calledDevice: '101', answeredBy: '101', durationSeconds: 61, condition: '' });
  });

  it('routes a dialled outside number over the trunk with NetworkReached', () => {
    const { m } = model();
    const { callID, events } = m.makeCall('100', '0301234567');
    expect(names(events)).toEqual(['serviceInitiated', 'originated', 'networkReached']);
    expect(events[2]).toMatchObject({ subjectDevice: 'T1', connection: { callID, deviceID: '100' }, calledDevice: '0301234567' });
    expect(names(m.answer(callID, '0301234567'))).toEqual(['established']);
    m.clear(callID, '0301234567');
    expect(m.records[0].external).toBe(true);
  });

  it('delivers an incoming outside call to the extension only', () => {
    const { m } = model();
    const { events } = m.makeCall('+4930999', '102', 'newCall');
    expect(names(events)).toEqual(['delivered']);
    expect(events[0]).toMatchObject({ callingDevice: '+4930999', localStates: { '102': 'alerting', '+4930999': 'connected' } });
  });

  it('fails a call to an unknown extension and to a device in do-not-disturb', () => {
    const { m } = model();
    expect(m.makeCall('100', '999').events.at(-1)).toMatchObject({ name: 'failed', cause: 'destNotObtainable', localStates: { '100': 'fail' } });
    expect(m.setDoNotDisturb('102', true)).toEqual([{ name: 'doNotDisturb', device: '102', on: true }]);
    expect(m.makeCall('101', '102').events.at(-1)).toMatchObject({ name: 'failed', cause: 'doNotDisturb', subjectDevice: '102' });
  });

  it('fails calls to a device out of service and refuses calls from it until it is back', () => {
    const { m } = model();
    expect(m.setInService('102', false)).toEqual([{ name: 'outOfService', device: '102' }]);
    expect(m.setInService('102', false)).toEqual([]);
    expect(m.makeCall('100', '102').events.at(-1)).toMatchObject({ name: 'failed', cause: 'destOutOfOrder' });
    expect(() => m.makeCall('102', '100')).toThrow(/out of service/);
    expect(m.setInService('102', true)).toEqual([{ name: 'backInService', device: '102' }]);
    expect(m.makeCall('102', '100').events.map((e) => e.name)).toContain('delivered');
  });

  it('diverts a call to the forwarding destination of an extension forwarded immediately', () => {
    const { m } = model();
    expect(m.setForwarding('101', 'forwardImmediate', true, '103')[0]).toMatchObject({ name: 'forwarding', on: true, to: '103' });
    const { events } = m.makeCall('100', '101');
    expect(names(events)).toEqual(['serviceInitiated', 'originated', 'diverted', 'delivered']);
    expect(events[2]).toMatchObject({ subjectDevice: '101', otherDevice: '103', cause: 'callForwardImmediate' });
    expect(events[3]).toMatchObject({ subjectDevice: '103', lastRedirectionDevice: '101', cause: 'redirected' });
    expect(m.forwardingOf('101')).toEqual([{ type: 'forwardImmediate', on: true, to: '103' }]);
  });

  it('forwards on busy only while the extension is in a call', () => {
    const { m } = model();
    m.setForwarding('101', 'forwardBusy', true, '103');
    expect(names(m.makeCall('100', '101').events)).toContain('delivered');
    const first = m.activeCalls()[0].callID;
    m.answer(first);
    expect(names(m.makeCall('102', '101').events)).toEqual(['serviceInitiated', 'originated', 'diverted', 'delivered']);
  });

  it('deflects a ringing call to another extension', () => {
    const { m } = model();
    const { callID } = m.makeCall('100', '101');
    const evs = m.divert(callID, '101', '102');
    expect(evs.map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['diverted:101', 'delivered:102']);
    expect(evs[0].localStates['101']).toBe('null');
    expect(m.call(callID)!.connections.map((c) => c.device).sort()).toEqual(['100', '102']);
  });

  it('moves a call on to the no-answer destination when the ring time runs out, and only then', () => {
    const { m } = model();
    m.setForwarding('101', 'forwardNoAns', true, '103');
    const { callID, events } = m.makeCall('100', '101');
    expect(names(events)).toEqual(['serviceInitiated', 'originated', 'delivered']);
    const evs = m.noAnswer(callID, '101');
    expect(evs.map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['diverted:101', 'delivered:103']);
    expect(evs[0]).toMatchObject({ cause: 'callForwardNoAnswer', otherDevice: '103', calledDevice: '101', localStates: { '101': 'null' } });
    expect(evs[1]).toMatchObject({ cause: 'redirected', lastRedirectionDevice: '101', calledDevice: '103' });
    // the timer of a call that has moved on, was answered, or whose forwarding was switched off does nothing
    expect(m.noAnswer(callID, '101')).toEqual([]);
    const second = m.makeCall('102', '101').callID;
    m.answer(second, '101');
    expect(m.noAnswer(second, '101')).toEqual([]);
    m.setForwarding('101', 'forwardNoAns', false);
    const third = m.makeCall('104', '101').callID;
    expect(m.noAnswer(third, '101')).toEqual([]);
    m.clear(callID);
    expect(m.records[0].condition).toBe('fw');
  });

  it('stops a Super-Twin pair ringing together when the call is forwarded on no answer or deflected', () => {
    const { m } = model();
    m.setForwarding('104', 'forwardNoAns', true, '103');
    const a = m.makeCall('100', '104').callID;
    expect(m.noAnswer(a, '104').map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['diverted:104', 'connectionCleared:500', 'delivered:103']);
    expect(m.call(a)!.connections.map((c) => c.device).sort()).toEqual(['100', '103']);
    const b = m.makeCall('101', '104').callID;
    expect(m.divert(b, '104', '102').map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['diverted:104', 'connectionCleared:500', 'delivered:102']);
  });

  it('lets another extension pick up a ringing call (directed pickup)', () => {
    const { m } = model();
    const { callID } = m.makeCall('100', '101');
    const evs = m.pickup(callID, '101', '102');
    expect(evs.map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['diverted:101', 'established:102']);
    expect(evs[0]).toMatchObject({ cause: 'callPickup', otherDevice: '102', localStates: { '101': 'null' } });
    expect(evs[1]).toMatchObject({ cause: 'callPickup', connection: { callID, deviceID: '102' }, lastRedirectionDevice: '101', localStates: { '100': 'connected', '102': 'connected' } });
    expect(() => m.pickup(callID, '102', '103')).toThrow(/not ringing at 102/);
    const other = m.makeCall('103', '101').callID;
    expect(() => m.pickup(other, '101', '103')).toThrow(/103 is already in call/);
    expect(() => m.pickup(other, '101', '999')).toThrow(/999 is not an extension/);
    m.setInService('105', false);
    expect(() => m.pickup(other, '101', '105')).toThrow(/out of service/);
    m.clear(callID);
    expect(m.records[0]).toMatchObject({ answeredBy: '102', condition: '' });
  });

  it('transfers a held call to the consulted party', () => {
    const { m, a, b } = consultation();
    const [ev] = m.transfer('100', a.callID, b.callID);
    expect(ev).toMatchObject({
      name: 'transferred',
      subjectDevice: '100',
      otherDevice: '102',
      connection: { callID: a.callID, deviceID: '100' },
      secondaryOldCall: { callID: b.callID, deviceID: '100' },
      localStates: { '100': 'null', '101': 'connected', '102': 'connected' },
    });
    expect(m.activeCalls()).toHaveLength(1);
    expect(m.call(a.callID)!.connections.map((c) => c.device).sort()).toEqual(['101', '102']);
  });

  it('conferences a held and an active call into one three-party call that survives one party leaving', () => {
    const { m, a, b } = consultation();
    const [ev] = m.conference('100', a.callID, b.callID);
    expect(ev).toMatchObject({ name: 'conferenced', otherDevice: '102', localStates: { '100': 'connected', '101': 'connected', '102': 'connected' } });
    expect(ev.connections).toHaveLength(3);
    expect(names(m.clear(a.callID, '102'))).toEqual(['connectionCleared']);
    expect(m.call(a.callID)!.connections).toHaveLength(2);
  });

  it('rings a Super-Twin desk phone and its DECT handset together; answering on one stops the other', () => {
    const { m } = model();
    const { callID, events } = m.makeCall('100', '104');
    expect(events.filter((e) => e.name === 'delivered').map((e) => e.subjectDevice)).toEqual(['104', '500']);
    const evs = m.answer(callID, '500');
    expect(evs.map((e) => `${e.name}:${e.subjectDevice}`)).toEqual(['connectionCleared:104', 'established:500']);
  });

  it('refuses operations on unknown calls and devices', () => {
    const { m } = model();
    expect(() => m.answer('42')).toThrow(/no call 42/);
    expect(() => m.setDoNotDisturb('999', true)).toThrow(/999 is not an extension/);
    expect(() => m.makeCall('+49301', '+49302')).toThrow(/neither/);
  });
  it('forwards per caller: a scoped forwarding applies to its callers only and wins over the one for all', () => {
    const { m } = model();
    m.setForwarding('101', 'forwardImmInt', true, '102');
    m.setForwarding('101', 'forwardImmediate', true, '103');
    const inside = m.makeCall('100', '101');
    expect(m.call(inside.callID)?.connections.map((c) => c.device)).toEqual(['100', '102']);
    const outside = m.makeCall('0301234', '101');
    expect(m.call(outside.callID)?.connections.map((c) => c.device)).toEqual(['0301234', '103']);
    expect(outside.events.find((e) => e.name === 'diverted')?.cause).toBe('callForwardImmediate');
    // Busy forwarding for external callers leaves an internal caller ringing at the busy extension.
    const { m: busy } = model();
    busy.setForwarding('103', 'forwardBusyExt', true, '105');
    const talk = busy.makeCall('100', '103');
    busy.answer(talk.callID, '103');
    expect(busy.call(busy.makeCall('101', '103').callID)?.connections.map((c) => c.device)).toEqual(['101', '103']);
    expect(busy.call(busy.makeCall('0301234', '103').callID)?.connections.map((c) => c.device)).toEqual(['0301234', '105']);
  });
});
