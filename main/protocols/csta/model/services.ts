// ECMA-269 services a computing function invokes, with typed arguments and results (member names as in the
// standard, identifiers as text). `CstaServices` maps each service name to both, so `CstaSession.invoke` is typed
// by name. Services the switch invokes on the application are `CstaSwitchRequest`s.
import type {
  AutoOriginate,
  CallOrigination,
  ConsultOptions,
  DeviceAttribute,
  DeviceCategory,
  DigitMode,
  EventCause,
  ForwardDefault,
  ForwardingType,
  LocalConnectionState,
  MonitorType,
  NamedDeviceType,
  Open,
  ReqDeviceCategory,
  SimpleCallState,
  SystemStatus,
} from './enumerations';
import type { ConnectionRef, DeviceRef, MonitorCrossRefId, PartyRef, ServiceCrossRefId } from './identifiers';
import type { PrivateData, WithPrivateData } from './private-data';

/** The answer of services that report nothing but success. */
export type NoData = WithPrivateData;

// ---- monitoring (ECMA-269 §15)

/**
 * Events to filter OUT, by category; an absent category reports all its events. Names are ECMA-269 event names
 * (`delivered`, `doNotDisturb`, `backInService` …).
 */
export interface MonitorFilter {
  callControl?: string[];
  callAssociated?: string[];
  mediaAttachment?: string[];
  physicalDeviceFeature?: string[];
  logicalDeviceFeature?: string[];
  maintenance?: string[];
  voiceUnit?: string[];
  private?: string[];
}

export interface MonitorStartArgs extends WithPrivateData {
  monitorObject: { device: DeviceRef } | { call: ConnectionRef };
  requestedMonitorFilter?: MonitorFilter;
  monitorType?: MonitorType;
}
export interface MonitorStartResult extends WithPrivateData {
  crossRefIdentifier: MonitorCrossRefId;
  actualMonitorFilter?: MonitorFilter;
  monitorExistingCalls?: boolean;
}
export interface MonitorStopArgs extends WithPrivateData {
  crossRefIdentifier: MonitorCrossRefId;
}

// ---- snapshot (ECMA-269 §16)

export interface SnapshotDeviceArgs extends WithPrivateData {
  snapshotObject: DeviceRef;
}
/** A call's state at a device: its connections' states from the device's view, or the whole call's state. */
export type SnapshotCallState = { compound: Open<LocalConnectionState>[] } | { simple: Open<SimpleCallState> } | { unknown: true };
export interface SnapshotDeviceCall {
  connectionIdentifier: ConnectionRef;
  endpointDevice?: PartyRef;
  localCallState: SnapshotCallState;
}
/** Either the calls at once, or a cross-reference under which the switch sends them later. */
export interface SnapshotDeviceResult extends WithPrivateData {
  calls: SnapshotDeviceCall[];
  serviceCrossRefID?: ServiceCrossRefId;
}

// ---- capability exchange (ECMA-269 §12 GetSwitchingFunctionDevices / SwitchingFunctionDevices)

export interface GetSwitchingFunctionDevicesArgs extends WithPrivateData {
  requestedDeviceID?: DeviceRef;
  requestedDeviceCategory?: ReqDeviceCategory;
}
export interface GetSwitchingFunctionDevicesResult extends WithPrivateData {
  /** The segments the switch sends next carry this ID. */
  serviceCrossRefID: ServiceCrossRefId;
}
export interface SwitchingFunctionDevice {
  /** Its `name` is the switch's name for the device. */
  deviceID: DeviceRef;
  /** Default `station`. */
  deviceCategory?: Open<DeviceCategory>;
  namedDeviceTypes?: Open<NamedDeviceType>;
  deviceAttributes?: DeviceAttribute[];
  deviceModelName?: string;
  nidGroup?: DeviceRef;
}
/** One segment of a device list, invoked by the switch. */
export interface SwitchingFunctionDevicesArgs extends WithPrivateData {
  serviceCrossRefID: ServiceCrossRefId;
  segmentID?: number;
  lastSegment: boolean;
  deviceList: SwitchingFunctionDevice[];
}

// ---- call control (ECMA-269 §17)

