// The ECMA-323 documents of the subset, one table row each: the root element and its members in the order they
// are written (readers take them in any order). Member names are the standard's; where the model's name differs
// (`monitorCrossRefID` -> `crossRefIdentifier` / `monitorCrossRefId`), `key` says so. `xsd/csta-subset.xsd` is the
// hand transcription these rows are checked against.
import type { CstaEventCategory, CstaServiceName, PartyRef, PrivateData, SnapshotCallState } from '../csta/model';
import { CstaXmlError } from './errors';
import {
  bool,
  child,
  connection,
  connectionList,
  device,
  deviceList,
  extensionsFromXml as extensionsOf,
  extensionsToXml as extensionsXml,
  flags,
  int,
  missing,
  monitorFilter,
  party,
  privateItemFromXml,
  privateItemToXml,
  text,
  type Kind,
} from './members';
import { leaf, type XmlEl } from './xml';

export interface Member {
  xml: string;
  key: string;
  kind: Kind<never>;
  /** Required: a missing party reads as notKnown, anything else missing is CSTA_XML_MISSING. */
  req?: boolean;
  /** The element carries several model members: `enc` gets the whole value, `dec` returns members to merge. */
  spread?: boolean;
}
export interface MessageSpec {
  root: string;
  members: Member[];
}

const m = (xml: string, kind: Kind<never>, o: { key?: string; req?: boolean; spread?: boolean } = {}): Member => ({ xml, key: o.key ?? xml, kind, req: o.req, spread: o.spread });
const req = (xml: string, kind: Kind<never>, key?: string): Member => m(xml, kind as Kind<never>, { key, req: true });
type K = Kind<never>;
const T = text as K, I = int as K, B = bool as K, D = device as K, P = party as K, C = connection as K, CL = connectionList as K, F = flags as K, DL = deviceList as K;

// ---- structures used by one service each

const monitorObject: K = {
  enc: (n, o: { device: never } | { call: never }) => `<${n}>${'device' in o ? device.enc('deviceObject', o.device) : connection.enc('callObject', o.call)}</${n}>`,
  dec: (el) => {
    const d = child(el, 'deviceObject');
    if (d) return { device: device.dec(d) } as never;
    const c = child(el, 'callObject');
    if (c) return { call: connection.dec(c) } as never;
    // <monitorObject>201</monitorObject>
    if (el.text.trim()) return { device: device.dec(el) } as never;
    throw missing(el, 'deviceObject');
  },
};

const snapshotState = {
  enc: (s: SnapshotCallState): string => {
    if ('compound' in s) return `<localCallState><compoundCallState>${s.compound.map((x) => leaf('localConnectionState', x)).join('')}</compoundCallState></localCallState>`;
    if ('simple' in s) return `<localCallState>${leaf('simpleCallState', s.simple)}</localCallState>`;
    return '<localCallState><unknown/></localCallState>';
  },
  dec: (el: XmlEl | undefined): SnapshotCallState => {
    const compound = el && child(el, 'compoundCallState');
    if (compound) return { compound: compound.children.filter((c) => c.name === 'localConnectionState').map((c) => c.text.trim()) };
    const simple = el && child(el, 'simpleCallState');
    if (simple) return { simple: simple.text.trim() };
    return { unknown: true };
  },
};

/** `crossRefIDorSnapshotData`: either the cross reference the data follows under, or the data. */
function crossRefOrData<T>(itemName: string, listKey: string, item: { enc: (v: T) => string; dec: (el: XmlEl) => T }): K {
  return {
    enc: (n, r: Record<string, unknown>) =>
      r.serviceCrossRefID !== undefined
        ? `<${n}>${leaf('serviceCrossRefID', r.serviceCrossRefID as string)}</${n}>`
        : `<${n}><snapshotData>${(r[listKey] as T[]).map((i) => `<${itemName}>${item.enc(i)}</${itemName}>`).join('')}</snapshotData></${n}>`,
    dec: (el) => {
      const x = child(el, 'serviceCrossRefID');
      if (x) return { [listKey]: [], serviceCrossRefID: x.text.trim() } as never;
      const data = child(el, 'snapshotData');
      return { [listKey]: (data?.children ?? []).filter((c) => c.name === itemName).map(item.dec) } as never;
    },
  };
}

