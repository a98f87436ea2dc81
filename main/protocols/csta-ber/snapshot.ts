// CSTA snapshot-device (74).
import { APPLICATION } from './ber';
import { choice, enumerated, implicit, implicitRaw, nullType, octetString, opt, req, sequence, sequenceOf, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { LocalConnectionState } from './connection-states';
import { DeviceID, SubjectDeviceID } from './device-identifiers';
import { CSTACommonArguments } from './extension-types';

export const SimpleCallState = enumerated({
  callNull: 0, callPending: 1, callOriginated: 3, callDelivered: 35, callDeliveredHeld: 36, callReceived: 50,
  callEstablished: 51, callEstablishedHeld: 52, callReceivedOnHold: 66, callEstablishedOnHold: 67, callQueued: 83,
  callQueuedHeld: 84, callFailed: 99, callFailedHeld: 100, callBlocked: 96,
});

export const CallState = choice('CallState', {
  compoundCallState: implicit(0, sequenceOf(LocalConnectionState)),
  simpleCallState: implicit(1, SimpleCallState),
  unknown: implicit(2, nullType),
});
export type CallState = ValueOf<typeof CallState>;

export const SnapshotDeviceResponseInfo = sequence('SnapshotDeviceResponseInfo', {
  connectionIdentifier: req(ConnectionID),
  // `[3] IMPLICIT SubjectDeviceID`: the [3] replaces SubjectDeviceID's own [APPLICATION 3] tag (X.680; asn1c
  // 0.9.28 encodes it so too, checked by the cross-check), leaving [3] { DeviceID | notKnown | restricted }.
  endpointDevice: opt(implicit(3, SubjectDeviceID)),
  localCallState: req(CallState),
  servicesPermitted: opt(implicitRaw(0, true)),
  mediaServiceInfoList: opt(implicitRaw(1, true)),
  mediaCallCharacteristics: opt(implicitRaw(2, true)),
  callLinkageData: opt(implicitRaw(4, true)),
});
export type SnapshotDeviceResponseInfo = ValueOf<typeof SnapshotDeviceResponseInfo>;

export const SnapshotDeviceData = implicit(22, sequenceOf(SnapshotDeviceResponseInfo), APPLICATION);

export const SnapshotDeviceArgument = sequence('SnapshotDeviceArgument', {
  snapshotObject: req(DeviceID),
  extensions: opt(CSTACommonArguments),
});
export type SnapshotDeviceArgument = ValueOf<typeof SnapshotDeviceArgument>;

export const SnapshotDeviceResult = sequence('SnapshotDeviceResult', {
  crossRefIDorSnapshotData: req(choice('crossRefIDorSnapshotData', { serviceCrossRefID: octetString, snapshotData: SnapshotDeviceData })),
  extensions: opt(CSTACommonArguments),
});
export type SnapshotDeviceResult = ValueOf<typeof SnapshotDeviceResult>;