export interface MakeCallArgs extends WithPrivateData {
  callingDevice: DeviceRef;
  calledDirectoryNumber: DeviceRef;
  accountCode?: string;
  authCode?: string;
  autoOriginate?: AutoOriginate;
  correlatorData?: string;
  subjectOfCall?: string;
}
export interface MakeCallResult extends WithPrivateData {
  /** The calling device's connection to the new call. */
  callingDevice: ConnectionRef;
}
export interface AnswerCallArgs extends WithPrivateData {
  callToBeAnswered: ConnectionRef;
}
export interface ClearConnectionArgs extends WithPrivateData {
  connectionToBeCleared: ConnectionRef;
  reason?: EventCause;
}
export interface HoldCallArgs extends WithPrivateData {
  callToBeHeld: ConnectionRef;
  connectionReservation?: boolean;
}
export interface RetrieveCallArgs extends WithPrivateData {
  callToBeRetrieved: ConnectionRef;
}
export interface AlternateCallArgs extends WithPrivateData {
  heldCall: ConnectionRef;
  activeCall: ConnectionRef;
  connectionReservation?: boolean;
  consultOptions?: ConsultOptions;
}
export interface ConsultationCallArgs extends WithPrivateData {
  existingCall: ConnectionRef;
  consultedDevice: DeviceRef;
  connectionReservation?: boolean;
  consultOptions?: ConsultOptions;
  accountCode?: string;
  authCode?: string;
  correlatorData?: string;
  subjectOfCall?: string;
}
export interface ConsultationCallResult extends WithPrivateData {
  initiatedCall: ConnectionRef;
}
/** TransferCall and ConferenceCall: the held call and the active one. */
export interface HeldAndActiveArgs extends WithPrivateData {
  heldCall: ConnectionRef;
  activeCall: ConnectionRef;
}
/** The connections of a call that resulted from a transfer or conference: each old connection and its new one. */
export interface ConnectionListEntry {
  newConnection?: ConnectionRef;
  oldConnection?: ConnectionRef;
  endpoint?: PartyRef;
}
export interface TransferCallResult extends WithPrivateData {
  transferredCall: ConnectionRef;
  connections?: ConnectionListEntry[];
}
export interface ConferenceCallResult extends WithPrivateData {
  conferenceCall: ConnectionRef;
  connections?: ConnectionListEntry[];
}
export interface SingleStepTransferCallArgs extends WithPrivateData {
  activeCall: ConnectionRef;
  transferredTo: DeviceRef;
  accountCode?: string;
  authCode?: string;
  correlatorData?: string;
  subjectOfCall?: string;
  reason?: EventCause;
}
export interface SingleStepTransferCallResult extends WithPrivateData {
  transferredCall: ConnectionRef;
  connections?: ConnectionListEntry[];
}
export interface DeflectCallArgs extends WithPrivateData {
  callToBeDiverted: ConnectionRef;
  newDestination: DeviceRef;
  reason?: EventCause;
}
export interface DirectedPickupCallArgs extends WithPrivateData {
  callToBePickedUp: ConnectionRef;
  requestingDevice: DeviceRef;
}
export interface DirectedPickupCallResult extends WithPrivateData {
  pickedCall?: ConnectionRef;
}
export interface GenerateDigitsArgs extends WithPrivateData {
  connectionToSendDigits: ConnectionRef;
  charactersToSend: string;
  digitMode?: DigitMode;
  /** Milliseconds. */
  toneDuration?: number;
  pulseRate?: number;
  pauseDuration?: number;
}

/** DialDigits: digits dialed on a connection that has dial tone (the device went off-hook without a number). */
export interface DialDigitsArgs extends WithPrivateData {
  diallingConnection: ConnectionRef;
  diallingSequence: DeviceRef;
}
/** CallBack (call related): the call found the called device busy or not answering; call back when it is free. */
export interface CallBackArgs extends WithPrivateData {
  callbackConnection: ConnectionRef;
}
export interface CallBackResult extends WithPrivateData {
  /** The device the switch will call back (the called device of the call). */
  targetDevice?: DeviceRef;
}
/** CallBackNonCallRelated: `originatingDevice` asks to be called back when `targetDevice` is free. */
export interface CallBackNonCallRelatedArgs extends WithPrivateData {
  originatingDevice: DeviceRef;
  targetDevice: DeviceRef;
}
/** IntrudeCall: the calling device's connection (to a busy device) joins the busy device's call. */
export interface IntrudeCallArgs extends WithPrivateData {
  intrude: ConnectionRef;
  participationType?: 'silent' | 'active';
}
export interface IntrudeCallResult extends WithPrivateData {
  conferencedCall?: ConnectionRef;
}

// ---- logical device features (ECMA-269 §22)

