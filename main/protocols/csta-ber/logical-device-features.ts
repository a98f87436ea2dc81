// CSTA logical device features: set-forwarding (317), get-forwarding (309), set-do-not-disturb (316),
// get-do-not-disturb (308).
import { boolean, implicit, integer, opt, req, sequence, sequenceOf, type ValueOf } from './codec';
import { CallOrigination, ForwardList, ForwardingType } from './device-feature-types';
import { DeviceID } from './device-identifiers';
import { CSTACommonArguments } from './extension-types';

export const SetForwardingArgument = sequence('SetForwardingArgument', {
  device: req(DeviceID),
  forwardingType: opt(ForwardingType),
  activateForward: req(boolean),
  forwardDN: opt(DeviceID),
  ringCount: opt(integer),
  ringDuration: opt(implicit(3, integer)),
  extensions: opt(CSTACommonArguments),
});
export type SetForwardingArgument = ValueOf<typeof SetForwardingArgument>;

export const GetForwardingArgument = sequence('GetForwardingArgument', { device: req(DeviceID), extensions: opt(CSTACommonArguments) });
export type GetForwardingArgument = ValueOf<typeof GetForwardingArgument>;
export const GetForwardingResult = sequence('GetForwardingResult', {
  forwardingList: opt(ForwardList),
  extensions: opt(CSTACommonArguments),
});
export type GetForwardingResult = ValueOf<typeof GetForwardingResult>;

export const SetDoNotDisturbArgument = sequence('SetDoNotDisturbArgument', {
  device: req(DeviceID),
  doNotDisturbOn: req(boolean),
  callOrigination: opt(CallOrigination),
  callingDeviceList: opt(sequenceOf(DeviceID)),
  extensions: opt(CSTACommonArguments),
});
export type SetDoNotDisturbArgument = ValueOf<typeof SetDoNotDisturbArgument>;

export const GetDoNotDisturbArgument = sequence('GetDoNotDisturbArgument', { device: req(DeviceID), extensions: opt(CSTACommonArguments) });
export type GetDoNotDisturbArgument = ValueOf<typeof GetDoNotDisturbArgument>;
export const GetDoNotDisturbResult = sequence('GetDoNotDisturbResult', {
  doNotDisturbOn: req(boolean),
  callOrigination: opt(CallOrigination),
  callingDeviceList: opt(sequenceOf(DeviceID)),
  extensions: opt(CSTACommonArguments),
});
export type GetDoNotDisturbResult = ValueOf<typeof GetDoNotDisturbResult>;
