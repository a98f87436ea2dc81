// The ROSE operations of ECMA-285 the product uses: `CODE local: N` next to argument and result types.
import type { Codec } from './codec';
import {
  AlternateCallArgument,
  AnswerCallArgument,
  ClearConnectionArgument,
  ConferenceCallArgument,
  ConferenceCallResult,
  ConsultationCallArgument,
  ConsultationCallResult,
  DeflectCallArgument,
  DirectedPickupCallArgument,
  DirectedPickupCallResult,
  GenerateDigitsArgument,
  HoldCallArgument,
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
  alternateCall: op(1, AlternateCallArgument, NoDataResult),
  answerCall: op(2, AnswerCallArgument, NoDataResult),
  clearConnection: op(5, ClearConnectionArgument, NoDataResult),
  conferenceCall: op(6, ConferenceCallArgument, ConferenceCallResult),
  consultationCall: op(7, ConsultationCallArgument, ConsultationCallResult),
  holdCall: op(9, HoldCallArgument, NoDataResult),
  makeCall: op(10, MakeCallArgument, MakeCallResult),
  retrieveCall: op(14, RetrieveCallArgument, NoDataResult),
  transferCall: op(16, TransferCallArgument, TransferCallResult),
  cSTAEventReport: op(21, CSTAEventReportArgument),
  singleStepTransferCall: op(50, SingleStepTransArgument, SingleStepTransResult),
  escape: op(51, EscapeArgument, NoDataResult),
  monitorStart: op(71, MonitorStartArgument, MonitorStartResult),
  monitorStop: op(73, MonitorStopArgument, MonitorStopResult),
  snapshotDevice: op(74, SnapshotDeviceArgument, SnapshotDeviceResult),
  getSwitchingFunctionDevices: op(204, GetSwitchingFunctionDevicesArgument, GetSwitchingFunctionDevicesResult),
  switchingFunctionDevices: op(205, SwitchingFunctionDevicesArgument),
  systemRegister: op(207, SystemRegisterArgument, SystemRegisterResult),
  systemStatus: op(211, SystemStatusArg, SystemStatusRes),
  deflectCall: op(218, DeflectCallArgument, NoDataResult),
  directedPickupCall: op(220, DirectedPickupCallArgument, DirectedPickupCallResult),
  generateDigits: op(232, GenerateDigitsArgument, NoDataResult),
  getDoNotDisturb: op(308, GetDoNotDisturbArgument, GetDoNotDisturbResult),
  getForwarding: op(309, GetForwardingArgument, GetForwardingResult),
  setDoNotDisturb: op(316, SetDoNotDisturbArgument, NoDataResult),
  setForwarding: op(317, SetForwardingArgument, NoDataResult),
  dataCollected: op(343, DataCollectedArgument, NoDataResult),
  startDataCollection: op(347, StartDataCollectionArgument, StartDataCollectionResult),
  stopDataCollection: op(348, StopDataCollectionArgument, NoDataResult),
  cDRReport: op(361, CDRReportArgument, NoDataResult),
  startCDRTransmission: op(363, StartCDRTransmissionArgument, StartCDRTransmissionResult),
  stopCDRTransmission: op(364, StopCDRTransmissionArgument, NoDataResult),
} as const;

export type OperationName = keyof typeof operations;
export type ArgumentOf<N extends OperationName> = (typeof operations)[N] extends OperationDef<infer A, unknown> ? A : never;
export type ResultOf<N extends OperationName> = (typeof operations)[N] extends OperationDef<unknown, infer R> ? R : never;

/**
 * The one opcode table (operation name -> code), read from `operations`: the codec, the client, the multiplexer,
 * the simulator and their tests take codes from here rather than writing numbers of their own.
 */
export const OPCODE = Object.fromEntries(Object.entries(operations).map(([name, def]) => [name, def.code])) as { readonly [N in OperationName]: number };

const byCode = new Map<number, OperationName>();
for (const [name, code] of Object.entries(OPCODE) as [OperationName, number][]) byCode.set(code, name);

/** Operation name for an opcode, or undefined for operations this codec does not model. */
export function operationName(code: number): OperationName | undefined {
  return byCode.get(code);
}

/** Opcode of CSTA Phase II SystemStatus; Panasonic peers have been seen using it as a ping (see reference). */
export const PHASE2_SYSTEM_STATUS = 52;

