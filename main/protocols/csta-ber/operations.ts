// The ROSE operations of ECMA-285 the product uses: `CODE local: N` next to argument and result types.
import type { Codec } from './codec';
import { OPCODE, type OpcodeName } from './opcodes';
import {
  AlternateCallArgument,
  AnswerCallArgument,
  CallBackArgument,
  CallBackNonCallRelatedArgument,
  CallBackResult,
  ClearConnectionArgument,
  ConferenceCallArgument,
  ConferenceCallResult,
  ConsultationCallArgument,
  ConsultationCallResult,
  DeflectCallArgument,
  DialDigitsArgument,
  DirectedPickupCallArgument,
  DirectedPickupCallResult,
  GenerateDigitsArgument,
  HoldCallArgument,
  IntrudeCallArgument,
  IntrudeCallResult,
  MakeCallArgument,
  MakeCallResult,
  RetrieveCallArgument,
  SingleStepTransArgument,
  SingleStepTransResult,
  TransferCallArgument,
  TransferCallResult,
} from './call-control';
import { CDRReportArgument, StartCDRTransmissionArgument, StartCDRTransmissionResult, StopCDRTransmissionArgument } from './call-detail-record';
import { GetSwitchingFunctionDevicesArgument, GetSwitchingFunctionDevicesResult, SwitchingFunctionDevicesArgument } from './capability-exchange';
import { DataCollectedArgument, StartDataCollectionArgument, StartDataCollectionResult, StopDataCollectionArgument } from './data-collection';
import { EscapeArgument } from './escape-service';
import { CSTAEventReportArgument } from './event-report-definitions';
import { NoDataResult } from './extension-types';
import {
  GetDoNotDisturbArgument,
  GetDoNotDisturbResult,
  GetForwardingArgument,
  GetForwardingResult,
  SetDoNotDisturbArgument,
  SetForwardingArgument,
} from './logical-device-features';
import { SnapshotDeviceArgument, SnapshotDeviceResult } from './snapshot';
import { MonitorStartArgument, MonitorStartResult, MonitorStopArgument, MonitorStopResult } from './status-reporting';
import { SystemRegisterArgument, SystemRegisterResult, SystemStatusArg, SystemStatusRes } from './system-status';

export { OPCODE, PHASE2_SYSTEM_STATUS } from './opcodes';

export interface OperationDef<A, R> {
  code: number;
  argument: Codec<A>;
  /** Absent for operations that never answer with a result (event reports, device lists sent by the switch). */
  result?: Codec<R>;
}
function op<A, R = never>(code: number, argument: Codec<A>, result?: Codec<R>): OperationDef<A, R> {
  return { code, argument, result };
}

export const operations = {
  alternateCall: op(OPCODE.alternateCall, AlternateCallArgument, NoDataResult),
  answerCall: op(OPCODE.answerCall, AnswerCallArgument, NoDataResult),
  clearConnection: op(OPCODE.clearConnection, ClearConnectionArgument, NoDataResult),
  conferenceCall: op(OPCODE.conferenceCall, ConferenceCallArgument, ConferenceCallResult),
  consultationCall: op(OPCODE.consultationCall, ConsultationCallArgument, ConsultationCallResult),
  holdCall: op(OPCODE.holdCall, HoldCallArgument, NoDataResult),
  makeCall: op(OPCODE.makeCall, MakeCallArgument, MakeCallResult),
  retrieveCall: op(OPCODE.retrieveCall, RetrieveCallArgument, NoDataResult),
  transferCall: op(OPCODE.transferCall, TransferCallArgument, TransferCallResult),
  cSTAEventReport: op(OPCODE.cSTAEventReport, CSTAEventReportArgument),
  singleStepTransferCall: op(OPCODE.singleStepTransferCall, SingleStepTransArgument, SingleStepTransResult),
  escape: op(OPCODE.escape, EscapeArgument, NoDataResult),
  monitorStart: op(OPCODE.monitorStart, MonitorStartArgument, MonitorStartResult),
  monitorStop: op(OPCODE.monitorStop, MonitorStopArgument, MonitorStopResult),
  snapshotDevice: op(OPCODE.snapshotDevice, SnapshotDeviceArgument, SnapshotDeviceResult),
  getSwitchingFunctionDevices: op(OPCODE.getSwitchingFunctionDevices, GetSwitchingFunctionDevicesArgument, GetSwitchingFunctionDevicesResult),
  switchingFunctionDevices: op(OPCODE.switchingFunctionDevices, SwitchingFunctionDevicesArgument),
  systemRegister: op(OPCODE.systemRegister, SystemRegisterArgument, SystemRegisterResult),
  systemStatus: op(OPCODE.systemStatus, SystemStatusArg, SystemStatusRes),
  deflectCall: op(OPCODE.deflectCall, DeflectCallArgument, NoDataResult),
  dialDigits: op(OPCODE.dialDigits, DialDigitsArgument, NoDataResult),
  directedPickupCall: op(OPCODE.directedPickupCall, DirectedPickupCallArgument, DirectedPickupCallResult),
  generateDigits: op(OPCODE.generateDigits, GenerateDigitsArgument, NoDataResult),
  callBack: op(OPCODE.callBack, CallBackArgument, CallBackResult),
  callBackNonCallRelated: op(OPCODE.callBackNonCallRelated, CallBackNonCallRelatedArgument, NoDataResult),
  intrudeCall: op(OPCODE.intrudeCall, IntrudeCallArgument, IntrudeCallResult),
  getDoNotDisturb: op(OPCODE.getDoNotDisturb, GetDoNotDisturbArgument, GetDoNotDisturbResult),
  getForwarding: op(OPCODE.getForwarding, GetForwardingArgument, GetForwardingResult),
  setDoNotDisturb: op(OPCODE.setDoNotDisturb, SetDoNotDisturbArgument, NoDataResult),
  setForwarding: op(OPCODE.setForwarding, SetForwardingArgument, NoDataResult),
  dataCollected: op(OPCODE.dataCollected, DataCollectedArgument, NoDataResult),
  startDataCollection: op(OPCODE.startDataCollection, StartDataCollectionArgument, StartDataCollectionResult),
  stopDataCollection: op(OPCODE.stopDataCollection, StopDataCollectionArgument, NoDataResult),
  cDRReport: op(OPCODE.cDRReport, CDRReportArgument, NoDataResult),
  startCDRTransmission: op(OPCODE.startCDRTransmission, StartCDRTransmissionArgument, StartCDRTransmissionResult),
  stopCDRTransmission: op(OPCODE.stopCDRTransmission, StopCDRTransmissionArgument, NoDataResult),
} as const;

export type OperationName = keyof typeof operations;
export type ArgumentOf<N extends OperationName> = (typeof operations)[N] extends OperationDef<infer A, unknown> ? A : never;
export type ResultOf<N extends OperationName> = (typeof operations)[N] extends OperationDef<unknown, infer R> ? R : never;

const byCode = new Map<number, OperationName>();
for (const [name, def] of Object.entries(operations) as [OperationName, OperationDef<unknown, unknown>][]) byCode.set(def.code, name);

/** Operation name for an opcode, or undefined for operations this codec does not model. */
export function operationName(code: number): OperationName | undefined {
  return byCode.get(code);
}

// compile-time check: every operation of the opcode table has its codecs here (the error names those missing)
type Missing = Exclude<OpcodeName, OperationName>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

