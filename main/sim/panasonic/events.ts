import {
  callControlEventReport,
  connectionId,
  dialingNumber,
  type ConnectionID,
  type ConnectionList,
  type CSTAEventReportArgument,
  type DeviceID,
  type PartyDeviceID,
  type RedirectionDeviceID,
} from './csta';
import type { CallEvent, CallRecord, ConnRef, FeatureEvent, LocalConnectionState } from './call-model';

/**
 * The switch's abstract events as ECMA-285 values: which EventReport each monitor gets, and the CDR items.
 * Devices travel as dialing numbers; connections in the `both` form (call ID + static device) as Panasonic sends
 * them. Call IDs are the model's decimal numbers sent as 2-byte OCTET STRINGs.
 */

export function callIdToWire(callID: string): string {
  return (Number(callID) & 0xffff).toString(16).padStart(4, '0');
}

export function callIdFromWire(hex: string): string {
  return String(parseInt(hex || '0', 16));
}

export function dev(number: string): DeviceID {
  return dialingNumber(number);
}

export function conn(ref: ConnRef): ConnectionID {
  return connectionId(callIdToWire(ref.callID), dev(ref.deviceID));
}

function party(number: string | undefined): PartyDeviceID {
  return number ? { deviceIdentifier: dev(number) } : { notKnown: null };
}

function redirection(number: string | undefined): RedirectionDeviceID {
  return number ? { numberdialed: dev(number) } : { notKnown: null };
}

function connectionList(refs: ConnRef[] | undefined): ConnectionList {
  return (refs ?? []).map((r) => ({ newConnection: conn(r), endpoint: { deviceID: dev(r.deviceID) } }));
}

/** The two calls a transfer or conference joins. */
function joined(e: CallEvent) {
  return { primaryOldCall: conn(e.connection), ...(e.secondaryOldCall ? { secondaryOldCall: conn(e.secondaryOldCall) } : {}) };
}

/** The EventReport argument one monitor receives for a call event, given its device's local state. */
export function callEventReport(crossRefID: string, e: CallEvent, localConnectionInfo: LocalConnectionState): CSTAEventReportArgument {
  const cause = e.cause;
  const c = conn(e.connection);
  const subject = party(e.subjectDevice);
  const common = { localConnectionInfo, cause };
  const callParties = { callingDevice: party(e.callingDevice), calledDevice: party(e.calledDevice), lastRedirectionDevice: redirection(e.lastRedirectionDevice) };
  switch (e.name) {
    case 'serviceInitiated':
      return callControlEventReport(crossRefID, 'serviceInitiated', { initiatedConnection: c, initiatingDevice: subject, ...common });
    case 'originated':
      return callControlEventReport(crossRefID, 'originated', { originatedConnection: c, callingDevice: subject, calledDevice: party(e.calledDevice), ...common });
    case 'delivered':
      return callControlEventReport(crossRefID, 'delivered', { connection: c, alertingDevice: subject, ...callParties, ...common });
    case 'established':
      return callControlEventReport(crossRefID, 'established', { establishedConnection: c, answeringDevice: subject, ...callParties, ...common });
    case 'held':
      return callControlEventReport(crossRefID, 'held', { heldConnection: c, holdingDevice: subject, ...common });
    case 'retrieved':
      return callControlEventReport(crossRefID, 'retrieved', { retrievedConnection: c, retrievingDevice: subject, ...common });
    case 'connectionCleared':
      return callControlEventReport(crossRefID, 'connectionCleared', { droppedConnection: c, releasingDevice: subject, ...common });
    case 'diverted':
      return callControlEventReport(crossRefID, 'diverted', { connection: c, divertingDevice: subject, newDestination: party(e.otherDevice), ...callParties, ...common });
    case 'networkReached':
      return callControlEventReport(crossRefID, 'networkReached', { outboundConnection: c, networkInterfaceUsed: subject, ...callParties, ...common });
    case 'failed':
      return callControlEventReport(crossRefID, 'failed', { failedConnection: c, failingDevice: subject, ...callParties, ...common });
    case 'transferred':
      return callControlEventReport(crossRefID, 'transferred', {
        ...joined(e),
        transferringDevice: subject,
        transferredToDevice: party(e.otherDevice),
        transferredConnections: connectionList(e.connections),
        ...common,
      });
    case 'conferenced':
      return callControlEventReport(crossRefID, 'conferenced', {
        ...joined(e),
        conferencingDevice: subject,
        addedParty: party(e.otherDevice),
        conferenceConnections: connectionList(e.connections),
        ...common,
      });
  }
}

export function featureEventReport(crossRefID: string, e: FeatureEvent): CSTAEventReportArgument {
  const device = party(e.device);
  if (e.name === 'outOfService' || e.name === 'backInService') {
    const maintenance = e.name === 'outOfService' ? { outOfService: { device } } : { backInService: { device } };
    return { crossRefIdentifier: crossRefID, eventSpecificInfo: { deviceMaintenanceEvents: maintenance } };
  }
  if (e.name === 'doNotDisturb') {
    return { crossRefIdentifier: crossRefID, eventSpecificInfo: { logicalDeviceFeatureEvents: { doNotDisturb: { device, doNotDisturbOn: e.on } } } };
  }
  return {
    crossRefIdentifier: crossRefID,
    eventSpecificInfo: { logicalDeviceFeatureEvents: { forwarding: { device, forwardingType: e.type, forwardStatus: e.on, ...(e.to ? { forwardTo: dev(e.to) } : {}) } } },
  };
}

/** GeneralizedTime "YYYYMMDDhhmmssZ" from an ISO time. */
function generalizedTime(iso: string): string {
  return iso.replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** One CDRInformationItem per finished call. */
export function cdrItem(r: CallRecord, recordNumber: number) {
  return {
    recordNumber,
    recordCreationTime: generalizedTime(r.endTime),
    callingDevice: party(r.callingDevice),
    calledDevice: party(r.calledDevice),
    recordedCall: connectionId(callIdToWire(r.callID), dev(r.callingDevice)),
    connectionStart: generalizedTime(r.answerTime ?? r.startTime),
    connectionEnd: generalizedTime(r.endTime),
    connectionDuration: r.durationSeconds,
    reasonForTerm: r.answerTime ? (r.condition === 'tr' ? ('callTransferred' as const) : ('normalClearing' as const)) : ('unsuccessfulCallAttempt' as const),
    ...(r.condition === 'fw' ? { billingID: 'callForwarding' as const } : r.condition === 'tr' ? { billingID: 'callTransfer' as const } : {}),
  };
}
