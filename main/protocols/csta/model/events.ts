// ECMA-269 events (§17.2 call control, §22.2 logical device features, §24.2 device maintenance) as the switch
// reports them on a monitor: `name` tells which event, `category` which group of the standard it belongs to.
// Members are named as in the standard; identifiers are text. Events this model does not describe arrive as
// `OtherEvent`, so a listener can count or log them.
import type { CallOrigination, EventCause, ForwardDefault, ForwardingType, LocalConnectionState, Open } from './enumerations';
import type { ConnectionRef, DeviceRef, MonitorCrossRefId, PartyRef } from './identifiers';
import type { WithPrivateData } from './private-data';
import type { ConnectionListEntry } from './services';

export type CstaEventCategory =
  | 'callControl'
  | 'callAssociated'
  | 'mediaAttachment'
  | 'physicalDeviceFeature'
  | 'logicalDeviceFeature'
  | 'deviceMaintenance'
  | 'voiceUnit'
  | 'vendorSpecific';

interface EventBase<C extends CstaEventCategory, N extends string> extends WithPrivateData {
  category: C;
  name: N;
  /** The monitor that reported it (MonitorStartResult.crossRefIdentifier). */
  monitorCrossRefId: MonitorCrossRefId;
}

/** What call-control events share: the monitored device's own connection state after the event, and why. */
interface CallEventBase<N extends string> extends EventBase<'callControl', N> {
  localConnectionInfo?: Open<LocalConnectionState>;
  cause?: Open<EventCause>;
  correlatorData?: string;
}

/** The parties of a call as most call events describe them. */
interface CallParties {
  callingDevice: PartyRef;
  calledDevice: PartyRef;
  lastRedirectionDevice: PartyRef;
  networkCallingDevice?: PartyRef;
  networkCalledDevice?: PartyRef;
  associatedCallingDevice?: PartyRef;
  associatedCalledDevice?: PartyRef;
}

export interface CallClearedEvent extends CallEventBase<'callCleared'> {
  clearedCall: ConnectionRef;
}
export interface ConferencedEvent extends CallEventBase<'conferenced'> {
  primaryOldCall: ConnectionRef;
  secondaryOldCall?: ConnectionRef;
  conferencingDevice: PartyRef;
  addedParty: PartyRef;
  conferenceConnections: ConnectionListEntry[];
}
export interface ConnectionClearedEvent extends CallEventBase<'connectionCleared'> {
  droppedConnection: ConnectionRef;
  releasingDevice: PartyRef;
}
export interface DeliveredEvent extends CallEventBase<'delivered'>, CallParties {
  connection: ConnectionRef;
  /** The device that rings: not always the monitored one (a twin handset, a group member). */
  alertingDevice: PartyRef;
  originatingNIDConnection?: ConnectionRef;
  subjectOfCall?: string;
}
export interface DivertedEvent extends CallEventBase<'diverted'> {
  connection: ConnectionRef;
  divertingDevice: PartyRef;
  newDestination: PartyRef;
  callingDevice?: PartyRef;
  calledDevice?: PartyRef;
  lastRedirectionDevice: PartyRef;
}
export interface EstablishedEvent extends CallEventBase<'established'>, CallParties {
  establishedConnection: ConnectionRef;
  answeringDevice: PartyRef;
  originatingNIDConnection?: ConnectionRef;
}
export interface FailedEvent extends CallEventBase<'failed'>, CallParties {
  failedConnection: ConnectionRef;
  failingDevice: PartyRef;
  originatingNIDConnection?: ConnectionRef;
}
export interface HeldEvent extends CallEventBase<'held'> {
  heldConnection: ConnectionRef;
  holdingDevice: PartyRef;
}
export interface NetworkReachedEvent extends CallEventBase<'networkReached'>, CallParties {
  outboundConnection: ConnectionRef;
  networkInterfaceUsed: PartyRef;
}
export interface OriginatedEvent extends CallEventBase<'originated'> {
  originatedConnection: ConnectionRef;
  callingDevice: PartyRef;
  calledDevice: PartyRef;
  originatingDevice?: DeviceRef;
}
export interface QueuedEvent extends CallEventBase<'queued'>, CallParties {
  queuedConnection: ConnectionRef;
  queue: PartyRef;
  numberQueued?: number;
  callsInFront?: number;
}
export interface RetrievedEvent extends CallEventBase<'retrieved'> {
  retrievedConnection: ConnectionRef;
  retrievingDevice: PartyRef;
}
export interface ServiceInitiatedEvent extends CallEventBase<'serviceInitiated'> {
  initiatedConnection: ConnectionRef;
  initiatingDevice: PartyRef;
  calledDevice?: PartyRef;
}
export interface TransferredEvent extends CallEventBase<'transferred'> {
  primaryOldCall: ConnectionRef;
  secondaryOldCall?: ConnectionRef;
  transferringDevice: PartyRef;
  transferredToDevice: PartyRef;
  transferredConnections: ConnectionListEntry[];
}

