// Between the encoding-free CSTA model (protocols/csta/model) and this stack's ECMA-285 values: requests from
// the model into BER arguments, and BER results, events and the switch's requests back into the model. The
// model has text IDs where ECMA-285 has CHOICEs (DeviceID, ConnectionID, party devices); the names of members and
// enumerations are the same on both sides, which the type checks at the end of this file hold to.
import type {
  ConnectionListEntry,
  ConnectionRef,
  CstaArgs,
  CstaEvent,
  CstaEventCategory,
  CstaFailure,
  CstaResult,
  CstaServiceName,
  CstaSwitchRequest,
  DeviceCategory,
  DeviceRef,
  EventCause,
  FailureErrors,
  ForwardingType,
  LocalConnectionState as ModelLocalConnectionState,
  PartyRef,
  PrivateData,
  SimpleCallState as ModelSimpleCallState,
  SnapshotCallState,
  SwitchingFunctionDevice,
  WithPrivateData,
} from '../csta/model';
import { CstaSessionError } from '../csta/model';
import type { ConnectionID, LocalDeviceID } from './call-connection-identifiers';
import type { ConnectionList, LocalConnectionState } from './connection-states';
import type { ForwardingType as BerForwardingType } from './device-feature-types';
import type { DeviceID, PartyDeviceID, RedirectionDeviceID } from './device-identifiers';
import type { UniversalFailure } from './error-definition';
import { eventCauseValues } from './event-causes';
import { operationErrorValues } from './error-definition';
import type { CSTAEventReportArgument } from './event-report-definitions';
import type { CSTACommonArguments, CSTAPrivateData, NoDataResult } from './extension-types';
import type { EscapeArgument } from './escape-service';
import type { ArgumentOf, ResultOf } from './operations';
import type { CallState } from './snapshot';
import type { DeviceCategory as BerDeviceCategory, SwitchingFunctionDevicesArgument } from './capability-exchange';

// ---- identifiers

function unsupported(what: string): CstaSessionError {
  return new CstaSessionError('CSTA_UNSUPPORTED', `CSTA over BER cannot carry ${what}`);
}

export function deviceIdToBer(d: DeviceRef): DeviceID {
  const out: DeviceID = { deviceIdentifier: identifierToBer(d) };
  if (d.privateNumber !== undefined) out.privateNumber = d.privateNumber;
  if (d.name !== undefined) out.privateName = d.name;
  return out;
}

function identifierToBer(d: DeviceRef): DeviceID['deviceIdentifier'] {
  switch (d.format ?? 'dialingNumber') {
    case 'dialingNumber':
      return { dialingNumber: d.id };
    case 'deviceNumber': {
      if (!/^-?\d+$/.test(d.id)) throw unsupported(`the device number "${d.id}" (not an integer)`);
      return { deviceNumber: Number(d.id) };
    }
    case 'implicitPublic':
      return { implicitPublic: d.id };
    case 'implicitPrivate':
      return { implicitPrivate: d.id };
    case 'explicitPublic':
      return { explicitPublic: { [d.typeOfNumber ?? 'unknown']: d.id } } as DeviceID['deviceIdentifier'];
    case 'explicitPrivate':
      return { explicitPrivate: { [d.typeOfNumber ?? 'unknown']: d.id } } as DeviceID['deviceIdentifier'];
    case 'other':
      return { other: d.id };
  }
}

export function deviceIdFromBer(d: DeviceID): DeviceRef {
  const id = d.deviceIdentifier as Record<string, unknown>;
  let out: DeviceRef;
  // a dialing number is nearly every device a PBX reports: tested first, and written without a format
  if (typeof id.dialingNumber === 'string') out = { id: id.dialingNumber };
  else {
    const [format] = Object.keys(id) as (keyof typeof id & DeviceRef['format'])[];
    const v = id[format];
    if (typeof v === 'string' || typeof v === 'number') out = { id: String(v), format };
    else {
      const [typeOfNumber] = Object.keys(v as object);
      out = { id: (v as Record<string, string>)[typeOfNumber], format, typeOfNumber: typeOfNumber as DeviceRef['typeOfNumber'] };
    }
  }
  if (d.privateNumber !== undefined) out.privateNumber = d.privateNumber;
  if (d.privateName !== undefined) out.name = d.privateName;
  return out;
}

