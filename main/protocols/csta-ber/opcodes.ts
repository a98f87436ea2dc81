// The one opcode table of the ROSE operations the product uses (ECMA-285 `CODE local: N`). Plain data, so that
// the byte-level reader (ber-bytes.ts) can use it without loading the codec; operations.ts adds the codecs.
export const OPCODE = {
  alternateCall: 1,
  answerCall: 2,
  clearConnection: 5,
  conferenceCall: 6,
  consultationCall: 7,
  holdCall: 9,
  makeCall: 10,
  retrieveCall: 14,
  transferCall: 16,
  cSTAEventReport: 21,
  singleStepTransferCall: 50,
  escape: 51,
  monitorStart: 71,
  monitorStop: 73,
  snapshotDevice: 74,
  getSwitchingFunctionDevices: 204,
  switchingFunctionDevices: 205,
  systemRegister: 207,
  systemStatus: 211,
  callBack: 215,
  deflectCall: 218,
  dialDigits: 219,
  directedPickupCall: 220,
  intrudeCall: 222,
  generateDigits: 232,
  getDoNotDisturb: 308,
  callBackNonCallRelated: 300,
  getForwarding: 309,
  setDoNotDisturb: 316,
  setForwarding: 317,
  dataCollected: 343,
  startDataCollection: 347,
  stopDataCollection: 348,
  cDRReport: 361,
  startCDRTransmission: 363,
  stopCDRTransmission: 364,
} as const;

export type OpcodeName = keyof typeof OPCODE;

/** Opcode of CSTA Phase II SystemStatus; Panasonic peers have been seen using it as a ping (see reference). */
export const PHASE2_SYSTEM_STATUS = 52;
