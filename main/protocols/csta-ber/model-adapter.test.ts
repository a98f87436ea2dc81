import { describe, expect, it } from 'vitest';
import { CSTA_SERVICES, CstaSessionError, connectionOf, type CallControlEvent, type CstaArgs, type DeviceRef } from '../csta/model';
import { decodeApdu, encodeInvoke } from './apdu';
import { argumentsToBer, BER_UNSUPPORTED_SERVICES, connectionFromBer, connectionToBer, deviceIdFromBer, deviceIdToBer, eventFromBer, partyFromBer, resultsFromBer, switchRequestFromBer } from './model-adapter';
import { sampleArguments, sampleEvents, sampleResults } from './testing/samples';
import type { OperationName, ResultOf } from './operations';
import type { BerServiceName } from './model-adapter';
import { CstaClient } from './connection';
import { BerCstaSession } from './session';

const BER_SERVICES = CSTA_SERVICES.filter((s): s is BerServiceName => !(BER_UNSUPPORTED_SERVICES as readonly string[]).includes(s));

const c1 = { callId: '0101', device: { id: '201' } };
const c2 = { callId: '0102', device: { id: '202' } };
const d = (id: string): DeviceRef => ({ id });

/** One model request per service, with its optional members where the service has any. */
const requests: { [S in BerServiceName]: CstaArgs<S> } = {
  monitorStart: { monitorObject: { device: { id: '5', format: 'deviceNumber' } }, requestedMonitorFilter: { callControl: ['queued'] }, monitorType: 'device' },
  monitorStop: { crossRefIdentifier: '0001' },
  snapshotDevice: { snapshotObject: d('201') },
  getSwitchingFunctionDevices: { requestedDeviceCategory: 'station' },
  makeCall: { callingDevice: d('201'), calledDirectoryNumber: d('004989123456'), autoOriginate: 'doNotPrompt', correlatorData: '1234', subjectOfCall: 'hello', privateData: [{ format: 'octets', value: 'cafe' }] },
  answerCall: { callToBeAnswered: { callId: '0a' } },
  clearConnection: { connectionToBeCleared: c1, reason: 'normalClearing' },
  holdCall: { callToBeHeld: c1, connectionReservation: true },
  retrieveCall: { callToBeRetrieved: c1 },
  alternateCall: { heldCall: c1, activeCall: c2 },
  consultationCall: { existingCall: c1, consultedDevice: { id: '202', name: 'Reception' }, consultOptions: 'transferOnly' },
  transferCall: { heldCall: c1, activeCall: c2 },
  conferenceCall: { heldCall: c1, activeCall: c2 },
  singleStepTransferCall: { activeCall: c1, transferredTo: d('205') },
  deflectCall: { callToBeDiverted: c1, newDestination: d('299') },
  directedPickupCall: { callToBePickedUp: c1, requestingDevice: d('203') },
  callBack: { callbackConnection: c1 },
  dialDigits: { diallingConnection: c1, diallingSequence: d('0301234') },
  callBackNonCallRelated: { originatingDevice: d('201'), targetDevice: d('202') },
  intrudeCall: { intrude: c1, participationType: 'active' },
  generateDigits: { connectionToSendDigits: c1, digitMode: 'dTMF', charactersToSend: '123#' },
  setForwarding: { device: d('201'), forwardingType: 'forwardImmediate', activateForward: true, forwardDN: d('0301234') },
  getForwarding: { device: d('201') },
  setDoNotDisturb: { device: d('201'), doNotDisturbOn: true },
  getDoNotDisturb: { device: d('201') },
  systemStatus: { systemStatus: 'normal' },
  escape: { privateData: { format: 'ber', value: 'a40ba009a407a105a0030a0105' } },
};

