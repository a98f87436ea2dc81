// Public face of the CSTA Phase III stack. Other components import only from here.
export { BerError, fromHex, hex, type BerEngine, type Tlv } from './ber';
export type { Codec, ValueOf } from './codec';

export * from './framing';
export * from './apdu';
export {
  buildAarq,
  buildAare,
  aarqCredentials,
  cstaVersionsOf,
  describeDiagnostic,
  associateResults,
  serviceUserDiagnostics,
  serviceProviderDiagnostics,
  abortDiagnostics,
  CSTA_APPLICATION_CONTEXT,
  CSTA3_USER_INFO_OID,
  type AARQ,
  type AARE,
  type RLRQ,
  type RLRE,
  type ABRT,
  type AssociationRequest,
  type AssociationResponse,
  type AssociateSourceDiagnostic,
  type CSTAVersionName,
} from './acse';
export { generalProblems, invokeProblems, returnResultProblems, returnErrorProblems, type RejectProblem } from './rose';
export { operations, operationName, OPCODE, PHASE2_SYSTEM_STATUS, type OperationName, type ArgumentOf, type ResultOf } from './operations';

// ECMA-285 types, one module per ASN.1 area
export * from './device-identifiers';
export * from './call-connection-identifiers';
export * from './connection-states';
export * from './extension-types';
export * from './event-causes';
export * from './device-feature-types';
export * from './error-definition';
export * from './status-reporting';
export * from './system-status';
export * from './capability-exchange';
export * from './snapshot';
export * from './call-control';
export * from './logical-device-features';
export * from './escape-service';
export * from './call-detail-record';
export * from './data-collection';
export * from './event-report-definitions';
// Relaying without decoding: the byte-level BER/ROSE reader and writer (multiplexer, event routing)
export {
  buildInvoke,
  buildReturnResult,
  checkBer,
  childrenOf,
  contentHex,
  eventCrossRefEl,
  eventCrossRefOf,
  isAcse,
  leadingRef,
  locateEventCrossRef,
  MAX_INVOKE_ID,
  NO_DATA,
  parseRose,
  peekRose,
  readEl,
  readInt,
  replaceContent,
  replaceEl,
  rewriteEventCrossRef,
  rewriteInvokeId,
  tlv,
  tryParseRose,
  type El,
  type LeadingRef,
  type RoseHeader,
  type RoseKind,
  type RoseView,
} from './ber-bytes';
export { decodeEventReportFast } from './event-report-fast';
export * from './panasonic-private-data';

// Building blocks for vendor modules elsewhere (declarative ASN.1 over the Tlv tree, and the lean BER engine)
export { leanDecode, leanEncode, asn1jsDecode, asn1jsEncode, berDecode, berEncode } from './ber';
export {
  boolean,
  bitString,
  choice,
  dflt,
  enumerated,
  explicit,
  generalizedTime,
  ia5String,
  implicit,
  implicitRaw,
  integer,
  nullType,
  objectIdentifier,
  octetString,
  opt,
  req,
  sequence,
  sequenceOf,
} from './codec';
export { rawElement } from './raw';

// Client connection (Node only)
export { CstaClient, CstaError, retryDelay, type CstaClientOptions, type CstaClientEvents, type CstaStatus, type CstaErrorCode, type CstaLogger, type ReconnectOptions } from './connection';

// The CSTA model's session over this stack, and the conversions it uses
export { BerCstaSession, toSessionError } from './session';
export { argumentsToBer, resultsFromBer, eventFromBer, switchRequestFromBer, failureFromBer, deviceIdToBer, deviceIdFromBer, connectionToBer, connectionFromBer, partyFromBer, partyToBer, privateDataToBer, privateDataFromBer } from './model-adapter';
