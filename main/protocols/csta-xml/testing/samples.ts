// Model values for every ECMA-323 request, response and event of the subset, with their optional members, for
// the round-trip, schema, fuzz and session tests and the benchmark.
import type { ConnectionRef, CstaEvent, CstaFailure, DeviceRef } from '../../csta/model';
import type { CstaXmlMessage, XmlArgs, XmlResult, XmlServiceName } from '../codec';

const d = (id: string): DeviceRef => ({ id });
const c1: ConnectionRef = { callId: '7', device: { id: 'sip:201@pbx.example.test:5060' } };
const c2: ConnectionRef = { callId: '9', device: d('201') };
const ext: DeviceRef = { id: '+49301234567', format: 'explicitPublic', typeOfNumber: 'international' };

export const sampleRequests: { [S in XmlServiceName]: XmlArgs<S>[] } = {
  monitorStart: [
    { monitorObject: { device: d('sip:201@pbx.example.test:5060') } },
    { monitorObject: { call: c1 }, requestedMonitorFilter: { callControl: ['queued', 'offered'], logicalDeviceFeature: ['forwarding'] }, monitorType: 'call', privateData: [{ format: 'octets', value: 'cafe' }] },
  ],
  monitorStop: [{ crossRefIdentifier: '43' }],
  snapshotDevice: [{ snapshotObject: d('455455@ser.intern.snom.de') }],
  snapshotCall: [{ snapshotObject: c1 }],
  getSwitchingFunctionDevices: [{}, { requestedDeviceID: d('201'), requestedDeviceCategory: 'station' }],
  switchingFunctionDevices: [
    { serviceCrossRefID: 'C252', segmentID: 1, lastSegment: true, deviceList: [{ deviceID: d('sip:201@pbx.example.test:5060') }, { deviceID: { id: '5', format: 'deviceNumber' }, deviceCategory: 'station', namedDeviceTypes: 'station', deviceAttributes: ['mediaAccessDevice'], deviceModelName: 'D785', nidGroup: d('900') }] },
  ],
  makeCall: [
    { callingDevice: d('1001'), calledDirectoryNumber: d('1002') },
    { callingDevice: d('sip:201@pbx.example.test:5060'), calledDirectoryNumber: ext, accountCode: '42', authCode: '1234', autoOriginate: 'doNotPrompt', correlatorData: 'c0ffee', subjectOfCall: 'Müller & Söhne <quote>', privateData: [{ format: 'xml', value: '<lcs:line xmlns:lcs="http://schemas.microsoft.com/Lcs/2005/04/RCCExtension">tel:73124</lcs:line>' }] },
  ],
  answerCall: [{ callToBeAnswered: c1 }, { callToBeAnswered: { device: d('201') } }],
  clearConnection: [{ connectionToBeCleared: c1, reason: 'normalClearing' }, { connectionToBeCleared: { callId: '3', dynamicDeviceId: 'dyn-1' } }],
  holdCall: [{ callToBeHeld: c1, connectionReservation: true }],
  retrieveCall: [{ callToBeRetrieved: c1 }],
  alternateCall: [{ heldCall: c1, activeCall: c2, connectionReservation: false, consultOptions: 'transferOnly' }],
  consultationCall: [{ existingCall: c1, consultedDevice: d('202'), connectionReservation: true, accountCode: '1', authCode: '2', consultOptions: 'consultOnly', correlatorData: '3', subjectOfCall: 'x' }],
  transferCall: [{ heldCall: c1, activeCall: c2 }],
  conferenceCall: [{ heldCall: c1, activeCall: c2 }],
  singleStepTransferCall: [{ activeCall: c1, transferredTo: d('202'), accountCode: '1', authCode: '2', correlatorData: '3', subjectOfCall: 's', reason: 'singleStepTransfer' }],
  deflectCall: [{ callToBeDiverted: c1, newDestination: d('202'), reason: 'redirected' }],
  directedPickupCall: [{ callToBePickedUp: c1, requestingDevice: d('203') }],
  callBack: [{ callbackConnection: c1 }],
  dialDigits: [{ diallingConnection: c1, diallingSequence: d('0301234') }],
  callBackNonCallRelated: [{ originatingDevice: d('201'), targetDevice: d('202') }],
  intrudeCall: [{ intrude: c1, participationType: 'silent' }, { intrude: c1 }],
  generateDigits: [{ connectionToSendDigits: c1, charactersToSend: '123#' }, { connectionToSendDigits: c1, digitMode: 'dTMF', charactersToSend: '*9', toneDuration: 100, pulseRate: 10, pauseDuration: 50 }],
  setForwarding: [{ device: d('201'), forwardingType: 'forwardImmediate', activateForward: true, forwardDN: d('2424') }, { device: d('201'), forwardingType: 'forwardNoAns', activateForward: false, ringCount: 4, ringDuration: 20 }],
  getForwarding: [{ device: d('201') }],
  setDoNotDisturb: [{ device: d('7659366'), doNotDisturbOn: true }, { device: d('201'), doNotDisturbOn: false, callOrigination: ['internal', 'external'], callingDeviceList: [d('100'), d('101')] }],
  getDoNotDisturb: [{ device: d('201') }],
  systemStatus: [{ systemStatus: 'normal' }],
  escape: [{ privateData: { format: 'octets', value: 'a40b' } }, { privateData: { format: 'xml', value: '<v:ping xmlns:v="urn:vendor">1</v:ping>' } }],
  systemRegister: [{ requestTypes: ['switchingFunctionDevicesChanged'] }],
  systemRegisterCancel: [{ sysStatRegisterID: '2' }],
  requestSystemStatus: [{}],
  setMessageWaitingIndicator: [{ device: d('201'), messageWaitingOn: true }],
  getMessageWaitingIndicator: [{ device: d('201') }],
  getLogicalDeviceInformation: [{ device: d('201') }],
  getCSTAFeatures: [{}],
};