describe('model requests in BER', () => {
  it('gives, for every service, the same ECMA-285 argument as the stack samples written by hand', () => {
    for (const service of BER_SERVICES) {
      const ber = (argumentsToBer[service] as (a: unknown) => unknown)(requests[service]);
      // the argument encodes, and decodes back to itself
      const bytes = encodeInvoke(service, 1, ber as never);
      const back = decodeApdu(bytes);
      expect(back.kind === 'invoke' && back.argument, service).toEqual(ber);
    }
    expect(argumentsToBer.clearConnection(requests.clearConnection)).toEqual(sampleArguments.clearConnection[0]);
    expect(argumentsToBer.consultationCall(requests.consultationCall)).toEqual(sampleArguments.consultationCall[0]);
    expect(argumentsToBer.setForwarding(requests.setForwarding)).toEqual(sampleArguments.setForwarding[0]);
    expect(argumentsToBer.generateDigits(requests.generateDigits)).toEqual(sampleArguments.generateDigits[0]);
    expect(argumentsToBer.escape(requests.escape)).toEqual(sampleArguments.escape[0]);
    expect(argumentsToBer.monitorStart(requests.monitorStart)).toEqual({
      monitorObject: { deviceObject: { deviceIdentifier: { deviceNumber: 5 } } },
      requestedMonitorFilter: { callControl: ['queued'] },
      monitorType: 'device',
    });
    expect(argumentsToBer.makeCall(requests.makeCall).extensions).toEqual({ privateData: [{ string: 'cafe' }] });
  });

  it('turns every form of device identifier into DeviceID and back', () => {
    const forms: DeviceRef[] = [
      { id: '201' },
      { id: '201', name: 'Alice', privateNumber: '4989201' },
      { id: '17', format: 'deviceNumber' },
      { id: '4989123', format: 'implicitPublic' },
      { id: '201', format: 'implicitPrivate' },
      { id: '4989123', format: 'explicitPublic', typeOfNumber: 'international' },
      { id: '201', format: 'explicitPrivate', typeOfNumber: 'localNumber' },
      { id: 'c0ffee', format: 'other' },
    ];
    for (const f of forms) expect(deviceIdFromBer(deviceIdToBer(f))).toEqual(f);
    expect(deviceIdToBer({ id: '201', name: 'Alice' })).toEqual({ deviceIdentifier: { dialingNumber: '201' }, privateName: 'Alice' });
  });

  it('writes a connection in the form it names: call and device, the call alone, the device alone', () => {
    expect(connectionToBer(c1)).toEqual({ both: { callID: '0101', deviceID: { staticID: { deviceIdentifier: { dialingNumber: '201' } } } } });
    expect(connectionToBer({ callId: '07' })).toEqual({ callID: '07' });
    expect(connectionToBer({ dynamicDeviceId: '0a' })).toEqual({ deviceID: { dynamicID: '0a' } });
    for (const c of [c1, { callId: '07' }, { device: d('202') }, { callId: '07', dynamicDeviceId: '0a' }]) expect(connectionFromBer(connectionToBer(c))).toEqual(c);
  });

  it('refuses what BER cannot carry with CSTA_UNSUPPORTED, naming it', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => argumentsToBer.escape({ privateData: { format: 'xml', value: '<x/>' } }), 'XML'],
      [() => argumentsToBer.snapshotDevice({ snapshotObject: { id: '20a', format: 'deviceNumber' } }), '"20a"'],
      [() => argumentsToBer.answerCall({ callToBeAnswered: {} }), 'neither a call nor a device'],
    ];
    for (const [f, text] of cases) {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CstaSessionError);
      expect((error as CstaSessionError).code).toBe('CSTA_UNSUPPORTED');
      expect((error as CstaSessionError).message).toContain(text);
    }
  });
});

