// X.227 ACSE as CSTA uses it: AARQ with the CSTA application context, optional sender authentication
// (user name and password, UTF-8) and the CSTA version in user-information; AARE, RLRQ, RLRE, ABRT.
import { APPLICATION, UNIVERSAL, asn1jsDecode, fromHex, hex, leanEncode } from './ber';
import {
  bitString,
  choice,
  enumerated,
  explicit,
  implicit,
  implicitRaw,
  integer,
  objectIdentifier,
  opt,
  req,
  sequence,
  sequenceOf,
  utf8Octets,
  type Codec,
  type ValueOf,
} from './codec';
import { rawElement, rawTagged } from './raw';

/** Application context of CSTA over ACSE, used by Panasonic and Siemens Phase III alike (see reference §4.3). */
export const CSTA_APPLICATION_CONTEXT = '1.3.12.0.218';
/** CSTA-application-context-information-csta3: direct-reference of the user-information EXTERNAL. */
export const CSTA3_USER_INFO_OID = '1.3.12.0.285.200';

export const CSTAVersionBits = {
  versionOne: 0, versionTwo: 1, versionThree: 2, versionFour: 3, versionFive: 4, versionSix: 5, versionSeven: 6,
  versionEight: 7, versionNine: 8, versionTen: 9, versionEleven: 10, versionTwelve: 11, versionThirteen: 12,
  versionFourteen: 13, versionFifteen: 14, versionSixteen: 15,
} as const;
export type CSTAVersionName = keyof typeof CSTAVersionBits;
/** Sent as 16 bits, as the Panasonic AARE does (`03 03 00 08 00`). */
export const CSTAVersion = bitString(CSTAVersionBits as Record<CSTAVersionName, number>, 16);

export const ACSEUserInformationForCSTA = choice('ACSEUserInformationForCSTA', {
  oldDefinition: rawTagged(UNIVERSAL, true, 16),
  newDefinition: implicit(
    0,
    sequence('NewACSEUserInformationForCSTA', {
      cSTAVersion: req(CSTAVersion),
      cSTAFunctionsRequiredByApplication: opt(implicitRaw(0, true)),
      cSTAFunctionsThatCanBeSupplied: opt(implicitRaw(1, true)),
      cSTAPrivateDataVersionList: opt(implicit(2, sequenceOf(integer))),
    }),
  ),
});
export type ACSEUserInformationForCSTA = ValueOf<typeof ACSEUserInformationForCSTA>;

/** EXTERNAL ::= [UNIVERSAL 8] IMPLICIT SEQUENCE (X.208 form); single-ASN1-type kept as raw BER. */
export const External = implicit(
  8,
  sequence('EXTERNAL', {
    directReference: opt(objectIdentifier),
    indirectReference: opt(integer),
    encoding: req(
      choice('EXTERNAL.encoding', {
        singleASN1Type: explicit(0, rawElement),
        octetAligned: implicitRaw(1, false),
        arbitrary: implicitRaw(2, false),
      }),
    ),
  }),
  UNIVERSAL,
);
export type External = ValueOf<typeof External>;

export const AuthenticationValue = choice('Authentication-value', {
  charstring: implicitRaw(0, false),
  bitstring: implicitRaw(1, false),
  external: implicit(2, External),
  other: implicitRaw(3, true),
});

/**
 * The CSTA sender authentication inside the EXTERNAL: `[0] IMPLICIT SEQUENCE { name, password }`, both
 * OCTET STRINGs in UTF-8 (UNSURE whether the formal type is a SEQUENCE or a CHOICE wrapping one; both
 * encode as A0 len 04.. 04..).
 */
export const SenderAuthentication = implicit(
  0,
  sequence('CSTA sender-authentication', { authenticationName: req(utf8Octets), authenticationPassword: req(utf8Octets) }),
);

const ProtocolVersion = implicit(0, bitString({ version1: 0 }));
const ACSERequirements = bitString({ authentication: 0, applicationContextNegotiation: 1 }, 2);
const AssociationInformation = sequenceOf(External);