/** Calling, called, subject … devices (and redirection devices, whose device alternative is `numberdialed`). */
export function partyFromBer(p: PartyDeviceID | RedirectionDeviceID): PartyRef {
  if ('deviceIdentifier' in p) return deviceIdFromBer(p.deviceIdentifier);
  if ('numberdialed' in p) return deviceIdFromBer(p.numberdialed);
  const [unavailable] = Object.keys(p) as ('notKnown' | 'restricted' | 'notRequired' | 'notSpecified')[];
  return { unavailable };
}

export function partyToBer(p: PartyRef): PartyDeviceID {
  if ('id' in p) return { deviceIdentifier: deviceIdToBer(p) };
  if (p.unavailable !== 'notKnown' && p.unavailable !== 'restricted') throw unsupported(`a calling or called device that is "${p.unavailable}"`);
  return { [p.unavailable]: null } as PartyDeviceID;
}

function localDeviceToBer(c: ConnectionRef): LocalDeviceID | undefined {
  if (c.device) return { staticID: deviceIdToBer(c.device) };
  if (c.dynamicDeviceId !== undefined) return { dynamicID: c.dynamicDeviceId };
  return undefined;
}

export function connectionToBer(c: ConnectionRef): ConnectionID {
  const device = localDeviceToBer(c);
  if (c.callId !== undefined && device) return { both: { callID: c.callId, deviceID: device } };
  if (c.callId !== undefined) return { callID: c.callId };
  if (device) return { deviceID: device };
  throw unsupported('a connection that names neither a call nor a device');
}

function localDeviceFromBer(l: LocalDeviceID, into: ConnectionRef): ConnectionRef {
  if ('staticID' in l) into.device = deviceIdFromBer(l.staticID);
  else into.dynamicDeviceId = l.dynamicID;
  return into;
}

export function connectionFromBer(c: ConnectionID): ConnectionRef {
  if ('both' in c) return localDeviceFromBer(c.both.deviceID, { callId: c.both.callID });
  if ('callID' in c) return { callId: c.callID };
  return localDeviceFromBer(c.deviceID, {});
}

function connectionListFromBer(list: ConnectionList): ConnectionListEntry[] {
  return list.map((e) => {
    const out: ConnectionListEntry = {};
    if (e.newConnection) out.newConnection = connectionFromBer(e.newConnection);
    if (e.oldConnection) out.oldConnection = connectionFromBer(e.oldConnection);
    if (e.endpoint) out.endpoint = 'deviceID' in e.endpoint ? deviceIdFromBer(e.endpoint.deviceID) : { unavailable: 'notKnown' in e.endpoint ? 'notKnown' : 'restricted' };
    return out;
  });
}

// ---- private data

export function privateDataToBer(p: PrivateData): CSTAPrivateData {
  if (p.format === 'octets') return { string: p.value };
  if (p.format === 'ber') return { private: p.value };
  throw unsupported('private data written as XML');
}

export function privateDataFromBer(p: CSTAPrivateData): PrivateData {
  return 'string' in p ? { format: 'octets', value: p.string } : { format: 'ber', value: p.private };
}

function extensionsToBer(w: WithPrivateData): { extensions?: CSTACommonArguments } {
  return w.privateData?.length ? { extensions: { privateData: w.privateData.map(privateDataToBer) } } : {};
}

function privateDataOf(ext: CSTACommonArguments | undefined): WithPrivateData {
  return ext?.privateData?.length ? { privateData: ext.privateData.map(privateDataFromBer) } : {};
}

// ---- enumerations: an unnamed number travels as its digits

const text = <T extends string>(v: T | number): T => (typeof v === 'number' ? (String(v) as T) : v);

// ---- requests: model arguments -> ECMA-285 arguments

/** Model services this stack has no ECMA-285 operation for (yet): a BER session refuses them as CSTA_UNSUPPORTED. */
export const BER_UNSUPPORTED_SERVICES = [
  'systemRegister', 'systemRegisterCancel', 'requestSystemStatus', 'snapshotCall', 'setMessageWaitingIndicator',
  'getMessageWaitingIndicator', 'getLogicalDeviceInformation', 'getCSTAFeatures',
] as const satisfies readonly CstaServiceName[];
export type BerServiceName = Exclude<CstaServiceName, (typeof BER_UNSUPPORTED_SERVICES)[number]>;

