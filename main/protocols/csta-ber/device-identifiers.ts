// CSTA-device-identifiers {1 3 12 0 285 123}: DeviceID and the APPLICATION-tagged CHOICEs built on it.
import { APPLICATION, UNIVERSAL } from './ber';
import { choice, explicit, implicit, ia5String, integer, nullType, octetString, opt, req, sequence, type Codec, type ValueOf } from './codec';
import { rawTagged } from './raw';

export const PublicTON = choice('PublicTON', {
  unknown: implicit(0, ia5String),
  international: implicit(1, ia5String),
  national: implicit(2, ia5String),
  networkspecific: implicit(3, ia5String),
  subscriber: implicit(4, ia5String),
  abbreviated: implicit(5, ia5String),
});

export const PrivateTON = choice('PrivateTON', {
  unknown: implicit(0, ia5String),
  level3RegionalNumber: implicit(1, ia5String),
  level2RegionalNumber: implicit(2, ia5String),
  level1RegionalNumber: implicit(3, ia5String),
  pTNSpecificNumber: implicit(4, ia5String),
  localNumber: implicit(5, ia5String),
  abbreviated: implicit(6, ia5String),
});

export const DeviceIdentifier = choice('DeviceID.deviceIdentifier', {
  dialingNumber: implicit(0, ia5String),
  deviceNumber: implicit(1, integer),
  implicitPublic: implicit(2, ia5String),
  explicitPublic: explicit(3, PublicTON),
  implicitPrivate: implicit(4, ia5String),
  explicitPrivate: explicit(5, PrivateTON),
  other: implicit(6, octetString),
});

/** MediaCallCharacteristics (CSTA-media-services) is passed through as raw BER. */
export const MediaCallCharacteristicsRaw = rawTagged(UNIVERSAL, true, 16);

export const DeviceID = sequence('DeviceID', {
  deviceIdentifier: req(DeviceIdentifier),
  privateNumber: opt(explicit(0, ia5String)),
  privateName: opt(explicit(1, ia5String)),
  mediaCallCharacteristics: opt(MediaCallCharacteristicsRaw),
});
export type DeviceID = ValueOf<typeof DeviceID>;

function partyChoice(name: string, appTag: number) {
  return explicit(
    appTag,
    choice(name, { deviceIdentifier: DeviceID, notKnown: implicit(7, nullType), restricted: implicit(8, nullType) }),
    APPLICATION,
  );
}

export const CallingDeviceID = partyChoice('CallingDeviceID', 1);
export const CalledDeviceID = partyChoice('CalledDeviceID', 2);
export const SubjectDeviceID = partyChoice('SubjectDeviceID', 3);
export const AssociatedCallingDeviceID = partyChoice('AssociatedCallingDeviceID', 5);
export const AssociatedCalledDeviceID = partyChoice('AssociatedCalledDeviceID', 6);
export const NetworkCallingDeviceID = partyChoice('NetworkCallingDeviceID', 7);
export const NetworkCalledDeviceID = partyChoice('NetworkCalledDeviceID', 8);
export const ExtendedDeviceID = partyChoice('ExtendedDeviceID', 9);
/** Calling/Called/Subject/... device: a DeviceID, or notKnown / restricted. */
export type PartyDeviceID = ValueOf<typeof CallingDeviceID>;

export const RedirectionDeviceID = explicit(
  4,
  choice('RedirectionDeviceID', {
    numberdialed: DeviceID,
    notKnown: implicit(7, nullType),
    notRequired: implicit(8, nullType),
    notSpecified: implicit(9, nullType),
    restricted: implicit(10, nullType),
  }),
  APPLICATION,
);
export type RedirectionDeviceID = ValueOf<typeof RedirectionDeviceID>;

// ---- helpers for people building and reading device identifiers

export function dialingNumber(digits: string, privateName?: string): DeviceID {
  return privateName === undefined ? { deviceIdentifier: { dialingNumber: digits } } : { deviceIdentifier: { dialingNumber: digits }, privateName };
}
export function deviceNumber(n: number): DeviceID {
  return { deviceIdentifier: { deviceNumber: n } };
}
export function party(device: DeviceID): PartyDeviceID {
  return { deviceIdentifier: device };
}

/** The number or identifier a DeviceID carries, as text (for logs, UIs and lookups). */
export function deviceIdText(d: DeviceID): string {
  const id = d.deviceIdentifier as Record<string, unknown>;
  const [kind] = Object.keys(id);
  const v = id[kind];
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const inner = v as Record<string, string>;
  return String(Object.values(inner)[0]);
}

/** Text of a Calling/Called/Subject device, or undefined when notKnown / restricted. */
export function partyText(p: PartyDeviceID | RedirectionDeviceID | undefined): string | undefined {
  if (!p) return undefined;
  const v = p as Record<string, unknown>;
  const d = (v.deviceIdentifier ?? v.numberdialed) as DeviceID | undefined;
  return d ? deviceIdText(d) : undefined;
}

export type { Codec };
