// CSTA-call-detail-record (132) and the CDR services: start (363), stop (364), report (361).
import { bitString, boolean, choice, enumerated, explicit, generalizedTime, implicit, implicitRaw, integer, octetString, opt, req, sequence, sequenceOf, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { DeviceCategory, NamedDeviceTypes } from './capability-exchange';
import { AccountInfo, AuthCode } from './device-feature-types';
import {
  AssociatedCalledDeviceID,
  AssociatedCallingDeviceID,
  CalledDeviceID,
  CallingDeviceID,
  DeviceID,
  NetworkCalledDeviceID,
  NetworkCallingDeviceID,
} from './device-identifiers';
import { CSTACommonArguments } from './extension-types';

export const CDRCrossRefID = octetString;
/** TimeInfo ::= GeneralizedTime (CSTA-security), e.g. "20261123130000Z". */
export const TimeInfo = generalizedTime;

export const CDRTransferMode = enumerated({ transferAtEndOfCall: 0, transferOnRequest: 1, transferOnThresholdReached: 2 });
export const CDRTermReason = enumerated({ endOfDataDetected: 0, errorDetected: 1, thresholdReached: 2, other: 3 });
export const BillingID = enumerated({ normalCharging: 0, reverseCharging: 1, creditCardCharging: 2, callForwarding: 3, callDeflection: 4, callTransfer: 5, other: 6 });
export const ReasonForTerm = enumerated({ normalClearing: 0, unsuccessfulCallAttempt: 1, abnormalTermination: 2, callTransferred: 3, other: 4 });
export const SupplServiceInfo = bitString({
  normalCall: 0, consultationCall: 1, transferCall: 2, callCompletion: 3, callForwarding: 4, callDiversion: 5,
  conferencing: 6, intrusion: 7, userUserInfo: 8, other: 9,
});
export const ChargedDevice = choice('ChargedDevice', { operator: implicit(0, DeviceID), nonOperator: implicit(1, DeviceID) });
export const NodeNumber = sequence('NodeNumber', { area0: opt(implicit(0, integer)), area1: opt(implicit(1, integer)), area2: opt(implicit(2, integer)) });

export const CDRInformationItem = sequence('CDRInformationItem', {
  recordNumber: opt(integer),
  recordCreationTime: req(TimeInfo),
  callingDevice: opt(CallingDeviceID),
  calledDevice: opt(CalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  callCharacteristics: opt(implicitRaw(0, false)),
  mediaCallCharacteristics: opt(implicitRaw(1, true)),
  chargedDevice: opt(explicit(2, ChargedDevice)),
  recordedCall: opt(ConnectionID),
  nodeNumber: opt(implicit(3, NodeNumber)),
  tariffTable: opt(implicit(4, integer)),
  connectionStart: opt(implicit(5, TimeInfo)),
  connectionEnd: opt(implicit(6, TimeInfo)),
  connectionDuration: opt(implicit(7, integer)),
  accessCode: opt(implicit(8, octetString)),
  carrier: opt(implicit(9, integer)),
  selectedRoute: opt(implicit(10, integer)),
  billingID: opt(implicit(11, BillingID)),
  chargingInfo: opt(implicitRaw(12, true)),
  supplServiceInfo: opt(implicit(13, SupplServiceInfo)),
  reasonForTerm: opt(implicit(14, ReasonForTerm)),
  authCode: opt(implicit(15, AuthCode)),
  accountInfo: opt(implicit(16, AccountInfo)),
  deviceCategory: opt(implicit(17, DeviceCategory)),
  namedDeviceTypes: opt(implicit(18, NamedDeviceTypes)),
  operatorDevice: opt(explicit(19, DeviceID)),
});
export type CDRInformationItem = ValueOf<typeof CDRInformationItem>;
export const CDRInfo = sequenceOf(CDRInformationItem);

export const StartCDRTransmissionArgument = sequence('StartCDRTransmissionArgument', {
  transferMode: req(CDRTransferMode),
  extensions: opt(CSTACommonArguments),
});
export type StartCDRTransmissionArgument = ValueOf<typeof StartCDRTransmissionArgument>;
export const StartCDRTransmissionResult = sequence('StartCDRTransmissionResult', {
  cdrCrossRefID: req(CDRCrossRefID),
  extensions: opt(CSTACommonArguments),
});
export type StartCDRTransmissionResult = ValueOf<typeof StartCDRTransmissionResult>;

export const StopCDRTransmissionArgument = sequence('StopCDRTransmissionArgument', {
  cdrCrossRefID: req(CDRCrossRefID),
  cdrTermReason: opt(CDRTermReason),
  extensions: opt(CSTACommonArguments),
});
export type StopCDRTransmissionArgument = ValueOf<typeof StopCDRTransmissionArgument>;

export const CDRReportArgument = sequence('CDRReportArgument', {
  cdrCrossRefID: req(CDRCrossRefID),
  numberOfRecordsSent: req(integer),
  cdrInfo: req(CDRInfo),
  lastStoredCDRReportSent: opt(boolean),
  extensions: opt(CSTACommonArguments),
});
export type CDRReportArgument = ValueOf<typeof CDRReportArgument>;