export interface SetForwardingArgs extends WithPrivateData {
  device: DeviceRef;
  forwardingType?: ForwardingType;
  activateForward: boolean;
  forwardDN?: DeviceRef;
  ringCount?: number;
  ringDuration?: number;
}
export interface ForwardingListEntry {
  forwardingType?: Open<ForwardingType>;
  forwardStatus: boolean;
  forwardDN?: DeviceRef;
  forwardDefault?: Open<ForwardDefault>;
  ringCount?: number;
  ringDuration?: number;
}
export interface GetForwardingArgs extends WithPrivateData {
  device: DeviceRef;
}
export interface GetForwardingResult extends WithPrivateData {
  forwardingList: ForwardingListEntry[];
}
export interface SetDoNotDisturbArgs extends WithPrivateData {
  device: DeviceRef;
  doNotDisturbOn: boolean;
  callOrigination?: CallOrigination[];
  callingDeviceList?: DeviceRef[];
}
export interface GetDoNotDisturbArgs extends WithPrivateData {
  device: DeviceRef;
}
export interface GetDoNotDisturbResult extends WithPrivateData {
  doNotDisturbOn: boolean;
  callOrigination?: CallOrigination[];
  callingDeviceList?: DeviceRef[];
}

// ---- system services and escapes (ECMA-269 §12, §14)

export interface SystemStatusArgs extends WithPrivateData {
  systemStatus: SystemStatus;
}
/** ECMA-269 SystemRegister: the kinds of system reports to register for (a set of names). */
export type SystemRegisterRequestType = 'systemStatus' | 'switchingFunctionCapsChanged' | 'switchingFunctionDevicesChanged';
export interface SystemRegisterArgs extends WithPrivateData {
  requestTypes: Open<SystemRegisterRequestType>[];
}
export interface SystemRegisterResult extends WithPrivateData {
  sysStatRegisterID: string;
}
export interface SystemRegisterCancelArgs extends WithPrivateData {
  sysStatRegisterID: string;
}
export type RequestSystemStatusArgs = WithPrivateData;
export interface RequestSystemStatusResult extends WithPrivateData {
  systemStatus: Open<SystemStatus>;
}

/**
 * ECMA-269 capability exchange (GetCSTAFeatures): the services the switch offers, by the model's service names
 * (the switch's groups are not kept; names the model does not know stay as written).
 */
export type GetCstaFeaturesArgs = WithPrivateData;
export interface GetCstaFeaturesResult extends WithPrivateData {
  services: string[];
}

// ---- snapshot of a call, message waiting, logical device information (ECMA-269 §16, §21, §22)

export interface SnapshotCallArgs extends WithPrivateData {
  snapshotObject: ConnectionRef;
}
export interface SnapshotCallParticipant {
  deviceOnCall: PartyRef;
  callIdentifier?: ConnectionRef;
  localConnectionState?: Open<LocalConnectionState>;
}
export interface SnapshotCallResult extends WithPrivateData {
  participants: SnapshotCallParticipant[];
  serviceCrossRefID?: ServiceCrossRefId;
}
export interface SetMessageWaitingIndicatorArgs extends WithPrivateData {
  device: DeviceRef;
  messageWaitingOn: boolean;
}
export interface GetMessageWaitingIndicatorArgs extends WithPrivateData {
  device: DeviceRef;
}
export interface GetMessageWaitingIndicatorResult extends WithPrivateData {
  messageWaitingOn: boolean;
}
export interface GetLogicalDeviceInformationArgs extends WithPrivateData {
  device: DeviceRef;
}
/** The part of ECMA-269's logical device information the products read; the switch may say more. */
export interface GetLogicalDeviceInformationResult extends WithPrivateData {
  deviceCategory?: Open<DeviceCategory>;
  namedDeviceTypes?: Open<NamedDeviceType>;
  maxActiveCalls?: number;
  maxHeldCalls?: number;
  maxFwdSettings?: number;
  maxDevicesInConf?: number;
}

/** A vendor request in private data (ECMA-269 Escape); what it means is the vendor's. */
export interface EscapeArgs {
  privateData: PrivateData;
}

