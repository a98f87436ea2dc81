// ECMA-269 §13 (universalFailure: why a switch refused a request) and the ways a request or a session can fail
// whatever the encoding. Messages name the peer and the service; callers act on `code` and `details`.
import type { Open } from './enumerations';

export const OPERATION_ERRORS = [
  'generic', 'requestIncompatibleWithObject', 'valueOutOfRange', 'objectNotKnown', 'invalidCallingDeviceID',
  'invalidCalledDeviceID', 'invalidForwardingDestination', 'privilegeViolationSpecifiedDevice',
  'privilegeViolationCalledDevice', 'privilegeViolationCallingDevice', 'invalidCallID', 'invalidDeviceID',
  'invalidConnectionID', 'invalidDestination', 'invalidFeature', 'invalidAllocationState', 'invalidCrossRefID',
  'invalidObjectType', 'securityViolation', 'invalidCorrelatorData', 'invalidAccountCode', 'invalidAuthCode',
  'requestIncompatibleWithCallingDevice', 'requestIncompatibleWithCalledDevice', 'invalidMsgID', 'messageIDRequired',
  'requestIncompatibleWithMedia', 'invalidFile', 'atLeastOneConditionalParameterNotProvided', 'featureAlreadySet',
  'invalidParameterValue', 'invalidDoNotDisturb', 'invalidEscapeCrossRefID', 'serviceNotSupported',
  'invalidForwardingFlag', 'invalidForwardingType', 'invalidMonitorCrossRefID', 'invalidMonitorFilter',
  'invalidMonitorObject', 'invalidMonitorType', 'invalidMonitorObjectType', 'parameterNotSupported',
  'privateDataNotSupported',
] as const;
export const SECURITY_ERRORS = ['generic', 'sequenceNumberViolated', 'timeStampViolated', 'securityInfoViolated'] as const;
export const STATE_INCOMPATIBILITY_ERRORS = [
  'generic', 'invalidObjectState', 'invalidConnectionIDForActiveCall', 'noActiveCall', 'noHeldCall', 'noCallToClear',
  'noConnectionToClear', 'noCallToAnswer', 'noCallToComplete', 'invalidDeviceState', 'connectedCallExists',
  'invalidConnectionState',
] as const;
export const SYSTEM_RESOURCE_AVAILABILITY_ERRORS = [
  'generic', 'resourceBusy', 'internalResourceBusy', 'resourceOutOfService', 'networkBusy', 'networkOutOfService',
  'overallMonitorLimitExceeded', 'conferenceMemberLimitExceeded', 'deviceOutOfService', 'resourceLimitExceeded',
  'maxDevicesExceeded',
] as const;
export const SUBSCRIBED_RESOURCE_AVAILABILITY_ERRORS = [
  'generic', 'objectMonitorLimitExceeded', 'trunkLimitExceeded', 'outstandingReqLimitExceeded',
  'objectRegistrationLimitExceeded',
] as const;
export const PERFORMANCE_MANAGEMENT_ERRORS = ['generic', 'performanceLimitExceeded'] as const;
export const PRIVATE_DATA_ERRORS = ['cSTAPrivateDataInfoError'] as const;

/** The error names of each failure category; `unspecified` has none. */
export interface FailureErrors {
  operation: (typeof OPERATION_ERRORS)[number];
  security: (typeof SECURITY_ERRORS)[number];
  stateIncompatibility: (typeof STATE_INCOMPATIBILITY_ERRORS)[number];
  systemResourceAvailability: (typeof SYSTEM_RESOURCE_AVAILABILITY_ERRORS)[number];
  subscribedResourceAvailability: (typeof SUBSCRIBED_RESOURCE_AVAILABILITY_ERRORS)[number];
  performanceManagement: (typeof PERFORMANCE_MANAGEMENT_ERRORS)[number];
  privateData: (typeof PRIVATE_DATA_ERRORS)[number];
  unspecified: never;
}
export type FailureCategory = keyof FailureErrors;

/** A switch's refusal: the category and, except for `unspecified`, the error within it. */
export type CstaFailure = { [C in FailureCategory]: C extends 'unspecified' ? { category: C } : { category: C; error: Open<FailureErrors[C]> } }[FailureCategory];

/** One line for logs and messages, e.g. "operation error invalidDeviceID". */
export function describeFailure(f: CstaFailure): string {
  return 'error' in f ? `${f.category} error ${f.error}` : `${f.category} error`;
}

export type CstaSessionErrorCode =
  /** The switch refused the request with a universalFailure (`details.failure`). */
  | 'CSTA_UNIVERSAL_FAILURE'
  /** The switch answered with an error other than universalFailure. */
  | 'CSTA_ERROR'
  /** The switch rejected the request as unreadable or unsupported (a ROSE reject, an unknown service). */
  | 'CSTA_REJECTED'
  /** No answer within the time allowed. */
  | 'CSTA_TIMEOUT'
  | 'CSTA_NOT_CONNECTED'
  | 'CSTA_CANCELLED'
  /** The session ended before the answer came (`details.cause`: why it ended). */
  | 'CSTA_CONNECTION_LOST'
  /** The switch stopped answering the session's keep-alive. */
  | 'CSTA_KEEPALIVE_TIMEOUT'
  /** The switch sent something this encoding cannot read; the session was closed. */
  | 'CSTA_PROTOCOL'
  /** The switch aborted the association. */
  | 'CSTA_ABORTED'
  /** This encoding has no form for the request (a value or member it cannot write). */
  | 'CSTA_UNSUPPORTED';

export interface CstaSessionErrorDetails {
  service?: string;
  failure?: CstaFailure;
  /** Lower-level cause (a socket error code, the transport's own code). */
  cause?: string;
}

export class CstaSessionError extends Error {
  constructor(
    readonly code: CstaSessionErrorCode,
    message: string,
    readonly details: CstaSessionErrorDetails = {},
  ) {
    super(message);
    this.name = 'CstaSessionError';
  }
}