describe('BER answers in the model', () => {
  it('reads every sample result of the modelled services', () => {
    for (const service of BER_SERVICES) {
      for (const r of sampleResults[service as OperationName] ?? []) {
        expect(() => (resultsFromBer[service] as (x: ResultOf<OperationName>) => unknown)(r as never), service).not.toThrow();
      }
    }
    expect(resultsFromBer.makeCall(sampleResults.makeCall![0])).toEqual({ callingDevice: c1 });
    expect(resultsFromBer.monitorStart(sampleResults.monitorStart![1])).toEqual({ crossRefIdentifier: '00000017', actualMonitorFilter: { callControl: ['queued'] }, monitorExistingCalls: false });
    expect(resultsFromBer.answerCall(sampleResults.answerCall![1])).toEqual({ privateData: [{ format: 'octets', value: 'cafe' }, { format: 'ber', value: 'a40ba009a407a105a0030a0105' }] });
    expect(resultsFromBer.snapshotDevice(sampleResults.snapshotDevice![0])).toEqual({ calls: [], serviceCrossRefID: '09' });
    expect(resultsFromBer.snapshotDevice(sampleResults.snapshotDevice![1])).toEqual({
      calls: [
        { connectionIdentifier: c1, localCallState: { compound: ['connected'] } },
        { connectionIdentifier: { callId: '0102', device: { id: '202', name: 'Reception' } }, endpointDevice: { id: '202', name: 'Reception' }, localCallState: { simple: 'callDelivered' } },
      ],
    });
    expect(resultsFromBer.transferCall(sampleResults.transferCall![0]).connections).toEqual([
      { newConnection: { callId: '0102', device: { id: '202', name: 'Reception' } }, oldConnection: c1, endpoint: { id: '202', name: 'Reception' } },
    ]);
    expect(resultsFromBer.getForwarding(sampleResults.getForwarding![0])).toEqual({ forwardingList: [{ forwardingType: 'forwardBusy', forwardStatus: true, forwardDN: { id: '0301234' } }] });
  });

  it('reads every modelled event, with its category, its monitor, text IDs and the connection it is about', () => {
    const events = sampleEvents.map(eventFromBer);
    expect(events.map((e) => `${e.category}.${e.name}`)).toEqual([
      'callControl.delivered', 'callControl.established', 'callControl.connectionCleared', 'callControl.originated',
      'callControl.serviceInitiated', 'callControl.held', 'callControl.retrieved', 'callControl.transferred',
      'callControl.conferenced', 'callControl.diverted', 'callControl.failed', 'callControl.networkReached',
      'logicalDeviceFeature.doNotDisturb', 'logicalDeviceFeature.forwarding', 'deviceMaintenance.backInService',
      'deviceMaintenance.outOfService',
    ]);
    expect(events[0]).toEqual({
      category: 'callControl',
      name: 'delivered',
      monitorCrossRefId: '0001',
      connection: { callId: '0102', device: { id: '202', name: 'Reception' } },
      alertingDevice: { id: '202', name: 'Reception' },
      callingDevice: { id: '201' },
      calledDevice: { id: '202', name: 'Reception' },
      lastRedirectionDevice: { unavailable: 'notKnown' },
      localConnectionInfo: 'alerting',
      cause: 'newCall',
    });
    for (const e of events.slice(0, 12)) expect(connectionOf(e as CallControlEvent).callId, e.name).toMatch(/^010[12]$/);
    expect(events.find((e) => e.name === 'diverted')).toMatchObject({ lastRedirectionDevice: { id: '201' } });
    expect(events.find((e) => e.name === 'networkReached')).toMatchObject({ calledDevice: { unavailable: 'restricted' }, networkInterfaceUsed: { id: 'T01' } });
    expect(events.find((e) => e.name === 'transferred')).toMatchObject({ transferredConnections: [{ newConnection: { callId: '0102' }, endpoint: { id: '202' } }] });
    expect(events.find((e) => e.name === 'forwarding')).toEqual({
      category: 'logicalDeviceFeature', name: 'forwarding', monitorCrossRefId: '0004', device: { id: '201' }, forwardingType: 'forwardImmediate', forwardStatus: true, forwardTo: { id: '0301234' },
    });
    expect(events.at(-1)).toEqual({ category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: '0004', device: { id: '201' }, cause: 'maintenance' });
  });

  it('keeps an event it does not model as "other", and an enumeration number it cannot name as its digits', () => {
    expect(eventFromBer({ crossRefIdentifier: '09', eventSpecificInfo: { callAssociatedEvents: 'a000' } })).toEqual({ category: 'callAssociated', name: 'other', monitorCrossRefId: '09' });
    expect(eventFromBer({ crossRefIdentifier: '09', eventSpecificInfo: { callControlEvents: { other: 'b500' } } })).toEqual({ category: 'callControl', name: 'other', monitorCrossRefId: '09' });
    const odd = eventFromBer({
      crossRefIdentifier: '09',
      eventSpecificInfo: { callControlEvents: { held: { heldConnection: { callID: '01' }, holdingDevice: { notKnown: null }, localConnectionInfo: 9, cause: 250 } } },
    });
    expect(odd).toEqual({ category: 'callControl', name: 'held', monitorCrossRefId: '09', heldConnection: { callId: '01' }, holdingDevice: { unavailable: 'notKnown' }, localConnectionInfo: '9', cause: '250' });
  });

  it('reads device-list segments and escapes the switch invokes, and nothing else', () => {
    const segment = switchRequestFromBer('switchingFunctionDevices', sampleArguments.switchingFunctionDevices[0]);
    expect(segment).toEqual({
      service: 'switchingFunctionDevices',
      args: {
        serviceCrossRefID: '07',
        segmentID: 1,
        lastSegment: true,
        deviceList: [
          { deviceID: { id: '201', name: 'Alice' } },
          { deviceID: { id: '202' }, deviceCategory: 'networkInterface', namedDeviceTypes: 'trunk', deviceModelName: 'KX-UT136' },
        ],
      },
    });
    expect(switchRequestFromBer('escape', { privateData: { private: 'a400' } })).toEqual({ service: 'escape', args: { privateData: { format: 'ber', value: 'a400' } } });
    expect(switchRequestFromBer('cDRReport', sampleArguments.cDRReport[0])).toBeUndefined();
    expect(partyFromBer({ notSpecified: null })).toEqual({ unavailable: 'notSpecified' });
  });
});

describe('model services BER has no operation for', () => {
  it('refuses them as CSTA_UNSUPPORTED before sending anything', async () => {
    const session = new BerCstaSession(new CstaClient({ host: '127.0.0.1', port: 9 }));
    for (const service of BER_UNSUPPORTED_SERVICES) {
      await expect(session.invoke(service, {} as never), service).rejects.toMatchObject({ code: 'CSTA_UNSUPPORTED', details: { service } });
    }
  });
});