const snapshotDeviceData = crossRefOrData('snapshotDeviceResponseInfo', 'calls', {
  enc: (i: { connectionIdentifier: never; endpointDevice?: PartyRef; localCallState: SnapshotCallState }) =>
    connection.enc('connectionIdentifier', i.connectionIdentifier) + (i.endpointDevice ? party.enc('endpointDevice', i.endpointDevice) : '') + snapshotState.enc(i.localCallState),
  dec: (el) => {
    const c = child(el, 'connectionIdentifier');
    if (!c) throw missing(el, 'connectionIdentifier');
    const e = child(el, 'endpointDevice');
    return { connectionIdentifier: connection.dec(c) as never, ...(e ? { endpointDevice: party.dec(e) } : {}), localCallState: snapshotState.dec(child(el, 'localCallState')) };
  },
});

const snapshotCallData = crossRefOrData('snapshotCallResponseInfo', 'participants', {
  enc: (i: { deviceOnCall: PartyRef; callIdentifier?: never; localConnectionState?: string }) =>
    party.enc('deviceOnCall', i.deviceOnCall) + (i.callIdentifier ? connection.enc('callIdentifier', i.callIdentifier) : '') + (i.localConnectionState !== undefined ? leaf('localConnectionState', i.localConnectionState) : ''),
  dec: (el) => {
    const d = child(el, 'deviceOnCall');
    const c = child(el, 'callIdentifier');
    const s = child(el, 'localConnectionState');
    return { deviceOnCall: d ? party.dec(d) : { unavailable: 'notKnown' as const }, ...(c ? { callIdentifier: connection.dec(c) as never } : {}), ...(s ? { localConnectionState: s.text.trim() } : {}) };
  },
});

const forwardListItem: MessageSpec = {
  root: 'forwardListItem',
  members: [m('forwardingType', T), req('forwardStatus', B), m('forwardDN', D), m('forwardDefault', T), m('ringCount', I), m('ringDuration', I)],
};
const forwardingList: K = {
  enc: (n, list: Record<string, unknown>[]) => `<${n}>${list.map((e) => writeMembers(forwardListItem, e, false)).join('')}</${n}>`,
  dec: (el) => el.children.filter((c) => c.name === 'forwardListItem').map((c) => readMembers(forwardListItem, c, false)) as never,
};

const sfDevice: MessageSpec = {
  root: 'device',
  members: [req('deviceID', D), m('deviceCategory', T), m('namedDeviceTypes', T), m('deviceAttributes', F), m('deviceModelName', T), m('nidGroup', D)],
};
const sfDeviceList: K = {
  enc: (n, list: Record<string, unknown>[]) => `<${n}>${list.map((e) => writeMembers(sfDevice, e, false)).join('')}</${n}>`,
  dec: (el) => el.children.filter((c) => c.name === 'device').map((c) => readMembers(sfDevice, c, false)) as never,
};

/** Escape's one private data item (`<privateData><string>hex</string></privateData>` or `<private>…</private>`). */
const escapeData: K = {
  enc: (n, pd: PrivateData) => `<${n}>${privateItemToXml(pd)}</${n}>`,
  dec: (el) => {
    const item = privateItemFromXml(el);
    if (!item) throw missing(el, 'private');
    return item as never;
  },
};

// ---- services: request and response

const NO_MEMBERS: Member[] = [];
const held = [req('heldCall', C), req('activeCall', C)];
const withConnections = (first: string) => [req(first, C), m('connections', CL)];