export const AARQ = implicit(
  0,
  sequence('AARQ-apdu', {
    protocolVersion: opt(ProtocolVersion),
    applicationContextName: req(explicit(1, objectIdentifier)),
    senderAcseRequirements: opt(implicit(10, ACSERequirements)),
    mechanismName: opt(implicit(11, objectIdentifier)),
    callingAuthenticationValue: opt(explicit(12, AuthenticationValue)),
    userInformation: opt(implicit(30, AssociationInformation)),
  }),
  APPLICATION,
);
export type AARQ = ValueOf<typeof AARQ>;

export const associateResults = { accepted: 0, rejectedPermanent: 1, rejectedTransient: 2 } as const;
/** acse-service-user diagnostics (X.227). */
export const serviceUserDiagnostics = {
  null: 0, noReasonGiven: 1, applicationContextNameNotSupported: 2, callingAPTitleNotRecognized: 3,
  callingAPInvocationIdentifierNotRecognized: 4, callingAEQualifierNotRecognized: 5,
  callingAEInvocationIdentifierNotRecognized: 6, calledAPTitleNotRecognized: 7,
  calledAPInvocationIdentifierNotRecognized: 8, calledAEQualifierNotRecognized: 9,
  calledAEInvocationIdentifierNotRecognized: 10, authenticationMechanismNameNotRecognized: 11,
  authenticationMechanismNameRequired: 12, authenticationFailure: 13, authenticationRequired: 14,
} as const;
export const serviceProviderDiagnostics = { null: 0, noReasonGiven: 1, noCommonAcseVersion: 2 } as const;

export const AssociateSourceDiagnostic = choice('Associate-source-diagnostic', {
  acseServiceUser: explicit(1, integer),
  acseServiceProvider: explicit(2, integer),
});
export type AssociateSourceDiagnostic = ValueOf<typeof AssociateSourceDiagnostic>;

export const AARE = implicit(
  1,
  sequence('AARE-apdu', {
    protocolVersion: opt(ProtocolVersion),
    applicationContextName: req(explicit(1, objectIdentifier)),
    result: req(explicit(2, integer)),
    resultSourceDiagnostic: req(explicit(3, AssociateSourceDiagnostic)),
    responderAcseRequirements: opt(implicit(8, ACSERequirements)),
    mechanismName: opt(implicit(9, objectIdentifier)),
    respondingAuthenticationValue: opt(explicit(10, AuthenticationValue)),
    userInformation: opt(implicit(30, AssociationInformation)),
  }),
  APPLICATION,
);
export type AARE = ValueOf<typeof AARE>;

export const RLRQ = implicit(
  2,
  sequence('RLRQ-apdu', { reason: opt(implicit(0, integer)), userInformation: opt(implicit(30, AssociationInformation)) }),
  APPLICATION,
);
export type RLRQ = ValueOf<typeof RLRQ>;
export const RLRE = implicit(
  3,
  sequence('RLRE-apdu', { reason: opt(implicit(0, integer)), userInformation: opt(implicit(30, AssociationInformation)) }),
  APPLICATION,
);
export type RLRE = ValueOf<typeof RLRE>;

export const abortDiagnostics = {
  noReasonGiven: 1, protocolError: 2, authenticationMechanismNameNotRecognized: 3, authenticationMechanismNameRequired: 4,
  authenticationFailure: 5, authenticationRequired: 6,
} as const;
export const ABRT = implicit(
  4,
  sequence('ABRT-apdu', {
    /** 0 = acse-service-user, 1 = acse-service-provider */
    abortSource: req(implicit(0, integer)),
    abortDiagnostic: opt(implicit(1, enumerated(abortDiagnostics as Record<keyof typeof abortDiagnostics, number>))),
    userInformation: opt(implicit(30, AssociationInformation)),
  }),
  APPLICATION,
);
export type ABRT = ValueOf<typeof ABRT>;

// ---------------------------------------------------------------- friendly builders and readers


