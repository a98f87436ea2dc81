// CSTA-escape-service (51): vendor requests and replies carried in CSTAPrivateData.
import { octetString, opt, req, sequence, type ValueOf } from './codec';
import { CSTAPrivateData } from './extension-types';
import { UNIVERSAL } from './ber';
import { rawTagged } from './raw';

/** EscapeRegisterID ::= OCTET STRING (CSTA-escape-types). */
export const EscapeRegisterID = octetString;

export const EscapeArgument = sequence('EscapeArgument', {
  escapeRegisterID: opt(EscapeRegisterID),
  /** CSTASecurityData, passed through as raw content. */
  security: opt(rawTagged(UNIVERSAL, true, 16)),
  privateData: req(CSTAPrivateData),
});
export type EscapeArgument = ValueOf<typeof EscapeArgument>;