type ToBer = { [S in BerServiceName]: (a: CstaArgs<S>) => ArgumentOf<S> };

/** Copies the members that are the same on both sides (text, numbers, booleans, enumeration names). */
function same<T extends object, K extends keyof T>(a: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (a[k] !== undefined) out[k] = a[k];
  return out;
}

const heldAndActive = (a: CstaArgs<'transferCall'>) => ({ heldCall: connectionToBer(a.heldCall), activeCall: connectionToBer(a.activeCall), ...extensionsToBer(a) });

export const argumentsToBer: ToBer = {
  monitorStart: (a) => ({
    monitorObject: 'device' in a.monitorObject ? { deviceObject: deviceIdToBer(a.monitorObject.device) } : { callObject: connectionToBer(a.monitorObject.call) },
    ...(a.requestedMonitorFilter ? { requestedMonitorFilter: a.requestedMonitorFilter as ArgumentOf<'monitorStart'>['requestedMonitorFilter'] } : {}),
    ...same(a, ['monitorType'] as const),
    ...extensionsToBer(a),
  }),
  monitorStop: (a) => ({ crossRefIdentifier: a.crossRefIdentifier, ...extensionsToBer(a) }),
  snapshotDevice: (a) => ({ snapshotObject: deviceIdToBer(a.snapshotObject), ...extensionsToBer(a) }),
  getSwitchingFunctionDevices: (a) => ({
    ...(a.requestedDeviceID ? { requestedDeviceID: deviceIdToBer(a.requestedDeviceID) } : {}),
    ...same(a, ['requestedDeviceCategory'] as const),
    ...extensionsToBer(a),
  }),
  makeCall: (a) => ({
    callingDevice: deviceIdToBer(a.callingDevice),
    calledDirectoryNumber: deviceIdToBer(a.calledDirectoryNumber),
    ...same(a, ['accountCode', 'authCode', 'autoOriginate', 'correlatorData', 'subjectOfCall'] as const),
    ...extensionsToBer(a),
  }),
  answerCall: (a) => ({ callToBeAnswered: connectionToBer(a.callToBeAnswered), ...extensionsToBer(a) }),
  clearConnection: (a) => ({ connectionToBeCleared: connectionToBer(a.connectionToBeCleared), ...same(a, ['reason'] as const), ...extensionsToBer(a) }),
  holdCall: (a) => ({ callToBeHeld: connectionToBer(a.callToBeHeld), ...same(a, ['connectionReservation'] as const), ...extensionsToBer(a) }),
  retrieveCall: (a) => ({ callToBeRetrieved: connectionToBer(a.callToBeRetrieved), ...extensionsToBer(a) }),
  alternateCall: (a) => ({ ...heldAndActive(a), ...same(a, ['connectionReservation', 'consultOptions'] as const) }),
  consultationCall: (a) => ({
    existingCall: connectionToBer(a.existingCall),
    consultedDevice: deviceIdToBer(a.consultedDevice),
    ...same(a, ['connectionReservation', 'consultOptions', 'accountCode', 'authCode', 'correlatorData', 'subjectOfCall'] as const),
    ...extensionsToBer(a),
  }),
  transferCall: heldAndActive,
  conferenceCall: heldAndActive,
  singleStepTransferCall: (a) => ({
    activeCall: connectionToBer(a.activeCall),
    transferredTo: deviceIdToBer(a.transferredTo),
    ...same(a, ['accountCode', 'authCode', 'correlatorData', 'subjectOfCall', 'reason'] as const),
    ...extensionsToBer(a),
  }),
  deflectCall: (a) => ({ callToBeDiverted: connectionToBer(a.callToBeDiverted), newDestination: deviceIdToBer(a.newDestination), ...same(a, ['reason'] as const), ...extensionsToBer(a) }),
  directedPickupCall: (a) => ({ callToBePickedUp: connectionToBer(a.callToBePickedUp), requestingDevice: deviceIdToBer(a.requestingDevice), ...extensionsToBer(a) }),
  dialDigits: (a) => ({ diallingConnection: connectionToBer(a.diallingConnection), diallingSequence: deviceIdToBer(a.diallingSequence), ...extensionsToBer(a) }),
  callBack: (a) => ({ callbackConnection: connectionToBer(a.callbackConnection), ...extensionsToBer(a) }),
  callBackNonCallRelated: (a) => ({ originatingDevice: deviceIdToBer(a.originatingDevice), targetDevice: deviceIdToBer(a.targetDevice), ...extensionsToBer(a) }),
  intrudeCall: (a) => ({ intrude: connectionToBer(a.intrude), ...same(a, ['participationType'] as const), ...extensionsToBer(a) }),
  generateDigits: (a) => ({
    connectionToSendDigits: connectionToBer(a.connectionToSendDigits),
    ...same(a, ['charactersToSend', 'digitMode', 'toneDuration', 'pulseRate', 'pauseDuration'] as const),
    ...extensionsToBer(a),
  }),
  setForwarding: (a) => ({
    device: deviceIdToBer(a.device),
    ...same(a, ['forwardingType', 'activateForward', 'ringCount', 'ringDuration'] as const),
    ...(a.forwardDN ? { forwardDN: deviceIdToBer(a.forwardDN) } : {}),
    ...extensionsToBer(a),
  }),
  getForwarding: (a) => ({ device: deviceIdToBer(a.device), ...extensionsToBer(a) }),
  setDoNotDisturb: (a) => ({
    device: deviceIdToBer(a.device),
    ...same(a, ['doNotDisturbOn', 'callOrigination'] as const),
    ...(a.callingDeviceList ? { callingDeviceList: a.callingDeviceList.map(deviceIdToBer) } : {}),
    ...extensionsToBer(a),
  }),
  getDoNotDisturb: (a) => ({ device: deviceIdToBer(a.device), ...extensionsToBer(a) }),
  systemStatus: (a) => ({ systemStatus: a.systemStatus, ...extensionsToBer(a) }),
  escape: (a) => ({ privateData: privateDataToBer(a.privateData) }),
};