export const SERVICES: Record<CstaServiceName | 'switchingFunctionDevices', { request: MessageSpec; response: MessageSpec }> = {} as never;
function service(name: CstaServiceName | 'switchingFunctionDevices', root: string, request: Member[], response: Member[] = NO_MEMBERS): void {
  SERVICES[name] = { request: { root, members: request }, response: { root: `${root}Response`, members: response } };
}

service('monitorStart', 'MonitorStart', [req('monitorObject', monitorObject), m('requestedMonitorFilter', monitorFilter as K), m('monitorType', T)], [
  req('monitorCrossRefID', T, 'crossRefIdentifier'), m('actualMonitorFilter', monitorFilter as K), m('monitorExistingCalls', B),
]);
service('monitorStop', 'MonitorStop', [req('monitorCrossRefID', T, 'crossRefIdentifier')]);
service('snapshotDevice', 'SnapshotDevice', [req('snapshotObject', D)], [m('crossRefIDorSnapshotData', snapshotDeviceData, { req: true, spread: true })]);
service('snapshotCall', 'SnapshotCall', [req('snapshotObject', C)], [m('crossRefIDorSnapshotData', snapshotCallData, { req: true, spread: true })]);
service('getSwitchingFunctionDevices', 'GetSwitchingFunctionDevices', [m('requestedDeviceID', D), m('requestedDeviceCategory', T)], [req('serviceCrossRefID', T)]);
service('switchingFunctionDevices', 'SwitchingFunctionDevices', [req('serviceCrossRefID', T), m('segmentID', I), req('lastSegment', B), req('deviceList', sfDeviceList)]);
service('makeCall', 'MakeCall', [
  req('callingDevice', D), req('calledDirectoryNumber', D), m('accountCode', T), m('authCode', T), m('autoOriginate', T), m('correlatorData', T), m('subjectOfCall', T),
], [req('callingDevice', C)]);
service('answerCall', 'AnswerCall', [req('callToBeAnswered', C)]);
service('clearConnection', 'ClearConnection', [req('connectionToBeCleared', C), m('reason', T)]);
service('holdCall', 'HoldCall', [req('callToBeHeld', C), m('connectionReservation', B)]);
service('retrieveCall', 'RetrieveCall', [req('callToBeRetrieved', C)]);
service('alternateCall', 'AlternateCall', [...held, m('connectionReservation', B), m('consultOptions', T)]);
service('consultationCall', 'ConsultationCall', [
  req('existingCall', C), req('consultedDevice', D), m('connectionReservation', B), m('accountCode', T), m('authCode', T), m('consultOptions', T), m('correlatorData', T), m('subjectOfCall', T),
], [req('initiatedCall', C)]);
service('transferCall', 'TransferCall', held, withConnections('transferredCall'));
service('conferenceCall', 'ConferenceCall', held, withConnections('conferenceCall'));
service('singleStepTransferCall', 'SingleStepTransferCall', [
  req('activeCall', C), req('transferredTo', D), m('accountCode', T), m('authCode', T), m('correlatorData', T), m('subjectOfCall', T), m('reason', T),
], withConnections('transferredCall'));
service('deflectCall', 'DeflectCall', [req('callToBeDiverted', C), req('newDestination', D), m('reason', T)]);
service('directedPickupCall', 'DirectedPickupCall', [req('callToBePickedUp', C), req('requestingDevice', D)], [m('pickedCall', C)]);
service('dialDigits', 'DialDigits', [req('diallingConnection', C), req('diallingSequence', D)]);
service('callBack', 'CallBackCallRelated', [req('callbackConnection', C)], [m('targetDevice', D)]);
service('callBackNonCallRelated', 'CallBackNonCallRelated', [req('originatingDevice', D), req('targetDevice', D)]);
service('intrudeCall', 'IntrudeCall', [req('intrude', C), m('participationType', T)], [m('conferencedCall', C)]);
service('generateDigits', 'GenerateDigits', [
  req('connectionToSendDigits', C), m('digitMode', T), req('charactersToSend', T), m('toneDuration', I), m('pulseRate', I), m('pauseDuration', I),
]);
service('setForwarding', 'SetForwarding', [req('device', D), m('forwardingType', T), req('activateForward', B), m('forwardDN', D), m('ringCount', I), m('ringDuration', I)]);
service('getForwarding', 'GetForwarding', [req('device', D)], [m('forwardingList', forwardingList, { req: true })]);
service('setDoNotDisturb', 'SetDoNotDisturb', [req('device', D), req('doNotDisturbOn', B), m('callOrigination', F), m('callingDeviceList', DL)]);
service('getDoNotDisturb', 'GetDoNotDisturb', [req('device', D)], [req('doNotDisturbOn', B), m('callOrigination', F), m('callingDeviceList', DL)]);
service('systemStatus', 'SystemStatus', [req('systemStatus', T)]);
service('escape', 'Escape', [req('privateData', escapeData)]);
service('systemRegister', 'SystemRegister', [req('requestTypes', F)], [req('sysStatRegisterID', T)]);
service('systemRegisterCancel', 'SystemRegisterCancel', [req('sysStatRegisterID', T)]);
service('requestSystemStatus', 'RequestSystemStatus', NO_MEMBERS, [req('systemStatus', T)]);
service('setMessageWaitingIndicator', 'SetMessageWaitingIndicator', [req('device', D), req('messageWaitingOn', B)]);
service('getMessageWaitingIndicator', 'GetMessageWaitingIndicator', [req('device', D)], [req('messageWaitingOn', B)]);
// UNSURE: ECMA-323's full GetLogicalDeviceInformationResponse; these members are the ones the products read
service('getLogicalDeviceInformation', 'GetLogicalDeviceInformation', [req('device', D)], [
  m('deviceCategory', T), m('namedDeviceTypes', T), m('maxActiveCalls', I), m('maxHeldCalls', I), m('maxFwdSettings', I), m('maxDevicesInConf', I),
]);

