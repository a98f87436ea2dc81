// CSTA-error-definition {1 3 12 0 285 120}: universalFailure (ROSE error code local:1).
import { choice, enumerated, explicit, nullType, type ValueOf } from './codec';

export const UNIVERSAL_FAILURE = 1;

export const operationErrorValues = {
  generic: 1, requestIncompatibleWithObject: 2, valueOutOfRange: 3, objectNotKnown: 4, invalidCallingDeviceID: 5,
  invalidCalledDeviceID: 6, invalidForwardingDestination: 7, privilegeViolationSpecifiedDevice: 8,
  privilegeViolationCalledDevice: 9, privilegeViolationCallingDevice: 10, invalidCallID: 11, invalidDeviceID: 12,
  invalidConnectionID: 13, invalidDestination: 14, invalidFeature: 15, invalidAllocationState: 16,
  invalidCrossRefID: 17, invalidObjectType: 18, securityViolation: 19, invalidCorrelatorData: 20,
  invalidAccountCode: 21, invalidAuthCode: 22, requestIncompatibleWithCallingDevice: 23,
  requestIncompatibleWithCalledDevice: 24, invalidMsgID: 25, messageIDRequired: 26, requestIncompatibleWithMedia: 27,
  invalidFile: 28, atLeastOneConditionalParameterNotProvided: 29, featureAlreadySet: 30, invalidParameterValue: 31,
  invalidDoNotDisturb: 47, invalidEscapeCrossRefID: 48, serviceNotSupported: 50, invalidForwardingFlag: 51,
  invalidForwardingType: 52, invalidMonitorCrossRefID: 60, invalidMonitorFilter: 61, invalidMonitorObject: 62,
  invalidMonitorType: 63, invalidMonitorObjectType: 83, parameterNotSupported: 98, privateDataNotSupported: 126,
} as const;

/**
 * UniversalFailure; each family is an ENUMERATED (unspecified is NULL). The product acts on a named subset;
 * other numbers decode as plain numbers.
 */
export const UniversalFailure = choice('UniversalFailure', {
  operation: explicit(0, enumerated(operationErrorValues as Record<keyof typeof operationErrorValues, number>)),
  security: explicit(1, enumerated({ generic: 0, sequenceNumberViolated: 1, timeStampViolated: 2, securityInfoViolated: 4 })),
  stateIncompatibility: explicit(2, enumerated({ generic: 1, invalidObjectState: 2, invalidConnectionIDForActiveCall: 3, noActiveCall: 4, noHeldCall: 5, noCallToClear: 6, noConnectionToClear: 7, noCallToAnswer: 8, noCallToComplete: 9, invalidDeviceState: 15, connectedCallExists: 16, invalidConnectionState: 25 })),
  systemResourceAvailability: explicit(3, enumerated({ generic: 1, resourceBusy: 2, internalResourceBusy: 3, resourceOutOfService: 4, networkBusy: 5, networkOutOfService: 6, overallMonitorLimitExceeded: 7, conferenceMemberLimitExceeded: 8, deviceOutOfService: 15, resourceLimitExceeded: 26, maxDevicesExceeded: 29 })),
  subscribedResourceAvailability: explicit(4, enumerated({ generic: 1, objectMonitorLimitExceeded: 2, trunkLimitExceeded: 3, outstandingReqLimitExceeded: 4, objectRegistrationLimitExceeded: 5 })),
  performanceManagement: explicit(5, enumerated({ generic: 1, performanceLimitExceeded: 2 })),
  privateData: explicit(6, enumerated({ cSTAPrivateDataInfoError: 1 })),
  unspecified: explicit(7, nullType),
});
export type UniversalFailure = ValueOf<typeof UniversalFailure>;

/** One line describing a failure, e.g. "operation error invalidCstaDeviceIdentifier(12)". */
export function describeUniversalFailure(f: UniversalFailure): string {
  const [family] = Object.keys(f) as (keyof UniversalFailure)[];
  const v = (f as Record<string, string | number | null>)[family];
  return v === null ? `${family} error` : `${family} error ${v}`;
}
