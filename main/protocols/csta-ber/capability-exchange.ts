// CSTA-capability-exchange: get-switching-function-devices (204) and the segmented
// switching-function-devices (205, invoked by the switch, no result).
import { bitString, boolean, enumerated, ia5String, implicit, integer, octetString, opt, req, sequence, sequenceOf, dflt, type ValueOf } from './codec';
import { DeviceID } from './device-identifiers';
import { CSTACommonArguments } from './extension-types';

/** ServiceCrossRefID ::= OCTET STRING — untagged, so universal 0x04 on the wire (unlike MonitorCrossRefID). */
export const ServiceCrossRefID = octetString;

export const ReqDeviceCategory = enumerated({
  acd: 0, groupACD: 1, groupHunt: 2, groupPick: 3, groupOther: 4, networkInterface: 5, park: 6, routeingDevice: 7,
  station: 8, voiceUnit: 9, other: 10, conference: 11, dtmfIV: 12, genericIV: 13, groupUser: 14, listenerIV: 15,
  messageIV: 16, promptIV: 17, promptQueue: 18,
});

export const DeviceCategory = enumerated({
  acd: 0, group: 1, networkInterface: 2, park: 3, routeingDevice: 4, station: 5, voiceUnit: 6, other: 7,
  genericInteractiveVoice: 8, listenerInteractiveVoice: 9, dtmfInteractiveVoice: 10, promptInteractiveVoice: 11,
  promptQueueInteractiveVoice: 12, messageInteractiveVoice: 13, conference: 14,
});
export type DeviceCategory = ValueOf<typeof DeviceCategory>;

export const NamedDeviceTypes = enumerated({
  acd: 0, acdGroup: 1, button: 2, buttonGroup: 3, conferenceBridge: 4, line: 5, lineGroup: 6, operator: 7,
  operatorGroup: 8, parkingDevice: 9, station: 10, stationGroup: 11, trunk: 12, trunkGroup: 13, other: 14, otherGroup: 15,
});

export const DeviceAttributes = bitString({ mediaAccessDevice: 0, routeingDevice: 1, groupACD: 2, groupHunt: 3, groupPick: 4 });

export const GetSwitchingFunctionDevicesArgument = sequence('GetSwitchingFunctionDevicesArgument', {
  requestedDeviceID: opt(DeviceID),
  requestedDeviceCategory: opt(ReqDeviceCategory),
  extensions: opt(CSTACommonArguments),
});
export type GetSwitchingFunctionDevicesArgument = ValueOf<typeof GetSwitchingFunctionDevicesArgument>;

export const GetSwitchingFunctionDevicesResult = sequence('GetSwitchingFunctionDevicesResult', {
  serviceCrossRefID: req(ServiceCrossRefID),
  extensions: opt(CSTACommonArguments),
});
export type GetSwitchingFunctionDevicesResult = ValueOf<typeof GetSwitchingFunctionDevicesResult>;

export const DeviceListEntry = sequence('DeviceList.entry', {
  deviceID: req(DeviceID),
  deviceCategory: dflt(implicit(0, DeviceCategory), 'station'),
  namedDeviceTypes: opt(implicit(1, NamedDeviceTypes)),
  deviceAttributes: opt(DeviceAttributes),
  deviceModelName: opt(ia5String),
  nidGroup: opt(DeviceID),
});
export type DeviceListEntry = ValueOf<typeof DeviceListEntry>;
export const DeviceList = sequenceOf(DeviceListEntry);

export const SwitchingFunctionDevicesArgument = sequence('SwitchingFunctionDevicesArgument', {
  serviceCrossRefID: req(ServiceCrossRefID),
  segmentID: opt(integer),
  lastSegment: req(boolean),
  deviceList: req(DeviceList),
  extensions: opt(CSTACommonArguments),
});
export type SwitchingFunctionDevicesArgument = ValueOf<typeof SwitchingFunctionDevicesArgument>;