/**
 * GetCSTAFeaturesResponse's `supportedServices`: ECMA-323 groups the services (`callControlServList`, …) as empty
 * elements named like the request. Written in groups; read as every leaf under it, whatever the group (the group
 * names are a transcription, so a switch that groups otherwise still reads).
 */
const SERVICE_GROUPS: Record<string, string> = {
  callControlServList: 'alternateCall answerCall clearConnection conferenceCall consultationCall deflectCall directedPickupCall holdCall intrudeCall makeCall retrieveCall singleStepTransferCall transferCall callBack callBackNonCallRelated',
  callAssocServList: 'generateDigits',
  logicalServList: 'getDoNotDisturb getForwarding setDoNotDisturb setForwarding getLogicalDeviceInformation getMessageWaitingIndicator setMessageWaitingIndicator',
  monitoringServList: 'monitorStart monitorStop',
  snapshotServList: 'snapshotCall snapshotDevice',
  systemServList: 'getSwitchingFunctionDevices requestSystemStatus systemRegister systemRegisterCancel systemStatus',
};
const groupOf = (service: string): string => Object.keys(SERVICE_GROUPS).find((g) => SERVICE_GROUPS[g].split(' ').includes(service)) ?? 'callControlServList';
const supportedServices: K = {
  enc: (n, list: string[]) => {
    const groups = new Map<string, string[]>();
    for (const x of list) groups.set(groupOf(x), [...(groups.get(groupOf(x)) ?? []), x]);
    const order = Object.keys(SERVICE_GROUPS).filter((g) => groups.has(g));
    return `<${n}>${order.map((g) => `<${g}>${groups.get(g)!.map((x) => `<${x}/>`).join('')}</${g}>`).join('')}</${n}>`;
  },
  dec: (el) => {
    const out: string[] = [];
    const walk = (e: XmlEl): void => {
      for (const c of e.children) c.children.length === 0 ? out.push(c.name) : walk(c);
    };
    walk(el);
    return out as never;
  },
};
service('getCSTAFeatures', 'GetCSTAFeatures', NO_MEMBERS, [m('supportedServices', supportedServices, { key: 'services', req: true })]);

