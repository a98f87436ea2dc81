// CSTA-status-reporting / monitor-start (71) / monitor-stop (73): monitoring with cross-reference IDs and filters.
import { APPLICATION } from './ber';
import { bitString, boolean, choice, dflt, enumerated, implicit, octetString, opt, req, sequence, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { DeviceID } from './device-identifiers';
import { CSTACommonArguments, NoDataResult } from './extension-types';

/** MonitorCrossRefID ::= [APPLICATION 21] IMPLICIT OCTET STRING (wire tag 0x55), hex here. */
export const MonitorCrossRefID = implicit(21, octetString, APPLICATION);

export const CSTAObject = choice('CSTAObject', { deviceObject: DeviceID, callObject: ConnectionID });
export type CSTAObject = ValueOf<typeof CSTAObject>;

export const callControlEventBits = {
  callCleared: 0, conferenced: 1, connectionCleared: 2, delivered: 3, diverted: 4, established: 5, failed: 6, held: 7,
  networkReached: 8, originated: 9, queued: 10, retrieved: 11, serviceInitiated: 12, transferred: 13, digitsDialed: 14,
  bridged: 15, networkCapabilitiesChanged: 16, offered: 17,
} as const;
export const CallControlEventsFilter = bitString(callControlEventBits as Record<keyof typeof callControlEventBits, number>);
export const CallAssociatedEventsFilter = bitString({ callInformation: 0, charging: 1, dTMFDigitsDetected: 2, telephonyTonesDetected: 3, serviceCompletionFailure: 4 });
export const MediaAttachmentEventsFilter = bitString({ mediaAttached: 0, mediaDetached: 1 });
export const PhysicalDeviceFeatureEventsFilter = bitString({
  buttonInformation: 0, buttonPress: 1, displayUpdated: 2, hookswitch: 3, lampMode: 4, messageWaiting: 5, microphoneGain: 6,
  microphoneMute: 7, ringerStatus: 8, speakerMute: 9, speakerVolume: 10,
});
export const LogicalDeviceFeatureEventsFilter = bitString({
  agentBusy: 0, agentLoggedOn: 1, agentLoggedOff: 2, agentNotReady: 3, agentReady: 4, agentWorkingAfterCall: 5, autoAnswer: 6,
  autoWorkMode: 7, callBack: 8, callBackMessage: 9, callerIDStatus: 10, doNotDisturb: 11, forwarding: 12, routeingMode: 13,
  presenceState: 14,
});
export const DeviceMaintenanceEventsFilter = bitString({ backInService: 0, outOfService: 1, deviceCapabilityChanged: 2, partiallyInService: 3 });
export const VoiceUnitEventsFilter = bitString({
  stop: 0, play: 1, suspendPlay: 2, record: 3, suspendRecord: 4, review: 5, voiceAttributesChange: 6, bookmarkReached: 7,
  completed: 8, dtmfDetected: 9, emptied: 10, interruptionDetected: 11, notRecognized: 12, recognized: 13, started: 14,
  silenceTimeoutExpired: 15, speechDetected: 16, voiceErrorOccured: 17,
});
export const VendorSpecEventsFilter = bitString({ privateEvent: 0 });

// The *Filter BIT STRINGs are ECMA-285's CallControlEvents etc. of the application-context module, renamed
// here so they do not clash with the event CHOICEs of the same names.
/** A set bit filters that event OUT; an absent member means "report all". */
export const MonitorFilter = sequence('MonitorFilter', {
  callControl: dflt(implicit(0, CallControlEventsFilter), []),
  callAssociated: dflt(implicit(6, CallAssociatedEventsFilter), []),
  mediaAttachment: dflt(implicit(7, MediaAttachmentEventsFilter), []),
  physicalDeviceFeature: dflt(implicit(8, PhysicalDeviceFeatureEventsFilter), []),
  logicalDeviceFeature: dflt(implicit(9, LogicalDeviceFeatureEventsFilter), []),
  maintenance: dflt(implicit(3, DeviceMaintenanceEventsFilter), []),
  voiceUnit: dflt(implicit(5, VoiceUnitEventsFilter), []),
  private: dflt(implicit(4, VendorSpecEventsFilter), []),
});
export type MonitorFilter = ValueOf<typeof MonitorFilter>;

export const MonitorType = enumerated({ call: 0, device: 1 });
export const MonitorMediaClass = bitString({
  voice: 0, data: 1, image: 2, other: 3, audio: 4, notKnown: 5, chat: 6, email: 7, message: 8, im: 9, sms: 10, mms: 11,
});

export const MonitorStartArgument = sequence('MonitorStartArgument', {
  monitorObject: req(CSTAObject),
  requestedMonitorFilter: opt(implicit(0, MonitorFilter)),
  monitorType: opt(MonitorType),
  requestedMonitorMediaClass: opt(implicit(1, MonitorMediaClass)),
  extensions: opt(CSTACommonArguments),
});
export type MonitorStartArgument = ValueOf<typeof MonitorStartArgument>;

export const MonitorStartResult = sequence('MonitorStartResult', {
  crossRefIdentifier: req(MonitorCrossRefID),
  actualmonitorFilter: opt(implicit(0, MonitorFilter)),
  actualMonitorMediaClass: opt(implicit(1, MonitorMediaClass)),
  monitorExistingCalls: opt(boolean),
  extensions: opt(CSTACommonArguments),
});
export type MonitorStartResult = ValueOf<typeof MonitorStartResult>;

export const MonitorStopArgument = sequence('MonitorStopArgument', {
  crossRefIdentifier: req(MonitorCrossRefID),
  extensions: opt(CSTACommonArguments),
});
export type MonitorStopArgument = ValueOf<typeof MonitorStopArgument>;
export const MonitorStopResult = NoDataResult;