/** Every service an application may invoke: its arguments and its result. */
export interface CstaServices {
  monitorStart: { args: MonitorStartArgs; result: MonitorStartResult };
  monitorStop: { args: MonitorStopArgs; result: NoData };
  snapshotDevice: { args: SnapshotDeviceArgs; result: SnapshotDeviceResult };
  getSwitchingFunctionDevices: { args: GetSwitchingFunctionDevicesArgs; result: GetSwitchingFunctionDevicesResult };
  makeCall: { args: MakeCallArgs; result: MakeCallResult };
  answerCall: { args: AnswerCallArgs; result: NoData };
  clearConnection: { args: ClearConnectionArgs; result: NoData };
  holdCall: { args: HoldCallArgs; result: NoData };
  retrieveCall: { args: RetrieveCallArgs; result: NoData };
  alternateCall: { args: AlternateCallArgs; result: NoData };
  consultationCall: { args: ConsultationCallArgs; result: ConsultationCallResult };
  transferCall: { args: HeldAndActiveArgs; result: TransferCallResult };
  conferenceCall: { args: HeldAndActiveArgs; result: ConferenceCallResult };
  singleStepTransferCall: { args: SingleStepTransferCallArgs; result: SingleStepTransferCallResult };
  deflectCall: { args: DeflectCallArgs; result: NoData };
  directedPickupCall: { args: DirectedPickupCallArgs; result: DirectedPickupCallResult };
  generateDigits: { args: GenerateDigitsArgs; result: NoData };
  dialDigits: { args: DialDigitsArgs; result: NoData };
  callBack: { args: CallBackArgs; result: CallBackResult };
  callBackNonCallRelated: { args: CallBackNonCallRelatedArgs; result: NoData };
  intrudeCall: { args: IntrudeCallArgs; result: IntrudeCallResult };
  setForwarding: { args: SetForwardingArgs; result: NoData };
  getForwarding: { args: GetForwardingArgs; result: GetForwardingResult };
  setDoNotDisturb: { args: SetDoNotDisturbArgs; result: NoData };
  getDoNotDisturb: { args: GetDoNotDisturbArgs; result: GetDoNotDisturbResult };
  systemStatus: { args: SystemStatusArgs; result: NoData };
  escape: { args: EscapeArgs; result: NoData };
  systemRegister: { args: SystemRegisterArgs; result: SystemRegisterResult };
  systemRegisterCancel: { args: SystemRegisterCancelArgs; result: NoData };
  requestSystemStatus: { args: RequestSystemStatusArgs; result: RequestSystemStatusResult };
  snapshotCall: { args: SnapshotCallArgs; result: SnapshotCallResult };
  setMessageWaitingIndicator: { args: SetMessageWaitingIndicatorArgs; result: NoData };
  getMessageWaitingIndicator: { args: GetMessageWaitingIndicatorArgs; result: GetMessageWaitingIndicatorResult };
  getLogicalDeviceInformation: { args: GetLogicalDeviceInformationArgs; result: GetLogicalDeviceInformationResult };
  getCSTAFeatures: { args: GetCstaFeaturesArgs; result: GetCstaFeaturesResult };
}
export type CstaServiceName = keyof CstaServices;
export type CstaArgs<S extends CstaServiceName> = CstaServices[S]['args'];
export type CstaResult<S extends CstaServiceName> = CstaServices[S]['result'];

/** The names, for tables and checks (an adapter proves at compile time that it covers each). */
export const CSTA_SERVICES = [
  'monitorStart', 'monitorStop', 'snapshotDevice', 'getSwitchingFunctionDevices', 'makeCall', 'answerCall',
  'clearConnection', 'holdCall', 'retrieveCall', 'alternateCall', 'consultationCall', 'transferCall',
  'conferenceCall', 'singleStepTransferCall', 'deflectCall', 'directedPickupCall', 'generateDigits', 'dialDigits', 'callBack',
  'callBackNonCallRelated', 'intrudeCall',
  'setForwarding', 'getForwarding', 'setDoNotDisturb', 'getDoNotDisturb', 'systemStatus', 'escape',
  'systemRegister', 'systemRegisterCancel', 'requestSystemStatus', 'snapshotCall', 'setMessageWaitingIndicator',
  'getMessageWaitingIndicator', 'getLogicalDeviceInformation', 'getCSTAFeatures',
] as const satisfies readonly CstaServiceName[];
// A service missing from the list makes this type `false`, and the line below stops compiling.
const listsEveryService: [Exclude<CstaServiceName, (typeof CSTA_SERVICES)[number]>] extends [never] ? true : false = true;
void listsEveryService;

/** Services the switch invokes on the application (other than keep-alives, which a session answers itself). */
export type CstaSwitchRequest =
  | { service: 'switchingFunctionDevices'; args: SwitchingFunctionDevicesArgs }
  | { service: 'escape'; args: EscapeArgs };

export type { PrivateData };