// ---- events

export interface EventSpec extends MessageSpec {
  name: string;
  category: CstaEventCategory;
}
export const EVENTS: Record<string, EventSpec> = {};
const xref = req('monitorCrossRefID', T, 'monitorCrossRefId');
/** localConnectionInfo, correlatorData and cause close every call event. */
const tail = [m('localConnectionInfo', T), m('correlatorData', T), m('cause', T)];
const parties = [req('callingDevice', P), req('calledDevice', P), req('lastRedirectionDevice', P)];
const network = [m('networkCallingDevice', P), m('networkCalledDevice', P), m('associatedCallingDevice', P), m('associatedCalledDevice', P)];
function event(name: string, category: CstaEventCategory, members: Member[]): void {
  EVENTS[name] = { name, category, root: `${name[0].toUpperCase()}${name.slice(1)}Event`, members: [xref, ...members] };
}

event('callCleared', 'callControl', [req('clearedCall', C), ...tail]);
event('conferenced', 'callControl', [req('primaryOldCall', C), m('secondaryOldCall', C), req('conferencingDevice', P), req('addedParty', P), req('conferenceConnections', CL), ...tail]);
event('connectionCleared', 'callControl', [req('droppedConnection', C), req('releasingDevice', P), ...tail]);
event('delivered', 'callControl', [req('connection', C), req('alertingDevice', P), ...parties, m('originatingNIDConnection', C), ...tail, ...network, m('subjectOfCall', T)]);
event('digitsDialed', 'callControl', [req('diallingConnection', C), req('diallingDevice', P), req('diallingSequence', T), ...tail]);
event('diverted', 'callControl', [req('connection', C), req('divertingDevice', P), req('newDestination', P), m('callingDevice', P), m('calledDevice', P), req('lastRedirectionDevice', P), ...tail]);
event('established', 'callControl', [req('establishedConnection', C), req('answeringDevice', P), ...parties, m('originatingNIDConnection', C), ...tail, ...network]);
event('failed', 'callControl', [req('failedConnection', C), req('failingDevice', P), ...parties, m('originatingNIDConnection', C), ...tail, ...network]);
event('held', 'callControl', [req('heldConnection', C), req('holdingDevice', P), ...tail]);
event('networkReached', 'callControl', [req('outboundConnection', C), req('networkInterfaceUsed', P), ...parties, ...tail, ...network]);
event('offered', 'callControl', [req('offeredConnection', C), req('offeredDevice', P), ...parties, m('originatingNIDConnection', C), ...tail, ...network]);
event('originated', 'callControl', [req('originatedConnection', C), req('callingDevice', P), req('calledDevice', P), m('originatingDevice', D), ...tail]);
event('queued', 'callControl', [req('queuedConnection', C), req('queue', P), ...parties, m('numberQueued', I), m('callsInFront', I), ...tail, ...network]);
event('retrieved', 'callControl', [req('retrievedConnection', C), req('retrievingDevice', P), ...tail]);
event('serviceInitiated', 'callControl', [req('initiatedConnection', C), req('initiatingDevice', P), m('calledDevice', P), ...tail]);
event('transferred', 'callControl', [req('primaryOldCall', C), m('secondaryOldCall', C), req('transferringDevice', P), req('transferredToDevice', P), req('transferredConnections', CL), ...tail]);
event('doNotDisturb', 'logicalDeviceFeature', [req('device', P), req('doNotDisturbOn', B), m('callOrigination', F), m('callingDeviceList', DL)]);
event('forwarding', 'logicalDeviceFeature', [req('device', P), m('forwardingType', T), req('forwardStatus', B), m('forwardTo', D), m('forwardDefault', T), m('ringCount', I), m('ringDuration', I)]);
event('messageWaiting', 'physicalDeviceFeature', [req('deviceForMessage', P), m('invokingDevice', P), req('messageWaitingOn', B)]);
event('backInService', 'deviceMaintenance', [req('device', P), m('cause', T)]);
event('outOfService', 'deviceMaintenance', [req('device', P), m('cause', T)]);