export const sampleResponses: { [S in XmlServiceName]: XmlResult<S>[] } = {
  monitorStart: [{ crossRefIdentifier: '0', monitorExistingCalls: true }, { crossRefIdentifier: '99', actualMonitorFilter: { callControl: ['queued'] } }],
  monitorStop: [{}],
  snapshotDevice: [
    { calls: [{ connectionIdentifier: { callId: '-12', device: d('455455@ser.intern.snom.de') }, localCallState: { compound: ['alerting'] } }, { connectionIdentifier: c2, endpointDevice: d('202'), localCallState: { simple: 'callEstablished' } }, { connectionIdentifier: c1, localCallState: { unknown: true } }] },
    { calls: [], serviceCrossRefID: '9' },
    { calls: [] },
  ],
  snapshotCall: [{ participants: [{ deviceOnCall: d('201'), callIdentifier: c1, localConnectionState: 'connected' }, { deviceOnCall: { unavailable: 'restricted' } }] }, { participants: [], serviceCrossRefID: '4' }],
  getSwitchingFunctionDevices: [{ serviceCrossRefID: 'C252' }],
  switchingFunctionDevices: [{}],
  makeCall: [{ callingDevice: { callId: '8', device: d('sip:201@pbx.example.test:5060') } }],
  answerCall: [{}],
  clearConnection: [{}],
  holdCall: [{}],
  retrieveCall: [{}],
  alternateCall: [{}],
  consultationCall: [{ initiatedCall: { callId: '10', device: d('201') } }],
  transferCall: [{ transferredCall: { callId: '9', device: d('202') }, connections: [{ newConnection: { callId: '9', device: d('202') }, oldConnection: c1 }, { oldConnection: c2, endpoint: d('203') }] }],
  conferenceCall: [{ conferenceCall: { callId: '7|9', device: d('201') }, connections: [{ newConnection: { callId: '7|9', device: d('201') }, oldConnection: c1 }] }],
  singleStepTransferCall: [{ transferredCall: { callId: '11', device: d('202') } }],
  deflectCall: [{}],
  directedPickupCall: [{ pickedCall: c1 }, {}],
  callBack: [{ targetDevice: d('202') }, {}],
  callBackNonCallRelated: [{}],
  dialDigits: [{}],
  intrudeCall: [{ conferencedCall: c1 }, {}],
  generateDigits: [{}],
  setForwarding: [{}],
  getForwarding: [{ forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: d('tel:2424') }, { forwardingType: 'forwardNoAns', forwardStatus: false, forwardDefault: 'forwardDN', ringCount: 3, ringDuration: 15 }] }, { forwardingList: [] }],
  setDoNotDisturb: [{ privateData: [{ format: 'octets', value: '00ff' }] }],
  getDoNotDisturb: [{ doNotDisturbOn: false }, { doNotDisturbOn: true, callOrigination: ['internal'], callingDeviceList: [d('100')] }],
  systemStatus: [{}],
  escape: [{}],
  systemRegister: [{ sysStatRegisterID: '2' }],
  systemRegisterCancel: [{}],
  requestSystemStatus: [{ systemStatus: 'normal' }],
  setMessageWaitingIndicator: [{}],
  getMessageWaitingIndicator: [{ messageWaitingOn: true }],
  getCSTAFeatures: [{ services: ['makeCall', 'answerCall', 'generateDigits', 'setDoNotDisturb', 'monitorStart', 'snapshotDevice', 'requestSystemStatus'] }],
  getLogicalDeviceInformation: [{ deviceCategory: 'station', namedDeviceTypes: 'station', maxActiveCalls: 1, maxHeldCalls: 2, maxFwdSettings: 3, maxDevicesInConf: 3 }],
};

