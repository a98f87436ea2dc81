// Representative values for every modelled operation (argument and result) and event. Used by the
// round-trip, routing, cross-check and fuzz tests and by the benchmark; simulator tests may use them too.
import { connectionId, type ConnectionID } from '../call-connection-identifiers';
import { callControlEventReport, type CSTAEventReportArgument } from '../event-report-definitions';
import { deviceNumber, dialingNumber, party, type DeviceID } from '../device-identifiers';
import type { ArgumentOf, OperationName, ResultOf } from '../operations';

const d201 = dialingNumber('201');
const d202 = dialingNumber('202', 'Reception');
const c1: ConnectionID = connectionId('0101', d201);
const c2: ConnectionID = connectionId('0102', d202);
const ext = { privateData: [{ string: 'cafe' }, { private: 'a40ba009a407a105a0030a0105' }] };
const dev = (n: string): DeviceID => dialingNumber(n);

export const sampleArguments: { [N in OperationName]: ArgumentOf<N>[] } = {
  alternateCall: [{ heldCall: c1, activeCall: c2 }],
  answerCall: [{ callToBeAnswered: c1 }, { callToBeAnswered: { callID: '0a' }, correlatorData: '01', userData: 'ff00', extensions: ext }],
  clearConnection: [{ connectionToBeCleared: c1, reason: 'normalClearing' }],
  conferenceCall: [{ heldCall: c1, activeCall: c2 }],
  consultationCall: [{ existingCall: c1, consultedDevice: d202, consultOptions: 'transferOnly' }],
  holdCall: [{ callToBeHeld: c1, connectionReservation: true }],
  makeCall: [
    { callingDevice: d201, calledDirectoryNumber: d202 },
    { callingDevice: deviceNumber(17), calledDirectoryNumber: dev('004989123456'), autoOriginate: 'doNotPrompt', correlatorData: '1234', subjectOfCall: 'hello', extensions: ext },
  ],
  retrieveCall: [{ callToBeRetrieved: c1 }],
  transferCall: [{ heldCall: c1, activeCall: c2 }],
  cSTAEventReport: [] as CSTAEventReportArgument[],
  singleStepTransferCall: [{ activeCall: c1, transferredTo: dev('205') }],
  escape: [{ privateData: { private: 'a40ba009a407a105a0030a0105' } }],
  monitorStart: [
    { monitorObject: { deviceObject: d201 } },
    { monitorObject: { deviceObject: deviceNumber(5) }, requestedMonitorFilter: { callControl: ['queued', 'offered'], maintenance: ['partiallyInService'] }, monitorType: 'device', requestedMonitorMediaClass: ['voice'] },
  ],
  monitorStop: [{ crossRefIdentifier: '0001' }],
  snapshotDevice: [{ snapshotObject: d201 }],
  getSwitchingFunctionDevices: [{}, { requestedDeviceCategory: 'station' }],
  switchingFunctionDevices: [
    {
      serviceCrossRefID: '07',
      segmentID: 1,
      lastSegment: true,
      deviceList: [
        { deviceID: dialingNumber('201', 'Alice') },
        { deviceID: dev('202'), deviceCategory: 'networkInterface', namedDeviceTypes: 'trunk', deviceModelName: 'KX-UT136' },
      ],
    },
  ],
  systemRegister: [{ requestTypes: ['systemStatus', 'switchingFunctionDevicesChanged'] }],
  systemStatus: [{ systemStatus: 'normal' }, { sysStatRegisterID: '01', systemStatus: 'messagesLost', extensions: ext }],
  deflectCall: [{ callToBeDiverted: c1, newDestination: dev('299') }],
  directedPickupCall: [{ callToBePickedUp: c1, requestingDevice: dev('203') }],
  callBack: [{ callbackConnection: c1 }],
  dialDigits: [{ diallingConnection: c1, diallingSequence: dev('0301234') }],
  callBackNonCallRelated: [{ originatingDevice: dev('201'), targetDevice: dev('202') }],
  intrudeCall: [{ intrude: c1, participationType: 'silent' }],
  generateDigits: [{ connectionToSendDigits: c1, digitMode: 'dTMF', charactersToSend: '123#' }],
  getDoNotDisturb: [{ device: d201 }],
  getForwarding: [{ device: d201 }],
  setDoNotDisturb: [{ device: d201, doNotDisturbOn: true }],
  setForwarding: [{ device: d201, forwardingType: 'forwardImmediate', activateForward: true, forwardDN: dev('0301234') }],
  dataCollected: [{ dcollCrossRefID: '03', digitsData: { digitsDetected: '1234' }, dcollCause: 'charCountReached' }],
  startDataCollection: [{ object: { call: c1 }, dataCollType: 'digits', digitsReportingCriteria: { numChars: 4, flushChar: '#' } }],
  stopDataCollection: [{ dcollCrossRefID: '03' }],
  cDRReport: [
    {
      cdrCrossRefID: '0c',
      numberOfRecordsSent: 1,
      cdrInfo: [
        {
          recordNumber: 1,
          recordCreationTime: '20261123130000Z',
          callingDevice: party(d201),
          calledDevice: party(dev('0301234')),
          connectionStart: '20261123125900Z',
          connectionEnd: '20261123130000Z',
          connectionDuration: 60,
          reasonForTerm: 'normalClearing',
        },
      ],
      lastStoredCDRReportSent: false,
    },
  ],
  startCDRTransmission: [{ transferMode: 'transferAtEndOfCall' }],
  stopCDRTransmission: [{ cdrCrossRefID: '0c' }],
};