// ---- answers: ECMA-285 results -> model results

type FromBer = { [S in BerServiceName]: (r: ResultOf<S>) => CstaResult<S> };

function noData(r: NoDataResult): WithPrivateData {
  return 'extensions' in r ? privateDataOf(r.extensions) : {};
}

function snapshotStateFromBer(s: CallState): SnapshotCallState {
  if ('compoundCallState' in s) return { compound: s.compoundCallState.map(text) };
  if ('simpleCallState' in s) return { simple: text(s.simpleCallState) };
  return { unknown: true };
}

export const resultsFromBer: FromBer = {
  monitorStart: (r) => ({
    crossRefIdentifier: r.crossRefIdentifier,
    ...(r.actualmonitorFilter ? { actualMonitorFilter: r.actualmonitorFilter } : {}),
    ...same(r, ['monitorExistingCalls'] as const),
    ...privateDataOf(r.extensions),
  }),
  monitorStop: noData,
  snapshotDevice: (r) => {
    const c = r.crossRefIDorSnapshotData;
    if ('serviceCrossRefID' in c) return { calls: [], serviceCrossRefID: c.serviceCrossRefID, ...privateDataOf(r.extensions) };
    return {
      calls: c.snapshotData.map((i) => ({
        connectionIdentifier: connectionFromBer(i.connectionIdentifier),
        ...(i.endpointDevice ? { endpointDevice: partyFromBer(i.endpointDevice) } : {}),
        localCallState: snapshotStateFromBer(i.localCallState),
      })),
      ...privateDataOf(r.extensions),
    };
  },
  getSwitchingFunctionDevices: (r) => ({ serviceCrossRefID: r.serviceCrossRefID, ...privateDataOf(r.extensions) }),
  makeCall: (r) => ({ callingDevice: connectionFromBer(r.callingDevice), ...privateDataOf(r.extensions) }),
  answerCall: noData,
  clearConnection: noData,
  holdCall: noData,
  retrieveCall: noData,
  alternateCall: noData,
  consultationCall: (r) => ({ initiatedCall: connectionFromBer(r.initiatedCall), ...privateDataOf(r.extensions) }),
  transferCall: (r) => ({ transferredCall: connectionFromBer(r.transferredCall), ...(r.connections ? { connections: connectionListFromBer(r.connections) } : {}), ...privateDataOf(r.extensions) }),
  conferenceCall: (r) => ({ conferenceCall: connectionFromBer(r.conferenceCall), ...(r.connections ? { connections: connectionListFromBer(r.connections) } : {}), ...privateDataOf(r.extensions) }),
  singleStepTransferCall: (r) => ({ transferredCall: connectionFromBer(r.transferredCall), ...(r.connections ? { connections: connectionListFromBer(r.connections) } : {}), ...privateDataOf(r.extensions) }),
  deflectCall: noData,
  directedPickupCall: (r) => ({ ...(r.pickedCall ? { pickedCall: connectionFromBer(r.pickedCall) } : {}), ...privateDataOf(r.extensions) }),
  callBack: (r) => ({ ...(r.targetDevice ? { targetDevice: deviceIdFromBer(r.targetDevice) } : {}), ...privateDataOf(r.extensions) }),
  callBackNonCallRelated: noData,
  dialDigits: noData,
  intrudeCall: (r) => ({ ...(r.conferencedCall ? { conferencedCall: connectionFromBer(r.conferencedCall) } : {}), ...privateDataOf(r.extensions) }),
  generateDigits: noData,
  setForwarding: noData,
  getForwarding: (r) => ({
    forwardingList: (r.forwardingList ?? []).map((e) => ({
      forwardStatus: e.forwardStatus,
      ...(e.forwardingType !== undefined ? { forwardingType: text(e.forwardingType) } : {}),
      ...(e.forwardDN ? { forwardDN: deviceIdFromBer(e.forwardDN) } : {}),
      ...(e.forwardDefault !== undefined ? { forwardDefault: text(e.forwardDefault) } : {}),
      ...same(e, ['ringCount', 'ringDuration'] as const),
    })),
    ...privateDataOf(r.extensions),
  }),
  setDoNotDisturb: noData,
  getDoNotDisturb: (r) => ({
    doNotDisturbOn: r.doNotDisturbOn,
    ...same(r, ['callOrigination'] as const),
    ...(r.callingDeviceList ? { callingDeviceList: r.callingDeviceList.map(deviceIdFromBer) } : {}),
    ...privateDataOf(r.extensions),
  }),
  systemStatus: noData,
  escape: noData,
};