const dev = d('sip:201@pbx.example.test:5060');
const caller = d('sip:0301234567@pbx.example.test');
const notKnown = { unavailable: 'notKnown' as const };

export const sampleEvents: CstaEvent[] = [
  { category: 'callControl', name: 'delivered', monitorCrossRefId: '0', connection: c1, alertingDevice: dev, callingDevice: caller, calledDevice: dev, lastRedirectionDevice: notKnown, localConnectionInfo: 'alerting', cause: 'newCall' },
  { category: 'callControl', name: 'delivered', monitorCrossRefId: '1', connection: c1, alertingDevice: dev, callingDevice: { unavailable: 'restricted' }, calledDevice: dev, lastRedirectionDevice: d('300'), originatingNIDConnection: c2, localConnectionInfo: 'connected', correlatorData: 'ab', cause: 'normal', networkCallingDevice: ext, networkCalledDevice: d('0301'), associatedCallingDevice: d('1'), associatedCalledDevice: d('2'), subjectOfCall: 'hi', privateData: [{ format: 'octets', value: '01' }] },
  { category: 'callControl', name: 'established', monitorCrossRefId: '0', establishedConnection: c1, answeringDevice: dev, callingDevice: caller, calledDevice: dev, lastRedirectionDevice: notKnown, localConnectionInfo: 'connected', cause: 'normal' },
  { category: 'callControl', name: 'connectionCleared', monitorCrossRefId: '0', droppedConnection: c1, releasingDevice: dev, localConnectionInfo: 'null', cause: 'normalClearing' },
  { category: 'callControl', name: 'callCleared', monitorCrossRefId: '0', clearedCall: { callId: '7' }, cause: 'normalClearing' },
  { category: 'callControl', name: 'originated', monitorCrossRefId: '0', originatedConnection: c1, callingDevice: dev, calledDevice: caller, originatingDevice: d('201'), localConnectionInfo: 'connected', cause: 'normal' },
  { category: 'callControl', name: 'serviceInitiated', monitorCrossRefId: '0', initiatedConnection: c1, initiatingDevice: dev, calledDevice: d('202'), localConnectionInfo: 'initiated', cause: 'makeCall' },
  { category: 'callControl', name: 'held', monitorCrossRefId: '0', heldConnection: c1, holdingDevice: dev, localConnectionInfo: 'hold', cause: 'normal' },
  { category: 'callControl', name: 'retrieved', monitorCrossRefId: '0', retrievedConnection: c1, retrievingDevice: dev, localConnectionInfo: 'connected', cause: 'normal' },
  { category: 'callControl', name: 'transferred', monitorCrossRefId: '0', primaryOldCall: c1, secondaryOldCall: c2, transferringDevice: dev, transferredToDevice: d('202'), transferredConnections: [{ newConnection: { callId: '9', device: d('202') }, oldConnection: c1 }], localConnectionInfo: 'null', cause: 'transfer' },
  { category: 'callControl', name: 'conferenced', monitorCrossRefId: '0', primaryOldCall: c1, secondaryOldCall: c2, conferencingDevice: dev, addedParty: d('203'), conferenceConnections: [{ newConnection: { callId: '7|9', device: d('203') }, oldConnection: c2 }], localConnectionInfo: 'connected', cause: 'normal' },
  { category: 'callControl', name: 'diverted', monitorCrossRefId: '0', connection: c1, divertingDevice: dev, newDestination: d('202'), callingDevice: caller, calledDevice: dev, lastRedirectionDevice: notKnown, localConnectionInfo: 'null', cause: 'redirected' },
  { category: 'callControl', name: 'failed', monitorCrossRefId: '0', failedConnection: c1, failingDevice: d('202'), callingDevice: dev, calledDevice: d('202'), lastRedirectionDevice: notKnown, localConnectionInfo: 'fail', cause: 'busy' },
  { category: 'callControl', name: 'networkReached', monitorCrossRefId: '0', outboundConnection: c1, networkInterfaceUsed: d('trunk1'), callingDevice: dev, calledDevice: ext, lastRedirectionDevice: notKnown, localConnectionInfo: 'connected', cause: 'normal' },
  { category: 'callControl', name: 'offered', monitorCrossRefId: '0', offeredConnection: c1, offeredDevice: dev, callingDevice: caller, calledDevice: dev, lastRedirectionDevice: notKnown, localConnectionInfo: 'alerting', cause: 'newCall' },
  { category: 'callControl', name: 'queued', monitorCrossRefId: '0', queuedConnection: c1, queue: d('600'), callingDevice: caller, calledDevice: d('600'), lastRedirectionDevice: notKnown, numberQueued: 3, callsInFront: 2, localConnectionInfo: 'queued', cause: 'enteringDistribution' },
  { category: 'callControl', name: 'digitsDialed', monitorCrossRefId: '0', diallingConnection: c1, diallingDevice: dev, diallingSequence: '0301', localConnectionInfo: 'initiated', cause: 'normal' },
  { category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: '0', device: dev, doNotDisturbOn: true, callOrigination: ['external'], callingDeviceList: [d('100')] },
  { category: 'logicalDeviceFeature', name: 'forwarding', monitorCrossRefId: '0', device: dev, forwardingType: 'forwardNoAns', forwardStatus: true, forwardTo: d('tel:2424'), forwardDefault: 'forwardingType', ringCount: 4, ringDuration: 20 },
  { category: 'physicalDeviceFeature', name: 'messageWaiting', monitorCrossRefId: '0', deviceForMessage: dev, invokingDevice: d('500'), messageWaitingOn: true },
  { category: 'deviceMaintenance', name: 'backInService', monitorCrossRefId: '0', device: dev },
  { category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: '0', device: dev, cause: 'maintenance' },
];

export const sampleFailures: CstaFailure[] = [
  { category: 'operation', error: 'invalidDeviceID' },
  { category: 'stateIncompatibility', error: 'noActiveCall' },
  { category: 'systemResourceAvailability', error: 'resourceBusy' },
  { category: 'unspecified' },
];

/** Every sample as a message, in order: requests, responses, events, errors. */
export function allSampleMessages(): CstaXmlMessage[] {
  const out: CstaXmlMessage[] = [];
  for (const [service, list] of Object.entries(sampleRequests)) for (const args of list) out.push({ kind: 'request', service, args } as CstaXmlMessage);
  for (const [service, list] of Object.entries(sampleResponses)) for (const result of list) out.push({ kind: 'response', service, result } as CstaXmlMessage);
  for (const event of sampleEvents) out.push({ kind: 'event', event });
  for (const failure of sampleFailures) out.push({ kind: 'error', failure });
  return out;
}
