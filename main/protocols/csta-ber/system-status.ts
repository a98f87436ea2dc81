// CSTA system-status (211, bidirectional: also the keep-alive) and system-register (207).
import { bitString, octetString, opt, req, sequence, type ValueOf } from './codec';
import { SysStatRegisterID, SystemStatus } from './device-feature-types';
import { CSTACommonArguments, NoDataResult } from './extension-types';

export const SystemStatusArg = sequence('SystemStatusArg', {
  sysStatRegisterID: opt(SysStatRegisterID),
  systemStatus: req(SystemStatus),
  extensions: opt(CSTACommonArguments),
});
export type SystemStatusArg = ValueOf<typeof SystemStatusArg>;
export const SystemStatusRes = NoDataResult;

export const RequestTypes = bitString({ systemStatus: 0, requestSystemStatus: 1, switchingFunctionCapsChanged: 2, switchingFunctionDevicesChanged: 3 });
export const StatusFilter = bitString({
  initializing: 0, enabled: 1, normal: 2, messageLost: 3, disabled: 4, partiallyDisabled: 5, overloadImminent: 6,
  overloadReached: 7, overloadRelieved: 8,
});

export const SystemRegisterArgument = sequence('SystemRegisterArgument', {
  requestTypes: req(RequestTypes),
  requestedStatusFilter: opt(StatusFilter),
  extensions: opt(CSTACommonArguments),
});
export type SystemRegisterArgument = ValueOf<typeof SystemRegisterArgument>;

export const SystemRegisterResult = sequence('SystemRegisterResult', {
  sysStatRegisterID: req(octetString),
  actualStatusFilter: opt(StatusFilter),
  extensions: opt(CSTACommonArguments),
});
export type SystemRegisterResult = ValueOf<typeof SystemRegisterResult>;