export function failureFromBer(f: UniversalFailure): CstaFailure {
  const [category] = Object.keys(f) as (keyof UniversalFailure)[];
  const v = (f as Record<string, string | number | null>)[category];
  return (v === null ? { category } : { category, error: String(v) }) as CstaFailure;
}

// ---- what the switch sends: events and requests

const CATEGORIES: Record<string, CstaEventCategory> = {
  callControlEvents: 'callControl',
  callAssociatedEvents: 'callAssociated',
  mediaAttachmentEvents: 'mediaAttachment',
  physicalDeviceFeatureEvents: 'physicalDeviceFeature',
  logicalDeviceFeatureEvents: 'logicalDeviceFeature',
  deviceMaintenanceEvents: 'deviceMaintenance',
  voiceUnitEvents: 'voiceUnit',
  vendorSpecEvents: 'vendorSpecific',
};

type Member = (v: never) => unknown;
const asIs: Member = (v) => v;
const party = partyFromBer as Member;
const conn = connectionFromBer as Member;
const dev = deviceIdFromBer as Member;
const enumText = text as Member;

/**
 * How each member of the modelled events turns into the model, by name: a member name has the same type in every
 * event that has it (a party device, a connection …). Members missing here (services permitted, media
 * characteristics, user data, charging …) are what the model leaves out.
 */