export interface OfferedEvent extends CallEventBase<'offered'>, CallParties {
  offeredConnection: ConnectionRef;
  offeredDevice: PartyRef;
  originatingNIDConnection?: ConnectionRef;
}
export interface DigitsDialedEvent extends CallEventBase<'digitsDialed'> {
  diallingConnection: ConnectionRef;
  diallingDevice: PartyRef;
  diallingSequence: string;
}

export type CallControlEvent =
  | CallClearedEvent
  | DigitsDialedEvent
  | OfferedEvent
  | ConferencedEvent
  | ConnectionClearedEvent
  | DeliveredEvent
  | DivertedEvent
  | EstablishedEvent
  | FailedEvent
  | HeldEvent
  | NetworkReachedEvent
  | OriginatedEvent
  | QueuedEvent
  | RetrievedEvent
  | ServiceInitiatedEvent
  | TransferredEvent;

export interface DoNotDisturbEvent extends EventBase<'logicalDeviceFeature', 'doNotDisturb'> {
  device: PartyRef;
  doNotDisturbOn: boolean;
  callOrigination?: CallOrigination[];
  callingDeviceList?: DeviceRef[];
}
export interface ForwardingEvent extends EventBase<'logicalDeviceFeature', 'forwarding'> {
  device: PartyRef;
  forwardingType?: Open<ForwardingType>;
  forwardStatus: boolean;
  forwardTo?: DeviceRef;
  forwardDefault?: Open<ForwardDefault>;
  ringCount?: number;
  ringDuration?: number;
}
export type LogicalDeviceFeatureEvent = DoNotDisturbEvent | ForwardingEvent;

/** ECMA-269 §21.2 (a physical device feature): the message waiting lamp of a device went on or off. */
export interface MessageWaitingEvent extends EventBase<'physicalDeviceFeature', 'messageWaiting'> {
  deviceForMessage: PartyRef;
  invokingDevice?: PartyRef;
  messageWaitingOn: boolean;
}

/** BackInService and OutOfService have the same members. */
interface ServiceStateEvent<N extends string> extends EventBase<'deviceMaintenance', N> {
  device: PartyRef;
  cause?: Open<EventCause>;
}
export type BackInServiceEvent = ServiceStateEvent<'backInService'>;
export type OutOfServiceEvent = ServiceStateEvent<'outOfService'>;
export type DeviceMaintenanceEvent = BackInServiceEvent | OutOfServiceEvent;

/** An event this model does not describe (its category is known, its content is not read). */
export type OtherEvent = EventBase<CstaEventCategory, 'other'>;

export type CstaEvent = CallControlEvent | LogicalDeviceFeatureEvent | MessageWaitingEvent | DeviceMaintenanceEvent | OtherEvent;
export type CstaEventName = CstaEvent['name'];
/** The event of a given name: `EventOf<'delivered'>` is `DeliveredEvent`. */
export type EventOf<N extends CstaEventName> = Extract<CstaEvent, { name: N }>;

/** The connection a call event is about (the member that names it differs per event). */
export function connectionOf(e: CallControlEvent): ConnectionRef {
  switch (e.name) {
    case 'callCleared':
      return e.clearedCall;
    case 'conferenced':
    case 'transferred':
      return e.primaryOldCall;
    case 'connectionCleared':
      return e.droppedConnection;
    case 'delivered':
    case 'diverted':
      return e.connection;
    case 'digitsDialed':
      return e.diallingConnection;
    case 'offered':
      return e.offeredConnection;
    case 'established':
      return e.establishedConnection;
    case 'failed':
      return e.failedConnection;
    case 'held':
      return e.heldConnection;
    case 'networkReached':
      return e.outboundConnection;
    case 'originated':
      return e.originatedConnection;
    case 'queued':
      return e.queuedConnection;
    case 'retrieved':
      return e.retrievedConnection;
    case 'serviceInitiated':
      return e.initiatedConnection;
  }
}
