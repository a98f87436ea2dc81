// CSTA call control services (ECMA-285 modules make-call, answer-call, ... one section each, opcode beside the type).
import { UNIVERSAL } from './ber';
import { bitString, boolean, enumerated, explicit, ia5String, implicit, implicitRaw, integer, opt, req, sequence, sequenceOf, dflt, type FieldSpec, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { ConnectionList, type ConnectionList as ConnectionListValue } from './connection-states';
import { AccountInfo, AuthCode, CorrelatorData, UserData } from './device-feature-types';
import { DeviceID } from './device-identifiers';
import { EventCause } from './event-causes';
import { CSTACommonArguments } from './extension-types';
import { rawTagged } from './raw';

export const CallCharacteristics = bitString({
  acdCall: 0, priorityCall: 1, maintainanceCall: 2, directAgent: 3, assistCall: 4, voiceUnitCall: 5,
});
export const AutoOriginate = enumerated({ prompt: 0, doNotPrompt: 1 });
export const ConsultOptions = enumerated({ unrestricted: 0, consultOnly: 1, transferOnly: 2, conferenceOnly: 3 });
/** Structures from CSTA-media-services / call-control we relay untouched (content as hex). */
const rawSeq = (tag: number) => implicitRaw(tag, true);
const ConnectionInformationRaw = rawTagged(UNIVERSAL, true, 16);

// ---- makeCall (10)
export const MakeCallArgument = sequence('MakeCallArgument', {
  callingDevice: req(DeviceID),
  calledDirectoryNumber: req(DeviceID),
  accountCode: opt(implicit(0, AccountInfo)),
  authCode: opt(implicit(1, AuthCode)),
  autoOriginate: dflt(implicit(3, AutoOriginate), 'prompt'),
  correlatorData: opt(implicit(2, CorrelatorData)),
  userData: opt(UserData),
  callCharacteristics: opt(CallCharacteristics),
  mediaCallCharacteristics: opt(rawSeq(4)),
  callingConnectionInfo: opt(rawSeq(5)),
  subjectOfCall: opt(implicit(6, ia5String)),
  languagePreferences: opt(implicit(7, ia5String)),
  reason: opt(implicit(8, EventCause)),
  extensions: opt(CSTACommonArguments),
});
export type MakeCallArgument = ValueOf<typeof MakeCallArgument>;
export const MakeCallResult = sequence('MakeCallResult', {
  callingDevice: req(ConnectionID),
  mediaCallCharacteristics: opt(rawSeq(0)),
  initiatedCallInfo: opt(rawSeq(1)),
  callLinkageData: opt(rawSeq(2)),
  extensions: opt(CSTACommonArguments),
});
export type MakeCallResult = ValueOf<typeof MakeCallResult>;

// ---- answerCall (2)
export const AnswerCallArgument = sequence('AnswerCallArgument', {
  callToBeAnswered: req(ConnectionID),
  correlatorData: opt(CorrelatorData),
  userData: opt(UserData),
  extensions: opt(CSTACommonArguments),
});
export type AnswerCallArgument = ValueOf<typeof AnswerCallArgument>;

// ---- clearConnection (5)
export const ClearConnectionArgument = sequence('ClearConnectionArgument', {
  connectionToBeCleared: req(ConnectionID),
  correlatorData: opt(CorrelatorData),
  userData: opt(UserData),
  reason: opt(EventCause),
  extensions: opt(CSTACommonArguments),
});
export type ClearConnectionArgument = ValueOf<typeof ClearConnectionArgument>;

// ---- holdCall (9) / retrieveCall (14)
export const HoldCallArgument = sequence('HoldCallArgument', {
  callToBeHeld: req(ConnectionID),
  connectionReservation: opt(boolean),
  extensions: opt(CSTACommonArguments),
});
export type HoldCallArgument = ValueOf<typeof HoldCallArgument>;
export const RetrieveCallArgument = sequence('RetrieveCallArgument', {
  callToBeRetrieved: req(ConnectionID),
  extensions: opt(CSTACommonArguments),
});
export type RetrieveCallArgument = ValueOf<typeof RetrieveCallArgument>;

// ---- alternateCall (1)
export const AlternateCallArgument = sequence('AlternateCallArgument', {
  heldCall: req(ConnectionID),
  activeCall: req(ConnectionID),
  connectionReservation: opt(boolean),
  consultOptions: dflt(ConsultOptions, 'unrestricted'),
  extensions: opt(CSTACommonArguments),
});
export type AlternateCallArgument = ValueOf<typeof AlternateCallArgument>;

// ---- consultationCall (7)
export const ConsultationCallArgument = sequence('ConsultationCallArgument', {
  existingCall: req(implicit(0, ConnectionID)),
  consultedDevice: req(explicit(1, DeviceID)),
  connectionReservation: opt(implicit(2, boolean)),
  accountCode: opt(implicit(3, AccountInfo)),
  authCode: opt(implicit(4, AuthCode)),
  correlatorData: opt(implicit(5, CorrelatorData)),
  userData: opt(implicit(6, UserData)),
  callCharacteristics: opt(implicit(7, CallCharacteristics)),
  mediaCallCharacteristics: opt(rawSeq(8)),
  callingConnectionInfo: opt(rawSeq(9)),
  consultOptions: dflt(implicit(10, ConsultOptions), 'unrestricted'),
  subjectOfCall: opt(implicit(11, ia5String)),
  languagePreferences: opt(implicit(12, ia5String)),
  extensions: opt(CSTACommonArguments),
});
export type ConsultationCallArgument = ValueOf<typeof ConsultationCallArgument>;
export const ConsultationCallResult = sequence('ConsultationCallResult', {
  initiatedCall: req(ConnectionID),
  mediaCallCharacteristics: opt(rawSeq(0)),
  initiatedCallInfo: opt(rawSeq(1)),
  callLinkageData: opt(rawSeq(2)),
  extensions: opt(CSTACommonArguments),
});
export type ConsultationCallResult = ValueOf<typeof ConsultationCallResult>;

// ---- transferCall (16) / conferenceCall (6): same argument shape; their results and SingleStepTransfer's
// share one shape too (the call that results, its connections, info and linkage data).
function heldAndActive(name: string) {
  return sequence(name, { heldCall: req(ConnectionID), activeCall: req(ConnectionID), extensions: opt(CSTACommonArguments) });
}
function resultingCall<K extends string, I extends string>(name: string, call: K, info: I) {
  return sequence(name, {
    [call]: req(ConnectionID),
    connections: opt(implicit(0, ConnectionList)),
    [info]: opt(rawSeq(1)),
    callLinkageDataList: opt(rawSeq(2)),
    extensions: opt(CSTACommonArguments),
  } as { [P in K]: FieldSpec<ConnectionID> & { optional: false } } & { [P in I]: FieldSpec<string> & { optional: true } } & {
    connections: FieldSpec<ConnectionListValue> & { optional: true };
    callLinkageDataList: FieldSpec<string> & { optional: true };
    extensions: FieldSpec<ValueOf<typeof CSTACommonArguments>> & { optional: true };
  });
}
export const TransferCallArgument = heldAndActive('TransferCallArgument');
export type TransferCallArgument = ValueOf<typeof TransferCallArgument>;
export const TransferCallResult = resultingCall('TransferCallResult', 'transferredCall', 'transferredCallInfo');
export type TransferCallResult = ValueOf<typeof TransferCallResult>;
export const ConferenceCallArgument = heldAndActive('ConferenceCallArgument');
export type ConferenceCallArgument = ValueOf<typeof ConferenceCallArgument>;
export const ConferenceCallResult = resultingCall('ConferenceCallResult', 'conferenceCall', 'conferenceCallInfo');
export type ConferenceCallResult = ValueOf<typeof ConferenceCallResult>;

// ---- singleStepTransferCall (50)
export const SingleStepTransArgument = sequence('SingleStepTransArgument', {
  activeCall: req(ConnectionID),
  transferredTo: req(DeviceID),
  accountCode: opt(implicit(0, AccountInfo)),
  authCode: opt(implicit(1, AuthCode)),
  correlatorData: opt(implicit(2, CorrelatorData)),
  userData: opt(UserData),
  callCharacteristics: opt(implicit(3, CallCharacteristics)),
  subjectOfCall: opt(implicit(4, ia5String)),
  languagePreferences: opt(implicit(5, ia5String)),
  reason: opt(implicit(6, EventCause)),
  extensions: opt(CSTACommonArguments),
});
export type SingleStepTransArgument = ValueOf<typeof SingleStepTransArgument>;
export const SingleStepTransResult = resultingCall('SingleStepTransResult', 'transferredCall', 'transferredCallInfo');
export type SingleStepTransResult = ValueOf<typeof SingleStepTransResult>;

// ---- deflectCall (218)
export const DeflectCallArgument = sequence('DeflectCallArgument', {
  callToBeDiverted: req(ConnectionID),
  newDestination: req(DeviceID),
  addNewDestinationsList: opt(sequenceOf(DeviceID)),
  correlatorData: opt(CorrelatorData),
  userData: opt(UserData),
  callCharacteristics: opt(implicit(0, CallCharacteristics)),
  subjectOfCall: opt(implicit(1, ia5String)),
  languagePreferences: opt(implicit(2, ia5String)),
  reason: opt(implicit(3, EventCause)),
  extensions: opt(CSTACommonArguments),
});
export type DeflectCallArgument = ValueOf<typeof DeflectCallArgument>;

// ---- directedPickupCall (220)
export const DirectedPickupCallArgument = sequence('DirectedPickupCallArgument', {
  callToBePickedUp: req(ConnectionID),
  requestingDevice: req(DeviceID),
  correlatorData: opt(CorrelatorData),
  userData: opt(UserData),
  extensions: opt(CSTACommonArguments),
});
export type DirectedPickupCallArgument = ValueOf<typeof DirectedPickupCallArgument>;
export const DirectedPickupCallResult = sequence('DirectedPickupCallResult', {
  pickedCall: opt(ConnectionID),
  pickedCallInfo: opt(ConnectionInformationRaw),
  callLinkageData: opt(rawSeq(1)),
  extensions: opt(CSTACommonArguments),
});
export type DirectedPickupCallResult = ValueOf<typeof DirectedPickupCallResult>;

// ---- callBack (215): call completion on a call that found the called device busy or not answering
export const CallBackArgument = sequence('CallBackArgument', {
  callbackConnection: req(ConnectionID),
  callCharacteristics: opt(CallCharacteristics),
  subjectOfCall: opt(implicit(0, ia5String)),
  languagePreferences: opt(implicit(1, ia5String)),
  extensions: opt(CSTACommonArguments),
});
export type CallBackArgument = ValueOf<typeof CallBackArgument>;
export const CallBackResult = sequence('CallBackResult', {
  targetDevice: opt(DeviceID),
  extensions: opt(CSTACommonArguments),
});
export type CallBackResult = ValueOf<typeof CallBackResult>;

// ---- callBackNonCallRelated (300): call completion requested from one device towards another, without a call
export const CallBackNonCallRelatedArgument = sequence('CallBackNonCallRelatedArgument', {
  originatingDevice: req(DeviceID),
  targetDevice: req(DeviceID),
  extensions: opt(CSTACommonArguments),
});
export type CallBackNonCallRelatedArgument = ValueOf<typeof CallBackNonCallRelatedArgument>;

// ---- intrudeCall (222): the caller joins the busy called device's call
export const ParticipationType = enumerated({ silent: 0, active: 1 });
export const IntrudeCallArgument = sequence('IntrudeCallArgument', {
  intrude: req(ConnectionID),
  participationType: dflt(ParticipationType, 'active'),
  userData: opt(UserData),
  extensions: opt(CSTACommonArguments),
});
export type IntrudeCallArgument = ValueOf<typeof IntrudeCallArgument>;
export const IntrudeCallResult = sequence('IntrudeCallResult', {
  conferencedCall: opt(ConnectionID),
  conferencedCallInfo: opt(ConnectionInformationRaw),
  callLinkageDataList: opt(rawSeq(1)),
  extensions: opt(CSTACommonArguments),
});
export type IntrudeCallResult = ValueOf<typeof IntrudeCallResult>;

// ---- dialDigits (219): digits dialed on a connection that has dial tone (TAPI lineDial)
export const DialDigitsArgument = sequence('DialDigitsArgument', {
  diallingConnection: req(ConnectionID),
  diallingSequence: req(DeviceID),
  correlatorData: opt(CorrelatorData),
  extensions: opt(CSTACommonArguments),
});
export type DialDigitsArgument = ValueOf<typeof DialDigitsArgument>;

// ---- generateDigits (232)
export const DigitMode = enumerated({ rotaryPulse: 0, dTMF: 1 });
export const GenerateDigitsArgument = sequence('GenerateDigitsArgument', {
  connectionToSendDigits: req(ConnectionID),
  digitMode: opt(DigitMode),
  charactersToSend: req(ia5String),
  toneDuration: opt(implicit(0, integer)),
  pulseRate: opt(implicit(1, integer)),
  pauseDuration: opt(implicit(2, integer)),
  extensions: opt(CSTACommonArguments),
});
export type GenerateDigitsArgument = ValueOf<typeof GenerateDigitsArgument>;