const EVENT_MEMBERS: Record<string, Member> = {
  connection: conn, establishedConnection: conn, droppedConnection: conn, originatedConnection: conn,
  initiatedConnection: conn, heldConnection: conn, retrievedConnection: conn, failedConnection: conn,
  outboundConnection: conn, primaryOldCall: conn, secondaryOldCall: conn, originatingNIDConnection: conn,
  alertingDevice: party, answeringDevice: party, callingDevice: party, calledDevice: party, lastRedirectionDevice: party,
  releasingDevice: party, initiatingDevice: party, holdingDevice: party, retrievingDevice: party, failingDevice: party,
  divertingDevice: party, newDestination: party, networkInterfaceUsed: party, transferringDevice: party,
  transferredToDevice: party, conferencingDevice: party, addedParty: party, device: party, networkCallingDevice: party,
  networkCalledDevice: party, associatedCallingDevice: party, associatedCalledDevice: party,
  originatingDevice: dev, forwardTo: dev,
  transferredConnections: connectionListFromBer as Member, conferenceConnections: connectionListFromBer as Member,
  callingDeviceList: ((l: DeviceID[]) => l.map(deviceIdFromBer)) as Member,
  localConnectionInfo: enumText, cause: enumText, forwardingType: enumText, forwardDefault: enumText,
  correlatorData: asIs, subjectOfCall: asIs, doNotDisturbOn: asIs, forwardStatus: asIs, callOrigination: asIs,
  ringCount: asIs, ringDuration: asIs,
  extensions: ((e: CSTACommonArguments) => privateDataOf(e).privateData) as Member,
};

/** An event report as the model's event; events this stack does not model become `name: 'other'`. */
export function eventFromBer(arg: CSTAEventReportArgument): CstaEvent {
  const info = arg.eventSpecificInfo as Record<string, unknown>;
  let berCategory = '';
  for (const k in info) berCategory = k;
  const category = CATEGORIES[berCategory];
  const inner = info[berCategory];
  const monitorCrossRefId = arg.crossRefIdentifier;
  let name = 'other';
  if (typeof inner === 'object' && inner !== null) for (const k in inner) name = k;
  if (name === 'other') return { category, name: 'other', monitorCrossRefId };
  const body = (inner as Record<string, Record<string, unknown>>)[name];
  const out: Record<string, unknown> = { category, name, monitorCrossRefId };
  for (const k in body) {
    const convert = EVENT_MEMBERS[k];
    const v = body[k];
    if (convert && v !== undefined) {
      const key = k === 'extensions' ? 'privateData' : k;
      const converted = convert(v as never);
      if (converted !== undefined) out[key] = converted;
    }
  }
  return out as unknown as CstaEvent;
}

function deviceListEntryFromBer(e: SwitchingFunctionDevicesArgument['deviceList'][number]): SwitchingFunctionDevice {
  const out: SwitchingFunctionDevice = { deviceID: deviceIdFromBer(e.deviceID) };
  if (e.deviceCategory !== undefined) out.deviceCategory = text(e.deviceCategory);
  if (e.namedDeviceTypes !== undefined) out.namedDeviceTypes = text(e.namedDeviceTypes);
  if (e.deviceAttributes) out.deviceAttributes = e.deviceAttributes;
  if (e.deviceModelName !== undefined) out.deviceModelName = e.deviceModelName;
  if (e.nidGroup) out.nidGroup = deviceIdFromBer(e.nidGroup);
  return out;
}

/** A service the switch invoked, as the model's request; undefined for services the model has no request for. */
export function switchRequestFromBer(operation: string | undefined, argument: unknown): CstaSwitchRequest | undefined {
  if (operation === 'switchingFunctionDevices') {
    const a = argument as SwitchingFunctionDevicesArgument;
    return {
      service: 'switchingFunctionDevices',
      args: {
        serviceCrossRefID: a.serviceCrossRefID,
        ...(a.segmentID !== undefined ? { segmentID: a.segmentID } : {}),
        lastSegment: a.lastSegment,
        deviceList: a.deviceList.map(deviceListEntryFromBer),
        ...privateDataOf(a.extensions),
      },
    };
  }
  if (operation === 'escape') return { service: 'escape', args: { privateData: privateDataFromBer((argument as EscapeArgument).privateData) } };
  return undefined;
}

// ---- the model's enumerations are ECMA-285's names: a name added or spelt differently on one side stops compiling

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAgree: [
  Same<keyof typeof eventCauseValues, EventCause>,
  Same<Exclude<LocalConnectionState, number>, ModelLocalConnectionState>,
  Same<Exclude<BerForwardingType, number>, ForwardingType>,
  Same<Exclude<Extract<CallState, { simpleCallState: unknown }>['simpleCallState'], number>, ModelSimpleCallState>,
  Same<keyof typeof operationErrorValues, FailureErrors['operation']>,
  Same<Exclude<BerDeviceCategory, number>, DeviceCategory>,
] = [true, true, true, true, true, true];
void namesAgree;
