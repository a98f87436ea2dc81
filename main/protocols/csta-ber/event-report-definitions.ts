// CSTA-event-report-definitions: cSTAEventReport (21, no result) and the event types the product uses
// (ECMA-285 modules delivered-event, established-event, ...). Members we do not interpret are relayed raw.
import { boolean, choice, explicit, ia5String, implicit, implicitRaw, integer, opt, req, sequence, sequenceOf, type Codec, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { ConnectionList, LocalConnectionState } from './connection-states';
import { CallOrigination, CorrelatorData, ForwardDefault, ForwardingType, UserData } from './device-feature-types';
import {
  AssociatedCalledDeviceID,
  AssociatedCallingDeviceID,
  CalledDeviceID,
  CallingDeviceID,
  DeviceID,
  NetworkCalledDeviceID,
  NetworkCallingDeviceID,
  RedirectionDeviceID,
  SubjectDeviceID,
} from './device-identifiers';
import { EventCause } from './event-causes';
import { CSTACommonArguments } from './extension-types';
import { rawElement } from './raw';
import { MonitorCrossRefID } from './status-reporting';

const raw = (tag: number) => opt(implicitRaw(tag, true)); // IMPLICIT SEQUENCE-based types relayed raw
const rawPrim = (tag: number) => opt(implicitRaw(tag, false)); // IMPLICIT BIT STRING-based types relayed raw
const text = (tag: number) => opt(implicit(tag, ia5String));

export const DeliveredEvent = sequence('DeliveredEvent', {
  connection: req(ConnectionID),
  alertingDevice: req(SubjectDeviceID),
  callingDevice: req(CallingDeviceID),
  calledDevice: req(CalledDeviceID),
  lastRedirectionDevice: req(RedirectionDeviceID),
  originatingNIDConnection: opt(ConnectionID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  userData: opt(UserData),
  cause: req(EventCause),
  servicesPermitted: raw(1),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  mediaCallCharacteristics: raw(2),
  callCharacteristics: rawPrim(3),
  connectionInfo: raw(4),
  callLinkageData: raw(5),
  subjectOfCall: text(6),
  messageInfo: raw(7),
  languagePreferences: text(8),
  deviceHistory: raw(9),
  locationInfo: raw(10),
  extensions: opt(CSTACommonArguments),
});
export type DeliveredEvent = ValueOf<typeof DeliveredEvent>;

export const EstablishedEvent = sequence('EstablishedEvent', {
  establishedConnection: req(ConnectionID),
  answeringDevice: req(SubjectDeviceID),
  callingDevice: req(CallingDeviceID),
  calledDevice: req(CalledDeviceID),
  lastRedirectionDevice: req(RedirectionDeviceID),
  originatingNIDConnection: opt(ConnectionID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(1, CorrelatorData)),
  userData: opt(UserData),
  cause: req(EventCause),
  servicesPermitted: raw(2),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  mediaCallCharacteristics: raw(3),
  callCharacteristics: rawPrim(4),
  establishedConnectionInfo: raw(5),
  callLinkageData: raw(6),
  subjectOfCall: text(7),
  messageInfo: raw(8),
  languagePreferences: text(9),
  deviceHistory: raw(10),
  locationInfo: raw(11),
  extensions: opt(CSTACommonArguments),
});
export type EstablishedEvent = ValueOf<typeof EstablishedEvent>;

export const ConnectionClearedEvent = sequence('ConnectionClearedEvent', {
  droppedConnection: req(ConnectionID),
  releasingDevice: req(SubjectDeviceID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  userData: opt(UserData),
  chargingInfo: raw(1),
  cause: req(EventCause),
  servicesPermitted: raw(2),
  mediaCallCharacteristics: raw(3),
  callCharacteristics: rawPrim(4),
  droppedConnectionInfo: raw(5),
  callLinkageData: raw(6),
  languagePreferences: text(7),
  deviceHistory: raw(8),
  locationInfo: raw(9),
  extensions: opt(CSTACommonArguments),
});
export type ConnectionClearedEvent = ValueOf<typeof ConnectionClearedEvent>;

export const OriginatedEvent = sequence('OriginatedEvent', {
  originatedConnection: req(ConnectionID),
  callingDevice: req(SubjectDeviceID),
  calledDevice: req(CalledDeviceID),
  originatingDevice: opt(DeviceID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(2, CorrelatorData)),
  cause: req(EventCause),
  servicesPermitted: raw(3),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  mediaCallCharacteristics: raw(4),
  callCharacteristics: rawPrim(5),
  originatedConnectionInfo: raw(6),
  callLinkageData: raw(7),
  subjectOfCall: text(8),
  messageInfo: raw(9),
  languagePreferences: text(10),
  locationInfo: raw(11),
  extensions: opt(CSTACommonArguments),
});
export type OriginatedEvent = ValueOf<typeof OriginatedEvent>;

export const ServiceInitiatedEvent = sequence('ServiceInitiatedEvent', {
  initiatedConnection: req(ConnectionID),
  initiatingDevice: req(SubjectDeviceID),
  calledDevice: opt(CalledDeviceID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  cause: req(EventCause),
  servicesPermitted: raw(1),
  mediaCallCharacteristics: raw(2),
  callCharacteristics: rawPrim(3),
  initiatedConnectionInfo: raw(4),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  callLinkageData: raw(5),
  subjectOfCall: text(7),
  messageInfo: raw(8),
  languagePreferences: text(9),
  locationInfo: raw(10),
  extensions: opt(CSTACommonArguments),
});
export type ServiceInitiatedEvent = ValueOf<typeof ServiceInitiatedEvent>;

function holdLike(name: string, connection: string, device: string, info: string) {
  return sequence(name, {
    [connection]: req(ConnectionID),
    [device]: req(SubjectDeviceID),
    localConnectionInfo: opt(LocalConnectionState),
    correlatorData: opt(implicit(0, CorrelatorData)),
    cause: req(EventCause),
    servicesPermitted: raw(1),
    mediaCallCharacteristics: raw(2),
    callCharacteristics: rawPrim(3),
    [info]: raw(4),
    callLinkageData: raw(5),
    languagePreferences: text(6),
    locationInfo: raw(7),
    extensions: opt(CSTACommonArguments),
  });
}
const heldSpec = {
  heldConnection: req(ConnectionID),
  holdingDevice: req(SubjectDeviceID),
};
export type HeldEvent = { [K in keyof typeof heldSpec]: ValueOf<(typeof heldSpec)[K]['codec']> } & HoldCommon & { heldConnectionInfo?: string };
const retrievedSpec = {
  retrievedConnection: req(ConnectionID),
  retrievingDevice: req(SubjectDeviceID),
};
export type RetrievedEvent = { [K in keyof typeof retrievedSpec]: ValueOf<(typeof retrievedSpec)[K]['codec']> } & HoldCommon & {
  retrievedConnectionInfo?: string;
};
type HoldCommon = {
  localConnectionInfo?: LocalConnectionState;
  correlatorData?: string;
  cause: EventCause;
  servicesPermitted?: string;
  mediaCallCharacteristics?: string;
  callCharacteristics?: string;
  callLinkageData?: string;
  languagePreferences?: string;
  locationInfo?: string;
  extensions?: ValueOf<typeof CSTACommonArguments>;
};
export const HeldEvent = holdLike('HeldEvent', 'heldConnection', 'holdingDevice', 'heldConnectionInfo') as unknown as Codec<HeldEvent>;
export const RetrievedEvent = holdLike('RetrievedEvent', 'retrievedConnection', 'retrievingDevice', 'retrievedConnectionInfo') as unknown as Codec<RetrievedEvent>;

export const TransferredEvent = sequence('TransferredEvent', {
  primaryOldCall: req(ConnectionID),
  secondaryOldCall: opt(implicit(0, ConnectionID)),
  transferringDevice: req(SubjectDeviceID),
  transferredToDevice: req(SubjectDeviceID),
  transferredConnections: req(implicit(1, ConnectionList)),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(2, CorrelatorData)),
  userData: opt(UserData),
  chargingInfo: raw(3),
  cause: req(EventCause),
  servicesPermitted: raw(4),
  mediaCallCharacteristics: raw(5),
  callCharacteristics: rawPrim(6),
  callLinkageDataList: raw(7),
  languagePreferences: text(8),
  deviceHistory: raw(9),
  locationInfo: raw(10),
  extensions: opt(CSTACommonArguments),
});
export type TransferredEvent = ValueOf<typeof TransferredEvent>;

export const ConferencedEvent = sequence('ConferencedEvent', {
  primaryOldCall: req(ConnectionID),
  secondaryOldCall: opt(ConnectionID),
  conferencingDevice: req(SubjectDeviceID),
  addedParty: req(SubjectDeviceID),
  conferenceConnections: req(ConnectionList),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(1, CorrelatorData)),
  userData: opt(UserData),
  cause: req(EventCause),
  servicesPermitted: raw(2),
  mediaCallCharacteristics: raw(3),
  callCharacteristics: rawPrim(4),
  callLinkageDataList: raw(6),
  languagePreferences: text(7),
  deviceHistory: raw(8),
  locationInfo: raw(9),
  extensions: opt(implicit(5, CSTACommonArguments)),
});
export type ConferencedEvent = ValueOf<typeof ConferencedEvent>;

export const DivertedEvent = sequence('DivertedEvent', {
  connection: req(ConnectionID),
  divertingDevice: req(SubjectDeviceID),
  newDestination: req(SubjectDeviceID),
  callingDevice: opt(CallingDeviceID),
  calledDevice: opt(CalledDeviceID),
  lastRedirectionDevice: req(RedirectionDeviceID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  userData: opt(UserData),
  cause: req(EventCause),
  servicesPermitted: raw(1),
  mediaCallCharacteristics: raw(2),
  callCharacteristics: rawPrim(3),
  connectionInfo: raw(4),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  callLinkageData: raw(5),
  subjectOfCall: text(6),
  messageInfo: raw(7),
  languagePreferences: text(8),
  deviceHistory: raw(9),
  locationInfo: raw(10),
  extensions: opt(CSTACommonArguments),
});
export type DivertedEvent = ValueOf<typeof DivertedEvent>;

export const FailedEvent = sequence('FailedEvent', {
  failedConnection: req(ConnectionID),
  failingDevice: req(SubjectDeviceID),
  callingDevice: req(CallingDeviceID),
  calledDevice: req(CalledDeviceID),
  lastRedirectionDevice: req(RedirectionDeviceID),
  originatingNIDConnection: opt(ConnectionID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  userData: opt(UserData),
  cause: req(EventCause),
  servicesPermitted: raw(1),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  associatedCalledDevice: opt(AssociatedCalledDeviceID),
  mediaCallCharacteristics: raw(2),
  callCharacteristics: rawPrim(3),
  failedConnectionInfo: raw(4),
  callLinkageData: raw(5),
  subjectOfCall: text(6),
  messageInfo: raw(7),
  languagePreferences: text(8),
  deviceHistory: raw(9),
  locationInfo: raw(10),
  extensions: opt(CSTACommonArguments),
});
export type FailedEvent = ValueOf<typeof FailedEvent>;

export const NetworkReachedEvent = sequence('NetworkReachedEvent', {
  outboundConnection: req(ConnectionID),
  networkInterfaceUsed: req(SubjectDeviceID),
  callingDevice: req(CallingDeviceID),
  calledDevice: req(CalledDeviceID),
  lastRedirectionDevice: req(RedirectionDeviceID),
  originatingNIDConneciton: opt(ConnectionID),
  localConnectionInfo: opt(LocalConnectionState),
  correlatorData: opt(implicit(0, CorrelatorData)),
  userData: opt(UserData),
  networkCapability: raw(1),
  cause: req(EventCause),
  servicesPermitted: raw(2),
  mediaCallCharacteristics: raw(3),
  callCharacteristics: rawPrim(4),
  outboundConnectionInfo: raw(5),
  networkCallingDevice: opt(NetworkCallingDeviceID),
  networkCalledDevice: opt(NetworkCalledDeviceID),
  associatedCallingDevice: opt(AssociatedCallingDeviceID),
  callLinkageData: raw(6),
  languagePreferences: text(7),
  deviceHistory: raw(8),
  locationInfo: raw(9),
  extensions: opt(CSTACommonArguments),
});
export type NetworkReachedEvent = ValueOf<typeof NetworkReachedEvent>;

export const DoNotDisturbEvent = sequence('DoNotDisturbEvent', {
  device: req(SubjectDeviceID),
  doNotDisturbOn: req(boolean),
  callOrigination: opt(CallOrigination),
  callingDeviceList: opt(sequenceOf(DeviceID)),
  extensions: opt(CSTACommonArguments),
});
export type DoNotDisturbEvent = ValueOf<typeof DoNotDisturbEvent>;

export const ForwardingEvent = sequence('ForwardingEvent', {
  device: req(SubjectDeviceID),
  forwardingType: opt(ForwardingType),
  forwardStatus: req(boolean),
  forwardTo: opt(DeviceID),
  forwardDefault: opt(ForwardDefault),
  ringCount: opt(integer),
  ringDuration: opt(implicit(4, integer)),
  extensions: opt(CSTACommonArguments),
});
export type ForwardingEvent = ValueOf<typeof ForwardingEvent>;

// BackInServiceEvent and OutOfServiceEvent have the same members
function serviceStateEvent(name: string) {
  return sequence(name, { device: req(SubjectDeviceID), cause: opt(EventCause), extensions: opt(CSTACommonArguments) });
}
export const BackInServiceEvent = serviceStateEvent('BackInServiceEvent');
export type BackInServiceEvent = ValueOf<typeof BackInServiceEvent>;
export const OutOfServiceEvent = serviceStateEvent('OutOfServiceEvent');
export type OutOfServiceEvent = ValueOf<typeof OutOfServiceEvent>;

/** Alternatives we do not model decode as `{ other: <raw BER hex> }` and re-encode unchanged. */
export const CallControlEvents = choice('CallControlEvents', {
  conferenced: implicit(2, ConferencedEvent),
  connectionCleared: implicit(3, ConnectionClearedEvent),
  delivered: implicit(4, DeliveredEvent),
  diverted: implicit(6, DivertedEvent),
  established: implicit(7, EstablishedEvent),
  failed: implicit(8, FailedEvent),
  held: implicit(9, HeldEvent),
  networkReached: implicit(11, NetworkReachedEvent),
  originated: implicit(13, OriginatedEvent),
  retrieved: implicit(15, RetrievedEvent),
  serviceInitiated: implicit(16, ServiceInitiatedEvent),
  transferred: implicit(17, TransferredEvent),
  other: rawElement,
});
export type CallControlEvents = ValueOf<typeof CallControlEvents>;

export const LogicalDeviceFeatureEvents = choice('LogicalDeviceFeatureEvents', {
  doNotDisturb: implicit(11, DoNotDisturbEvent),
  forwarding: implicit(12, ForwardingEvent),
  other: rawElement,
});
export type LogicalDeviceFeatureEvents = ValueOf<typeof LogicalDeviceFeatureEvents>;

export const DeviceMaintenanceEvents = choice('DeviceMaintenanceEvents', {
  backInService: implicit(0, BackInServiceEvent),
  outOfService: implicit(2, OutOfServiceEvent),
  other: rawElement,
});
export type DeviceMaintenanceEvents = ValueOf<typeof DeviceMaintenanceEvents>;

export const EventSpecificInfo = choice('EventSpecificInfo', {
  callControlEvents: explicit(0, CallControlEvents),
  callAssociatedEvents: explicit(1, rawElement),
  mediaAttachmentEvents: explicit(2, rawElement),
  physicalDeviceFeatureEvents: explicit(3, rawElement),
  logicalDeviceFeatureEvents: explicit(4, LogicalDeviceFeatureEvents),
  deviceMaintenanceEvents: explicit(5, DeviceMaintenanceEvents),
  voiceUnitEvents: explicit(6, rawElement),
  vendorSpecEvents: explicit(7, rawElement),
});
export type EventSpecificInfo = ValueOf<typeof EventSpecificInfo>;

export const CSTAEventReportArgument = sequence('CSTAEventReportArgument', {
  crossRefIdentifier: req(MonitorCrossRefID),
  eventSpecificInfo: req(EventSpecificInfo),
});
export type CSTAEventReportArgument = ValueOf<typeof CSTAEventReportArgument>;

/** Flattened view of an event report: which event it is and its fields. */
export interface EventView {
  crossRefIdentifier: string;
  /** EventSpecificInfo alternative, e.g. "callControlEvents". */
  category: string;
  /** Event name as in ECMA-285 (e.g. "delivered"), or "other" when not modelled. */
  name: string;
  event: unknown;
}

export function eventOf(arg: CSTAEventReportArgument): EventView {
  const info = arg.eventSpecificInfo as Record<string, unknown>;
  const [category] = Object.keys(info);
  const inner = info[category];
  if (typeof inner === 'string') return { crossRefIdentifier: arg.crossRefIdentifier, category, name: 'other', event: inner };
  const [name] = Object.keys(inner as object);
  return { crossRefIdentifier: arg.crossRefIdentifier, category, name, event: (inner as Record<string, unknown>)[name] };
}

/** Builds a call-control event report: `callControlEvent('0001', 'delivered', {...})`. */
export function callControlEventReport<N extends Exclude<keyof CallControlEventMap, 'other'>>(
  crossRefIdentifier: string,
  name: N,
  event: CallControlEventMap[N],
): CSTAEventReportArgument {
  return { crossRefIdentifier, eventSpecificInfo: { callControlEvents: { [name]: event } as unknown as CallControlEvents } };
}
type CallControlEventMap = {
  conferenced: ConferencedEvent;
  connectionCleared: ConnectionClearedEvent;
  delivered: DeliveredEvent;
  diverted: DivertedEvent;
  established: EstablishedEvent;
  failed: FailedEvent;
  held: HeldEvent;
  networkReached: NetworkReachedEvent;
  originated: OriginatedEvent;
  retrieved: RetrievedEvent;
  serviceInitiated: ServiceInitiatedEvent;
  transferred: TransferredEvent;
  other: string;
};