export const sampleResults: { [N in OperationName]?: ResultOf<N>[] } = {
  alternateCall: [{ noData: null }],
  answerCall: [{ noData: null }, { extensions: ext }],
  makeCall: [{ callingDevice: c1 }],
  consultationCall: [{ initiatedCall: c2 }],
  transferCall: [{ transferredCall: c2, connections: [{ newConnection: c2, oldConnection: c1, endpoint: { deviceID: d202 } }] }],
  conferenceCall: [{ conferenceCall: c1 }],
  singleStepTransferCall: [{ transferredCall: c2 }],
  monitorStart: [{ crossRefIdentifier: '0001' }, { crossRefIdentifier: '00000017', actualmonitorFilter: { callControl: ['queued'] }, monitorExistingCalls: false }],
  monitorStop: [{ noData: null }],
  snapshotDevice: [
    { crossRefIDorSnapshotData: { serviceCrossRefID: '09' } },
    {
      crossRefIDorSnapshotData: {
        snapshotData: [
          { connectionIdentifier: c1, localCallState: { compoundCallState: ['connected'] } },
          { connectionIdentifier: c2, endpointDevice: party(d202), localCallState: { simpleCallState: 'callDelivered' } },
        ],
      },
    },
  ],
  getSwitchingFunctionDevices: [{ serviceCrossRefID: '07' }],
  systemRegister: [{ sysStatRegisterID: '01' }],
  systemStatus: [{ noData: null }],
  directedPickupCall: [{ pickedCall: c1 }],
  callBack: [{ targetDevice: dev('202') }, {}],
  intrudeCall: [{ conferencedCall: c1 }],
  getDoNotDisturb: [{ doNotDisturbOn: false }],
  getForwarding: [{ forwardingList: [{ forwardingType: 'forwardBusy', forwardStatus: true, forwardDN: dev('0301234') }] }],
  startDataCollection: [{ dcollCrossRefID: '03' }],
  startCDRTransmission: [{ cdrCrossRefID: '0c' }],
  cDRReport: [{ noData: null }],
};

const common = { localConnectionInfo: 'alerting' as const, cause: 'newCall' as const };
export const sampleEvents: CSTAEventReportArgument[] = [
  callControlEventReport('0001', 'delivered', {
    connection: c2, alertingDevice: party(d202), callingDevice: party(d201), calledDevice: party(d202),
    lastRedirectionDevice: { notKnown: null }, ...common,
  }),
  callControlEventReport('0001', 'established', {
    establishedConnection: c2, answeringDevice: party(d202), callingDevice: party(d201), calledDevice: party(d202),
    lastRedirectionDevice: { notKnown: null }, localConnectionInfo: 'connected', cause: 'normal',
  }),
  callControlEventReport('0002', 'connectionCleared', { droppedConnection: c1, releasingDevice: party(d201), localConnectionInfo: 'null', cause: 'normalClearing' }),
  callControlEventReport('0002', 'originated', { originatedConnection: c1, callingDevice: party(d201), calledDevice: party(d202), localConnectionInfo: 'connected', cause: 'newCall' }),
  callControlEventReport('0002', 'serviceInitiated', { initiatedConnection: c1, initiatingDevice: party(d201), localConnectionInfo: 'initiated', cause: 'makeCall' }),
  callControlEventReport('0002', 'held', { heldConnection: c1, holdingDevice: party(d201), localConnectionInfo: 'hold', cause: 'normal' }),
  callControlEventReport('0002', 'retrieved', { retrievedConnection: c1, retrievingDevice: party(d201), localConnectionInfo: 'connected', cause: 'normal' }),
  callControlEventReport('0002', 'transferred', {
    primaryOldCall: c1, secondaryOldCall: c2, transferringDevice: party(d201), transferredToDevice: party(d202),
    transferredConnections: [{ newConnection: c2, endpoint: { deviceID: d202 } }], localConnectionInfo: 'null', cause: 'transfer',
  }),
  callControlEventReport('0002', 'conferenced', {
    primaryOldCall: c1, conferencingDevice: party(d201), addedParty: party(d202), conferenceConnections: [{ newConnection: c1 }],
    localConnectionInfo: 'connected', cause: 'conference',
  }),
  callControlEventReport('0002', 'diverted', {
    connection: c1, divertingDevice: party(d201), newDestination: party(d202), lastRedirectionDevice: { numberdialed: d201 },
    localConnectionInfo: 'null', cause: 'callForwardImmediate',
  }),
  callControlEventReport('0002', 'failed', {
    failedConnection: c1, failingDevice: party(d202), callingDevice: party(d201), calledDevice: party(d202),
    lastRedirectionDevice: { notKnown: null }, localConnectionInfo: 'fail', cause: 'busy',
  }),
  callControlEventReport('00000003', 'networkReached', {
    outboundConnection: c1, networkInterfaceUsed: party(dev('T01')), callingDevice: party(d201), calledDevice: { restricted: null },
    lastRedirectionDevice: { notKnown: null }, cause: 'networkSignal', extensions: { security: '180f32303236313132333133303030305a' },
  }),
  { crossRefIdentifier: '0004', eventSpecificInfo: { logicalDeviceFeatureEvents: { doNotDisturb: { device: party(d201), doNotDisturbOn: true } } } },
  { crossRefIdentifier: '0004', eventSpecificInfo: { logicalDeviceFeatureEvents: { forwarding: { device: party(d201), forwardingType: 'forwardImmediate', forwardStatus: true, forwardTo: dev('0301234') } } } },
  { crossRefIdentifier: '0004', eventSpecificInfo: { deviceMaintenanceEvents: { backInService: { device: party(d201) } } } },
  { crossRefIdentifier: '0004', eventSpecificInfo: { deviceMaintenanceEvents: { outOfService: { device: party(d201), cause: 'maintenance' } } } },
];
sampleArguments.cSTAEventReport = sampleEvents;
