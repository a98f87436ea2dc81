// CSTA-extension-types {1 3 12 0 285 129}: common arguments and private data.
import { APPLICATION } from './ber';
import { choice, implicit, implicitRaw, nullType, octetString, opt, sequence, sequenceOf, type ValueOf } from './codec';
import { rawElement } from './raw';

/**
 * CSTAPrivateData ::= CHOICE { string OCTET STRING, private NULL } where the standard expects vendors to
 * replace NULL by their own type. Any non-OCTET-STRING element is therefore kept as raw BER (hex) in
 * `private`; vendor modules (panasonic-private-data.ts) decode it.
 */
export const CSTAPrivateData = choice('CSTAPrivateData', { string: octetString, private: rawElement });
export type CSTAPrivateData = ValueOf<typeof CSTAPrivateData>;

export const CSTACommonArguments = implicit(
  30,
  sequence('CSTACommonArguments', {
    /** CSTASecurityData (sequence numbers, time stamps); passed through as raw content. */
    security: opt(implicitRaw(0, true)),
    privateData: opt(implicit(1, sequenceOf(CSTAPrivateData))),
  }),
  APPLICATION,
);
export type CSTACommonArguments = ValueOf<typeof CSTACommonArguments>;

/** Result of the many services that answer CHOICE { extensions CSTACommonArguments, noData NULL }. */
export const NoDataResult = choice('Result', { extensions: CSTACommonArguments, noData: nullType });
export type NoDataResult = ValueOf<typeof NoDataResult>;
export const noData: NoDataResult = { noData: null };
