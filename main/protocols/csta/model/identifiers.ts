// ECMA-269 §6.1 (device identifiers) and §6.2 (calls and connections), with every identifier as text. An
// encoding decides how the text travels: BER writes a call ID's octets (hex here) and a device number as an
// INTEGER, XML writes both as element text; neither shape leaks into this module.

/** How a device identifier is to be read (ECMA-269 DeviceID formats). Absent means `dialingNumber`. */
export type DeviceIdFormat =
  | 'dialingNumber'
  | 'deviceNumber'
  | 'implicitPublic'
  | 'explicitPublic'
  | 'implicitPrivate'
  | 'explicitPrivate'
  | 'other';

/** Type of number of an explicit public number (E.164 / national plans). */
export type PublicTypeOfNumber = 'unknown' | 'international' | 'national' | 'networkspecific' | 'subscriber' | 'abbreviated';
/** Type of number of an explicit private number (PNP levels). */
export type PrivateTypeOfNumber =
  | 'unknown'
  | 'level3RegionalNumber'
  | 'level2RegionalNumber'
  | 'level1RegionalNumber'
  | 'pTNSpecificNumber'
  | 'localNumber'
  | 'abbreviated';

/** A device: the identifier as text, how to read it, and the switch's optional number and name for it. */
export interface DeviceRef {
  id: string;
  /** Default `dialingNumber`. A `deviceNumber` id holds a decimal integer; an `other` id the octets in hex. */
  format?: DeviceIdFormat;
  /** With `explicitPublic` / `explicitPrivate`: the type of number. */
  typeOfNumber?: PublicTypeOfNumber | PrivateTypeOfNumber;
  privateNumber?: string;
  /** The name the switch gives the device (ECMA-269 privateName). */
  name?: string;
}

/**
 * A device taking part in a call (calling, called, subject, redirection …): a device, or the switch saying it
 * cannot or will not tell which. `notRequired` and `notSpecified` occur for redirection devices only.
 */
export type PartyRef = DeviceRef | { unavailable: 'notKnown' | 'restricted' | 'notRequired' | 'notSpecified' };

/** A call, as the switch names it (ECMA-269 callID). */
export type CallRef = string;

/**
 * One device's part in one call (ECMA-269 ConnectionID): the call, the device, or both. A switch may name the
 * device by a dynamic identifier that only means something within that call.
 */
export interface ConnectionRef {
  callId?: CallRef;
  device?: DeviceRef;
  dynamicDeviceId?: string;
}

/** Cross-reference identifiers the switch hands out (monitors, device lists, escapes), as text. */
export type MonitorCrossRefId = string;
export type ServiceCrossRefId = string;

// ---- helpers

/** A device by its dialing number (the usual form). */
export function device(id: string, name?: string): DeviceRef {
  return name === undefined ? { id } : { id, name };
}

/** The text of a party, or undefined when the switch did not say. */
export function partyId(p: PartyRef | undefined): string | undefined {
  return p && 'id' in p ? p.id : undefined;
}

/** A connection naming both the call and the device (the form most switches want in requests). */
export function connection(callId: CallRef, dev: DeviceRef | string): ConnectionRef {
  return { callId, device: typeof dev === 'string' ? { id: dev } : dev };
}