function singleType<T>(codec: Codec<T>, v: T): External['encoding'] {
  return { singleASN1Type: hex(leanEncode(codec.enc(v))) };
}
function fromSingleType<T>(codec: Codec<T>, ext: External): T | undefined {
  if (!('singleASN1Type' in ext.encoding)) return undefined;
  return codec.dec(asn1jsDecode(fromHex(ext.encoding.singleASN1Type)));
}

export interface AssociationRequest {
  /** Default 1.3.12.0.218. */
  applicationContext?: string;
  user?: string;
  password?: string;
  /** Default ['versionFive'] (what the Panasonic AARE answers). */
  cstaVersions?: CSTAVersionName[];
}

/** Builds the AARQ a CSTA client sends; adds sender authentication when a user is given. */
export function buildAarq(req: AssociationRequest = {}): AARQ {
  const userInfo: External = {
    directReference: CSTA3_USER_INFO_OID,
    encoding: singleType(ACSEUserInformationForCSTA, { newDefinition: { cSTAVersion: req.cstaVersions ?? ['versionFive'] } }),
  };
  const out: AARQ = { applicationContextName: req.applicationContext ?? CSTA_APPLICATION_CONTEXT, userInformation: [userInfo] };
  if (req.user !== undefined) {
    out.senderAcseRequirements = ['authentication'];
    out.callingAuthenticationValue = {
      external: {
        encoding: singleType(SenderAuthentication, { authenticationName: req.user, authenticationPassword: req.password ?? '' }),
      },
    };
  }
  return out;
}

/** User name and password carried in an AARQ, if any. */
export function aarqCredentials(aarq: AARQ): { user: string; password: string } | undefined {
  const av = aarq.callingAuthenticationValue;
  if (!av || !('external' in av)) return undefined;
  const v = fromSingleType(SenderAuthentication, av.external);
  return v ? { user: v.authenticationName, password: v.authenticationPassword } : undefined;
}

/** CSTA versions proposed in an AARQ/AARE user-information (empty when absent). */
export function cstaVersionsOf(apdu: { userInformation?: External[] }): CSTAVersionName[] {
  for (const ext of apdu.userInformation ?? []) {
    try {
      const ui = fromSingleType(ACSEUserInformationForCSTA, ext);
      if (ui && 'newDefinition' in ui) return ui.newDefinition.cSTAVersion;
    } catch {
      // not CSTA user information
    }
  }
  return [];
}

export interface AssociationResponse {
  applicationContext?: string;
  result?: keyof typeof associateResults;
  /** Default: acse-service-user no-reason-given (1), as the Panasonic AARE sends even on success. */
  diagnostic?: AssociateSourceDiagnostic;
  cstaVersions?: CSTAVersionName[];
}

/** Builds an AARE as the Panasonic PBX sends it (byte-identical to the captured one for the defaults). */
export function buildAare(res: AssociationResponse = {}): AARE {
  return {
    protocolVersion: ['version1'],
    applicationContextName: res.applicationContext ?? CSTA_APPLICATION_CONTEXT,
    result: associateResults[res.result ?? 'accepted'],
    resultSourceDiagnostic: res.diagnostic ?? { acseServiceUser: 1 },
    userInformation: [
      {
        directReference: CSTA3_USER_INFO_OID,
        encoding: singleType(ACSEUserInformationForCSTA, { newDefinition: { cSTAVersion: res.cstaVersions ?? ['versionFive'] } }),
      },
    ],
  };
}

/** Human words for an AARE diagnostic, e.g. "acse-service-user authenticationFailure(13)". */
export function describeDiagnostic(d: AssociateSourceDiagnostic): string {
  if ('acseServiceUser' in d) {
    const name = Object.keys(serviceUserDiagnostics).find((k) => serviceUserDiagnostics[k as keyof typeof serviceUserDiagnostics] === d.acseServiceUser);
    return `acse-service-user ${name ?? 'unknown'}(${d.acseServiceUser})`;
  }
  const name = Object.keys(serviceProviderDiagnostics).find((k) => serviceProviderDiagnostics[k as keyof typeof serviceProviderDiagnostics] === d.acseServiceProvider);
  return `acse-service-provider ${name ?? 'unknown'}(${d.acseServiceProvider})`;
}
