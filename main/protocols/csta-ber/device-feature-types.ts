// CSTA-device-feature-types {1 3 12 0 285 127}: the types the product uses.
import { APPLICATION } from './ber';
import { bitString, boolean, enumerated, explicit, implicit, integer, octetString, opt, req, sequence, sequenceOf, type ValueOf } from './codec';
import { DeviceID } from './device-identifiers';

export const AccountInfo = octetString;
export const AuthCode = octetString;
export const CorrelatorData = octetString;
export const SysStatRegisterID = octetString;
/** UserData ::= [APPLICATION 29] OCTET STRING — explicit, as the module's default. */
export const UserData = explicit(29, octetString, APPLICATION);

export const SystemStatus = enumerated({
  initializing: 0, enabled: 1, normal: 2, messagesLost: 3, disabled: 4, overloadImminent: 5, overloadReached: 6,
  overloadRelieved: 7, partiallyDisabled: 8,
});
export type SystemStatus = ValueOf<typeof SystemStatus>;

export const CallOrigination = bitString({ internal: 0, external: 1 });

export const ForwardingType = enumerated({
  forwardImmediate: 0, forwardBusy: 1, forwardNoAns: 2, forwardBusyInt: 3, forwardBusyExt: 4, forwardNoAnsInt: 5,
  forwardNoAnsExt: 6, forwardImmInt: 7, forwardImmExt: 8, forwardDND: 9, forwardDNDInt: 10, forwardDNDExt: 11,
});
export type ForwardingType = ValueOf<typeof ForwardingType>;

export const ForwardDefault = enumerated({ forwardingTypeAndForwardDN: 0, forwardingType: 1, forwardDN: 2 });

export const ForwardList = sequenceOf(
  sequence('ForwardList.entry', {
    forwardingType: opt(ForwardingType),
    forwardStatus: req(boolean),
    forwardDN: opt(DeviceID),
    forwardDefault: opt(ForwardDefault),
    ringDuration: opt(implicit(0, integer)),
    ringCount: opt(integer),
  }),
);
export type ForwardList = ValueOf<typeof ForwardList>;