/** Roots read as another: Yealink writes `TransferedEvent`. */
export const ROOT_ALIASES: Record<string, string> = { TransferedEvent: 'TransferredEvent' };

/** Categories of ECMA-269 events the model does not describe, so that they arrive as `other` in the right group. */
export const OTHER_EVENT_CATEGORIES: Record<string, CstaEventCategory> = {
  BridgedEvent: 'callControl', NetworkCapabilitiesChangedEvent: 'callControl',
  CallInformationEvent: 'callAssociated', ChargingEvent: 'callAssociated', DigitsGeneratedEvent: 'callAssociated',
  TelephonyTonesGeneratedEvent: 'callAssociated', ServiceCompletionFailureEvent: 'callAssociated',
  MediaAttachedEvent: 'mediaAttachment', MediaDetachedEvent: 'mediaAttachment',
  ButtonInformationEvent: 'physicalDeviceFeature', ButtonPressEvent: 'physicalDeviceFeature', DisplayUpdatedEvent: 'physicalDeviceFeature',
  HookswitchEvent: 'physicalDeviceFeature', LampModeEvent: 'physicalDeviceFeature', MicrophoneMuteEvent: 'physicalDeviceFeature',
  RingerStatusEvent: 'physicalDeviceFeature', SpeakerMuteEvent: 'physicalDeviceFeature', SpeakerVolumeEvent: 'physicalDeviceFeature',
  AgentBusyEvent: 'logicalDeviceFeature', AgentLoggedOnEvent: 'logicalDeviceFeature', AgentLoggedOffEvent: 'logicalDeviceFeature',
  AgentNotReadyEvent: 'logicalDeviceFeature', AgentReadyEvent: 'logicalDeviceFeature', AgentWorkingAfterCallEvent: 'logicalDeviceFeature',
  AutoAnswerEvent: 'logicalDeviceFeature', CallBackEvent: 'logicalDeviceFeature', CallerIDStatusEvent: 'logicalDeviceFeature',
  PartiallyInServiceEvent: 'deviceMaintenance',
};

// ---- reading and writing members

/** `<root>members…extensions</root>` (without a namespace when `top` is false). */
export function writeMembers(spec: MessageSpec, v: Record<string, unknown>, top: boolean, xmlns = ''): string {
  let s = top ? `<${spec.root} xmlns="${xmlns}">` : `<${spec.root}>`;
  for (const mem of spec.members) {
    const x = mem.spread ? v : v[mem.key];
    if (x === undefined) {
      if (mem.req) throw new CstaXmlError('CSTA_XML_MISSING', `a <${spec.root}> needs <${mem.xml}>`, { element: mem.xml, parent: spec.root });
      continue;
    }
    s += mem.kind.enc(mem.xml, x as never);
  }
  if (top) s += extensionsXml(v.privateData as never);
  return s + `</${spec.root}>`;
}

export function readMembers(spec: MessageSpec, el: XmlEl, top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const mem of spec.members) {
    const c = child(el, mem.xml);
    if (!c) {
      if (!mem.req) continue;
      if (mem.kind === P) out[mem.key] = { unavailable: 'notKnown' };
      else throw missing(el, mem.xml);
      continue;
    }
    const v = mem.kind.dec(c) as unknown;
    if (mem.spread) Object.assign(out, v);
    else out[mem.key] = v;
  }
  if (top) {
    const ext = child(el, 'extensions');
    const pd = ext ? extensionsOf(ext) : [];
    if (pd.length) out.privateData = pd;
  }
  return out;
}
