// Fast typed decoder for cSTAEventReport invokes (issue #3): one pass over the bytes with hand-written
// readers per member type and, per event, a member table compiled once into straight-line code; no Tlv tree
// and no codec interpretation at run time. It returns exactly what `decodeApdu(bytes, { engine: 'lean' })`
// returns (the asn1js engine agrees except where the two engines differ anyway: it drops universal-0
// "end-of-contents" elements inside pass-through content). Whatever it does not handle on its own (other
// APDUs, unmodelled event categories, indefinite lengths or multi-byte tags, pass-through members whose
// re-encoding would differ, anything malformed) goes to `decodeApdu`, so results and errors stay its own.
import { decodeApdu, type CodecOptions, type CstaApdu } from './apdu';
import { APPLICATION, UNIVERSAL, type Tlv } from './ber';
import type { Codec } from './codec';
import { LocalConnectionState } from './connection-states';
import { CallOrigination, ForwardDefault, ForwardingType } from './device-feature-types';
import { EventCause } from './event-causes';

/** Thrown inside the fast path only; means "let the existing decoder answer". */
const BAIL = { bail: true };

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

function hexOf(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]];
  return s;
}

/** IA5String as decodeIA5 reads it: one char per byte. */
function ascii(b: Uint8Array, start: number, end: number): string {
  // short numbers (the common case) in one flat string; longer ones char by char
  const c = String.fromCharCode;
  switch (end - start) {
    case 0: return '';
    case 1: return c(b[start]);
    case 2: return c(b[start], b[start + 1]);
    case 3: return c(b[start], b[start + 1], b[start + 2]);
    case 4: return c(b[start], b[start + 1], b[start + 2], b[start + 3]);
  }
  let s = '';
  for (let i = start; i < end; i++) s += c(b[i]);
  return s;
}

function int(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > 6) throw BAIL;
  let v = b[start] & 0x80 ? -1 : 0;
  for (let i = start; i < end; i++) v = v * 256 + b[i];
  return v;
}

/** S.e: end of the element `content` read last; S.s: content start set by `one` (shared with compiled code). */
const S = { e: 0, s: 0 };
/** Header reader: returns the first content byte of the element at pos and sets S.e to its end (low tag
 * numbers and definite lengths up to 0xffff only). */
function content(b: Uint8Array, pos: number, limit: number): number {
  if (pos + 2 > limit || (b[pos] & 0x1f) === 0x1f) throw BAIL;
  let len = b[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    if (len === 0x81) {
      if (p >= limit) throw BAIL;
      len = b[p++];
    } else if (len === 0x82) {
      if (p + 2 > limit) throw BAIL;
      len = (b[p] << 8) | b[p + 1];
      p += 2;
    } else throw BAIL;
  }
  S.e = p + len;
  if (S.e > limit) throw BAIL;
  return p;
}

/**
 * True when the elements in [pos, end) are well-formed and every header is minimal, i.e. the lean writer
 * would produce exactly these bytes again (so pass-through hex equals what the codec gives).
 */
function minimal(b: Uint8Array, pos: number, end: number, depth: number): boolean {
  if (depth > 40) return false;
  while (pos < end) {
    const first = b[pos];
    if ((first & 0x1f) === 0x1f || pos + 2 > end) return false;
    let len = b[pos + 1];
    let p = pos + 2;
    if (len & 0x80) {
      if (len === 0x81) {
        if (p >= end || b[p] < 0x80) return false;
        len = b[p++];
      } else if (len === 0x82) {
        if (p + 2 > end || b[p] === 0) return false;
        len = (b[p] << 8) | b[p + 1];
        p += 2;
      } else return false;
    }
    const e = p + len;
    if (e > end) return false;
    if (first & 0x20 && !minimal(b, p, e, depth + 1)) return false;
    pos = e;
  }
  return true;
}

/** A single-byte table for an ENUMERATED-like codec, filled by asking the codec itself once per value. */
function enumTable(codec: Codec<unknown>, cls: number, tag: number): unknown[] {
  const t: unknown[] = [];
  for (let n = 0; n < 128; n++) t.push(codec.dec({ cls, constructed: false, tag, content: Uint8Array.of(n) }));
  return t;
}
function enumReader(codec: Codec<unknown>, cls: number, tag: number): Reader {
  const table = enumTable(codec, cls, tag);
  return (b, s, e) => {
    if (e - s === 1 && b[s] < 0x80) return table[b[s]];
    const n = int(b, s, e); // non-minimal or large: the codec gives the name when known, else the number
    return n >= 0 && n < 128 ? table[n] : n;
  };
}

type Reader = (b: Uint8Array, start: number, end: number) => unknown;
interface Member {
  byte: number;
  name: string;
  opt: boolean;
  read: Reader;
}

const m = (byte: number, name: string, read: Reader): Member => ({ byte, name, opt: false, read });
const o = (byte: number, name: string, read: Reader): Member => ({ byte, name, opt: true, read });

/**
 * SEQUENCE members strictly in order (optional ones may be absent); anything else bails. Each member table is
 * compiled once into a straight-line function with constant property names, so V8 sees plain field stores
 * and one call site per member (a loop over the table would make every store and call megamorphic).
 */
type SeqReader = (b: Uint8Array, pos: number, end: number) => Record<string, unknown>;
function compileSeq(members: Member[], wrap?: [string, string]): SeqReader {
  const lines = ['"use strict";', 'return function seq(b, pos, end) {', '  const out = {};', '  let s = 0;', '  let byte = pos < end ? b[pos] : -1;'];
  members.forEach((mb, i) => {
    lines.push(`  if (byte === ${mb.byte}) {`);
    // short definite length inline; anything longer through content()
    lines.push(`    if (b[pos + 1] < 128) { s = pos + 2; pos = s + b[pos + 1]; if (pos > end) throw BAIL; }`);
    lines.push(`    else { s = content(b, pos, end); pos = S.e; }`);
    lines.push(`    out[${JSON.stringify(mb.name)}] = R${i}(b, s, pos);`);
    lines.push(`    byte = pos < end ? b[pos] : -1;`);
    lines.push(mb.opt ? '  }' : '  } else throw BAIL;');
  });
  const result = wrap ? `{ ${JSON.stringify(wrap[0])}: { ${JSON.stringify(wrap[1])}: out } }` : 'out';
  lines.push('  if (pos !== end) throw BAIL;', `  return ${result};`, '};');
  const names = members.map((_, i) => `R${i}`);
  return new Function('content', 'S', 'BAIL', ...names, lines.join('\n'))(content, S, BAIL, ...members.map((mb) => mb.read)) as SeqReader;
}

/** Exactly one element inside [start, end): returns its first byte; its content is [S.s, S.e). */
function one(b: Uint8Array, start: number, end: number): number {
  S.s = content(b, start, end);
  if (S.e !== end) throw BAIL;
  return b[start];
}

// ---- primitive readers

const octets: Reader = (b, s, e) => hexOf(b, s, e);
const text: Reader = (b, s, e) => ascii(b, s, e);
const integer: Reader = (b, s, e) => int(b, s, e);
const nul: Reader = (_b, s, e) => {
  if (s !== e) throw BAIL;
  return null;
};
const bool: Reader = (b, s, e) => {
  if (e - s !== 1) throw BAIL;
  return b[s] !== 0;
};
/** Pass-through constructed member: hex of its children, when re-encoding would give the same bytes. */
const rawCons: Reader = (b, s, e) => {
  if (!minimal(b, s, e, 8)) throw BAIL;
  return hexOf(b, s, e);
};
const rawPrim: Reader = octets;

const cause = enumReader(EventCause as Codec<unknown>, UNIVERSAL, 10);
const localState = enumReader(LocalConnectionState as Codec<unknown>, APPLICATION, 14);
const forwardingType = enumReader(ForwardingType as Codec<unknown>, UNIVERSAL, 10);
const forwardDefault = enumReader(ForwardDefault as Codec<unknown>, UNIVERSAL, 10);
const callOrigination: Reader = (b, s, e) => {
  try {
    return CallOrigination.dec({ cls: UNIVERSAL, constructed: false, tag: 3, content: b.subarray(s, e) } as Tlv);
  } catch {
    throw BAIL;
  }
};

// ---- device identifiers

const publicTon = ['unknown', 'international', 'national', 'networkspecific', 'subscriber', 'abbreviated'];
const privateTon = ['unknown', 'level3RegionalNumber', 'level2RegionalNumber', 'level1RegionalNumber', 'pTNSpecificNumber', 'localNumber', 'abbreviated'];

function ton(names: string[]): Reader {
  return (b, s, e) => {
    const first = one(b, s, e);
    const i = first - 0x80;
    if (i < 0 || i >= names.length) throw BAIL;
    return { [names[i]]: ascii(b, S.s, S.e) };
  };
}
const publicTonReader = ton(publicTon);
const privateTonReader = ton(privateTon);

const explicitText: Reader = (b, s, e) => {
  if (one(b, s, e) !== 0x16) throw BAIL;
  return ascii(b, S.s, S.e);
};

function deviceIdentifierAt(b: Uint8Array, byte: number, s: number, e: number): unknown {
  switch (byte) {
    case 0x80:
      return { dialingNumber: ascii(b, s, e) };
    case 0x81:
      return { deviceNumber: int(b, s, e) };
    case 0x82:
      return { implicitPublic: ascii(b, s, e) };
    case 0xa3:
      return { explicitPublic: publicTonReader(b, s, e) };
    case 0x84:
      return { implicitPrivate: ascii(b, s, e) };
    case 0xa5:
      return { explicitPrivate: privateTonReader(b, s, e) };
    case 0x86:
      return { other: hexOf(b, s, e) };
  }
  throw BAIL;
}

/** DeviceID SEQUENCE content: deviceIdentifier, then optional [0] privateNumber, [1] privateName, SEQUENCE mcc. */
const deviceID: Reader = (b, s, e) => {
  if (s >= e) throw BAIL;
  const cs = content(b, s, e);
  let pos = S.e;
  const out: Record<string, unknown> = { deviceIdentifier: deviceIdentifierAt(b, b[s], cs, pos) };
  if (pos === e) return out;
  if (b[pos] === 0xa0) {
    const c = content(b, pos, e);
    pos = S.e;
    out.privateNumber = explicitText(b, c, pos);
    if (pos === e) return out;
  }
  if (b[pos] === 0xa1) {
    const c = content(b, pos, e);
    pos = S.e;
    out.privateName = explicitText(b, c, pos);
    if (pos === e) return out;
  }
  if (b[pos] === 0x30) {
    const c = content(b, pos, e);
    pos = S.e;
    out.mediaCallCharacteristics = rawCons(b, c, pos);
    if (pos === e) return out;
  }
  throw BAIL;
};

/** [APPLICATION n] CHOICE { DeviceID, notKnown [7], restricted [8] } (Calling/Called/Subject/... device). */
const partyDevice: Reader = (b, s, e) => {
  const first = one(b, s, e);
  if (first === 0x30) return { deviceIdentifier: deviceID(b, S.s, S.e) };
  if (first === 0x87) return { notKnown: nul(b, S.s, S.e) };
  if (first === 0x88) return { restricted: nul(b, S.s, S.e) };
  throw BAIL;
};
const redirectionDevice: Reader = (b, s, e) => {
  const first = one(b, s, e);
  switch (first) {
    case 0x30:
      return { numberdialed: deviceID(b, S.s, S.e) };
    case 0x87:
      return { notKnown: nul(b, S.s, S.e) };
    case 0x88:
      return { notRequired: nul(b, S.s, S.e) };
    case 0x89:
      return { notSpecified: nul(b, S.s, S.e) };
    case 0x8a:
      return { restricted: nul(b, S.s, S.e) };
  }
  throw BAIL;
};

// ---- connections

const localDeviceID: Reader = (b, s, e) => {
  const first = one(b, s, e);
  if (first === 0x30) return { staticID: deviceID(b, S.s, S.e) };
  if (first === 0x83) return { dynamicID: hexOf(b, S.s, S.e) };
  throw BAIL;
};
const both = compileSeq([m(0x80, 'callID', octets), m(0xa1, 'deviceID', localDeviceID)]);
/** ConnectionID content ([APPLICATION 11] CHOICE). */
const connectionID: Reader = (b, s, e) => {
  const first = one(b, s, e);
  if (first === 0x30) return { both: both(b, S.s, S.e) };
  if (first === 0x80) return { callID: hexOf(b, S.s, S.e) };
  if (first === 0xa1) return { deviceID: localDeviceID(b, S.s, S.e) };
  throw BAIL;
};
/** [n] ConnectionID (explicit): one [APPLICATION 11] inside. */
const explicitConnection: Reader = (b, s, e) => {
  if (one(b, s, e) !== 0x6b) throw BAIL;
  return connectionID(b, S.s, S.e);
};
const endpoint: Reader = (b, s, e) => {
  const first = one(b, s, e);
  if (first === 0x30) return { deviceID: deviceID(b, S.s, S.e) };
  if (first === 0x05) return { notKnown: nul(b, S.s, S.e) };
  if (first === 0x81) return { restricted: nul(b, S.s, S.e) };
  throw BAIL;
};
const associatedNID: Reader = (b, s, e) => {
  const first = one(b, s, e);
  if (first === 0x30) return { deviceID: deviceID(b, S.s, S.e) };
  if (first === 0x05) return { notKnown: nul(b, S.s, S.e) };
  throw BAIL;
};
const connectionListEntry = compileSeq([
  o(0xa0, 'newConnection', explicitConnection),
  o(0xa1, 'oldConnection', explicitConnection),
  o(0xa2, 'endpoint', endpoint),
  o(0xa3, 'associatedNID', associatedNID),
  o(0x30, 'resultingConnectionInfo', rawCons),
]);
const connectionList: Reader = (b, s, e) => {
  const out: unknown[] = [];
  let pos = s;
  while (pos < e) {
    if (b[pos] !== 0x30) throw BAIL;
    const cs = content(b, pos, e);
    const ce = S.e;
    out.push(connectionListEntry(b, cs, ce));
    pos = ce;
  }
  return out;
};
/** Explicit ConnectionList: one SEQUENCE OF inside (ConferencedEvent). */
const seqConnectionList: Reader = connectionList; // member byte 0x30 is the SEQUENCE OF itself

// ---- common arguments

/** CSTAPrivateData CHOICE: OCTET STRING, or any other element kept as its full encoding. */
const privateDataList: Reader = (b, s, e) => {
  const out: unknown[] = [];
  let pos = s;
  while (pos < e) {
    const start = pos;
    const cs = content(b, pos, e);
    const ce = S.e;
    if (b[start] === 0x04) out.push({ string: hexOf(b, cs, ce) });
    else {
      if (!minimal(b, start, ce, 8)) throw BAIL;
      out.push({ private: hexOf(b, start, ce) });
    }
    pos = ce;
  }
  return out;
};
const commonArguments: Reader = compileSeq([o(0xa0, 'security', rawCons), o(0xa1, 'privateData', privateDataList)]);
const userData: Reader = (b, s, e) => {
  if (one(b, s, e) !== 0x04) throw BAIL;
  return hexOf(b, S.s, S.e);
};

// ---- events (member tables in ECMA-285 order, as event-report-definitions.ts)

const CONN = 0x6b;
const SUBJ = 0x63;
const CALLING = 0x61;
const CALLED = 0x62;
const REDIR = 0x64;
const ASSOC_CALLING = 0x65;
const ASSOC_CALLED = 0x66;
const NET_CALLING = 0x67;
const NET_CALLED = 0x68;
const LCS = 0x4e;
const CAUSE = 0x0a;
const EXT = 0x7e;
const USER = 0x7d;
const ctxC = (n: number) => 0xa0 | n; // [n] constructed
const ctxP = (n: number) => 0x80 | n; // [n] primitive

const raw = (n: number, name: string) => o(ctxC(n), name, rawCons);
const rawP = (n: number, name: string) => o(ctxP(n), name, rawPrim);
const txt = (n: number, name: string) => o(ctxP(n), name, text);
const corr = (n: number) => o(ctxP(n), 'correlatorData', octets);

const delivered: Member[] = [
  m(CONN, 'connection', connectionID), m(SUBJ, 'alertingDevice', partyDevice), m(CALLING, 'callingDevice', partyDevice),
  m(CALLED, 'calledDevice', partyDevice), m(REDIR, 'lastRedirectionDevice', redirectionDevice),
  o(CONN, 'originatingNIDConnection', connectionID), o(LCS, 'localConnectionInfo', localState), corr(0),
  o(USER, 'userData', userData), m(CAUSE, 'cause', cause), raw(1, 'servicesPermitted'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), o(ASSOC_CALLED, 'associatedCalledDevice', partyDevice),
  raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, 'connectionInfo'), raw(5, 'callLinkageData'),
  txt(6, 'subjectOfCall'), raw(7, 'messageInfo'), txt(8, 'languagePreferences'), raw(9, 'deviceHistory'),
  raw(10, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const established: Member[] = [
  m(CONN, 'establishedConnection', connectionID), m(SUBJ, 'answeringDevice', partyDevice), m(CALLING, 'callingDevice', partyDevice),
  m(CALLED, 'calledDevice', partyDevice), m(REDIR, 'lastRedirectionDevice', redirectionDevice),
  o(CONN, 'originatingNIDConnection', connectionID), o(LCS, 'localConnectionInfo', localState), corr(1),
  o(USER, 'userData', userData), m(CAUSE, 'cause', cause), raw(2, 'servicesPermitted'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), o(ASSOC_CALLED, 'associatedCalledDevice', partyDevice),
  raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'), raw(5, 'establishedConnectionInfo'), raw(6, 'callLinkageData'),
  txt(7, 'subjectOfCall'), raw(8, 'messageInfo'), txt(9, 'languagePreferences'), raw(10, 'deviceHistory'),
  raw(11, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const connectionCleared: Member[] = [
  m(CONN, 'droppedConnection', connectionID), m(SUBJ, 'releasingDevice', partyDevice), o(LCS, 'localConnectionInfo', localState),
  corr(0), o(USER, 'userData', userData), raw(1, 'chargingInfo'), m(CAUSE, 'cause', cause), raw(2, 'servicesPermitted'),
  raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'), raw(5, 'droppedConnectionInfo'), raw(6, 'callLinkageData'),
  txt(7, 'languagePreferences'), raw(8, 'deviceHistory'), raw(9, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const originated: Member[] = [
  m(CONN, 'originatedConnection', connectionID), m(SUBJ, 'callingDevice', partyDevice), m(CALLED, 'calledDevice', partyDevice),
  o(0x30, 'originatingDevice', deviceID), o(LCS, 'localConnectionInfo', localState), corr(2), m(CAUSE, 'cause', cause),
  raw(3, 'servicesPermitted'), o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), o(ASSOC_CALLED, 'associatedCalledDevice', partyDevice),
  raw(4, 'mediaCallCharacteristics'), rawP(5, 'callCharacteristics'), raw(6, 'originatedConnectionInfo'), raw(7, 'callLinkageData'),
  txt(8, 'subjectOfCall'), raw(9, 'messageInfo'), txt(10, 'languagePreferences'), raw(11, 'locationInfo'),
  o(EXT, 'extensions', commonArguments),
];
const serviceInitiated: Member[] = [
  m(CONN, 'initiatedConnection', connectionID), m(SUBJ, 'initiatingDevice', partyDevice), o(CALLED, 'calledDevice', partyDevice),
  o(LCS, 'localConnectionInfo', localState), corr(0), m(CAUSE, 'cause', cause), raw(1, 'servicesPermitted'),
  raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, 'initiatedConnectionInfo'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), raw(5, 'callLinkageData'), txt(7, 'subjectOfCall'),
  raw(8, 'messageInfo'), txt(9, 'languagePreferences'), raw(10, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
function holdLike(connection: string, device: string, info: string): Member[] {
  return [
    m(CONN, connection, connectionID), m(SUBJ, device, partyDevice), o(LCS, 'localConnectionInfo', localState), corr(0),
    m(CAUSE, 'cause', cause), raw(1, 'servicesPermitted'), raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'),
    raw(4, info), raw(5, 'callLinkageData'), txt(6, 'languagePreferences'), raw(7, 'locationInfo'), o(EXT, 'extensions', commonArguments),
  ];
}
const held = holdLike('heldConnection', 'holdingDevice', 'heldConnectionInfo');
const retrieved = holdLike('retrievedConnection', 'retrievingDevice', 'retrievedConnectionInfo');
const transferred: Member[] = [
  m(CONN, 'primaryOldCall', connectionID), o(ctxC(0), 'secondaryOldCall', connectionID), m(SUBJ, 'transferringDevice', partyDevice),
  m(SUBJ, 'transferredToDevice', partyDevice), m(ctxC(1), 'transferredConnections', connectionList),
  o(LCS, 'localConnectionInfo', localState), corr(2), o(USER, 'userData', userData), raw(3, 'chargingInfo'), m(CAUSE, 'cause', cause),
  raw(4, 'servicesPermitted'), raw(5, 'mediaCallCharacteristics'), rawP(6, 'callCharacteristics'), raw(7, 'callLinkageDataList'),
  txt(8, 'languagePreferences'), raw(9, 'deviceHistory'), raw(10, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const conferenced: Member[] = [
  m(CONN, 'primaryOldCall', connectionID), o(CONN, 'secondaryOldCall', connectionID), m(SUBJ, 'conferencingDevice', partyDevice),
  m(SUBJ, 'addedParty', partyDevice), m(0x30, 'conferenceConnections', seqConnectionList), o(LCS, 'localConnectionInfo', localState),
  corr(1), o(USER, 'userData', userData), m(CAUSE, 'cause', cause), raw(2, 'servicesPermitted'), raw(3, 'mediaCallCharacteristics'),
  rawP(4, 'callCharacteristics'), raw(6, 'callLinkageDataList'), txt(7, 'languagePreferences'), raw(8, 'deviceHistory'),
  raw(9, 'locationInfo'), o(ctxC(5), 'extensions', commonArguments),
];
const diverted: Member[] = [
  m(CONN, 'connection', connectionID), m(SUBJ, 'divertingDevice', partyDevice), m(SUBJ, 'newDestination', partyDevice),
  o(CALLING, 'callingDevice', partyDevice), o(CALLED, 'calledDevice', partyDevice), m(REDIR, 'lastRedirectionDevice', redirectionDevice),
  o(LCS, 'localConnectionInfo', localState), corr(0), o(USER, 'userData', userData), m(CAUSE, 'cause', cause),
  raw(1, 'servicesPermitted'), raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, 'connectionInfo'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), o(ASSOC_CALLED, 'associatedCalledDevice', partyDevice),
  raw(5, 'callLinkageData'), txt(6, 'subjectOfCall'), raw(7, 'messageInfo'), txt(8, 'languagePreferences'),
  raw(9, 'deviceHistory'), raw(10, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const failed: Member[] = [
  m(CONN, 'failedConnection', connectionID), m(SUBJ, 'failingDevice', partyDevice), m(CALLING, 'callingDevice', partyDevice),
  m(CALLED, 'calledDevice', partyDevice), m(REDIR, 'lastRedirectionDevice', redirectionDevice),
  o(CONN, 'originatingNIDConnection', connectionID), o(LCS, 'localConnectionInfo', localState), corr(0),
  o(USER, 'userData', userData), m(CAUSE, 'cause', cause), raw(1, 'servicesPermitted'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), o(ASSOC_CALLED, 'associatedCalledDevice', partyDevice),
  raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, 'failedConnectionInfo'), raw(5, 'callLinkageData'),
  txt(6, 'subjectOfCall'), raw(7, 'messageInfo'), txt(8, 'languagePreferences'), raw(9, 'deviceHistory'),
  raw(10, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const networkReached: Member[] = [
  m(CONN, 'outboundConnection', connectionID), m(SUBJ, 'networkInterfaceUsed', partyDevice), m(CALLING, 'callingDevice', partyDevice),
  m(CALLED, 'calledDevice', partyDevice), m(REDIR, 'lastRedirectionDevice', redirectionDevice),
  o(CONN, 'originatingNIDConneciton', connectionID), o(LCS, 'localConnectionInfo', localState), corr(0),
  o(USER, 'userData', userData), raw(1, 'networkCapability'), m(CAUSE, 'cause', cause), raw(2, 'servicesPermitted'),
  raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'), raw(5, 'outboundConnectionInfo'),
  o(NET_CALLING, 'networkCallingDevice', partyDevice), o(NET_CALLED, 'networkCalledDevice', partyDevice),
  o(ASSOC_CALLING, 'associatedCallingDevice', partyDevice), raw(6, 'callLinkageData'), txt(7, 'languagePreferences'),
  raw(8, 'deviceHistory'), raw(9, 'locationInfo'), o(EXT, 'extensions', commonArguments),
];
const deviceList: Reader = (b, s, e) => {
  const out: unknown[] = [];
  let pos = s;
  while (pos < e) {
    if (b[pos] !== 0x30) throw BAIL;
    const cs = content(b, pos, e);
    const ce = S.e;
    out.push(deviceID(b, cs, ce));
    pos = ce;
  }
  return out;
};
const doNotDisturb: Member[] = [
  m(SUBJ, 'device', partyDevice), m(0x01, 'doNotDisturbOn', bool), o(0x03, 'callOrigination', callOrigination),
  o(0x30, 'callingDeviceList', deviceList), o(EXT, 'extensions', commonArguments),
];
const forwarding: Member[] = [
  m(SUBJ, 'device', partyDevice), o(CAUSE, 'forwardingType', forwardingType), m(0x01, 'forwardStatus', bool),
  o(0x30, 'forwardTo', deviceID), o(CAUSE, 'forwardDefault', forwardDefault), o(0x02, 'ringCount', integer),
  o(ctxP(4), 'ringDuration', integer), o(EXT, 'extensions', commonArguments),
];
const serviceState: Member[] = [m(SUBJ, 'device', partyDevice), o(CAUSE, 'cause', cause), o(EXT, 'extensions', commonArguments)];

/**
 * Per category, per [n] IMPLICIT tag number of the alternative: the compiled member reader, which returns
 * `{ category: { name: event } }` built with literal keys (computed keys are slow to create).
 */
type Alt = SeqReader;
const callControl: (Alt | undefined)[] = [];
callControl[2] = compileSeq(conferenced, ['callControlEvents', 'conferenced']);
callControl[3] = compileSeq(connectionCleared, ['callControlEvents', 'connectionCleared']);
callControl[4] = compileSeq(delivered, ['callControlEvents', 'delivered']);
callControl[6] = compileSeq(diverted, ['callControlEvents', 'diverted']);
callControl[7] = compileSeq(established, ['callControlEvents', 'established']);
callControl[8] = compileSeq(failed, ['callControlEvents', 'failed']);
callControl[9] = compileSeq(held, ['callControlEvents', 'held']);
callControl[11] = compileSeq(networkReached, ['callControlEvents', 'networkReached']);
callControl[13] = compileSeq(originated, ['callControlEvents', 'originated']);
callControl[15] = compileSeq(retrieved, ['callControlEvents', 'retrieved']);
callControl[16] = compileSeq(serviceInitiated, ['callControlEvents', 'serviceInitiated']);
callControl[17] = compileSeq(transferred, ['callControlEvents', 'transferred']);
const logicalDevice: (Alt | undefined)[] = [];
logicalDevice[11] = compileSeq(doNotDisturb, ['logicalDeviceFeatureEvents', 'doNotDisturb']);
logicalDevice[12] = compileSeq(forwarding, ['logicalDeviceFeatureEvents', 'forwarding']);
const maintenance: (Alt | undefined)[] = [];
maintenance[0] = compileSeq(serviceState, ['deviceMaintenanceEvents', 'backInService']);
maintenance[2] = compileSeq(serviceState, ['deviceMaintenanceEvents', 'outOfService']);
const categories: ((Alt | undefined)[] | undefined)[] = [];
categories[0] = callControl;
categories[4] = logicalDevice;
categories[5] = maintenance;

/** EventSpecificInfo content of [n] category: one modelled event, else bail. */
function eventSpecificInfo(b: Uint8Array, catByte: number, s: number, e: number): unknown {
  const cat = categories[catByte - 0xa0];
  if (!cat) throw BAIL;
  const first = one(b, s, e);
  // modelled alternatives are [n] IMPLICIT SEQUENCE: context, constructed, low tag number
  if ((first & 0xe0) !== 0xa0) throw BAIL;
  const read = cat[first & 0x1f];
  if (!read) throw BAIL;
  return read(b, S.s, S.e);
}

function fast(bytes: Uint8Array): CstaApdu {
  const end = bytes.length;
  if (bytes[0] !== 0xa1) throw BAIL;
  let pos = content(bytes, 0, end);
  if (S.e !== end) throw BAIL;
  // invokeId
  if (bytes[pos] !== 0x02) throw BAIL;
  let s = content(bytes, pos, end);
  const invokeId = int(bytes, s, S.e);
  pos = S.e;
  let linkedId: number | undefined;
  if (bytes[pos] === 0x80) {
    s = content(bytes, pos, end);
    linkedId = int(bytes, s, S.e);
    pos = S.e;
  }
  if (bytes[pos] !== 0x02) throw BAIL;
  s = content(bytes, pos, end);
  const opcode = int(bytes, s, S.e);
  if (opcode !== 21) throw BAIL;
  pos = S.e;
  // the argument: CSTAEventReportArgument SEQUENCE, the last element
  if (bytes[pos] !== 0x30) throw BAIL;
  const as = content(bytes, pos, end);
  if (S.e !== end) throw BAIL;
  // crossRefIdentifier [APPLICATION 21] IMPLICIT OCTET STRING
  if (bytes[as] !== 0x55) throw BAIL;
  s = content(bytes, as, end);
  const crossRefIdentifier = hexOf(bytes, s, S.e);
  pos = S.e;
  // eventSpecificInfo: [n] explicit, the last member
  const catByte = bytes[pos];
  if (catByte === undefined) throw BAIL;
  s = content(bytes, pos, end);
  if (S.e !== end) throw BAIL;
  const eventSpecificInfo0 = eventSpecificInfo(bytes, catByte, s, end);
  const out = {
    kind: 'invoke',
    invokeId,
    opcode,
    operation: 'cSTAEventReport',
    argument: { crossRefIdentifier, eventSpecificInfo: eventSpecificInfo0 },
  } as CstaApdu & { linkedId?: number };
  if (linkedId !== undefined) out.linkedId = linkedId;
  return out;
}

/**
 * Decodes one APDU like `decodeApdu`, fast for cSTAEventReport invokes of the modelled events (call control,
 * do-not-disturb / forwarding, back-in / out-of-service); every other APDU, and anything unusual, is handed
 * to `decodeApdu` (with `opts`, default the lean engine), so values and errors are always the same.
 */
export function decodeEventReportFast(bytes: Uint8Array, opts: CodecOptions = { engine: 'lean' }): CstaApdu {
  try {
    return fast(bytes);
  } catch (e) {
    if (e !== BAIL) throw e;
  }
  return decodeApdu(bytes, opts);
}

/** Same as decodeEventReportFast but `undefined` instead of falling back (for tests and measurements). */
export function decodeEventReportFastOnly(bytes: Uint8Array): CstaApdu | undefined {
  try {
    return fast(bytes);
  } catch (e) {
    if (e !== BAIL) throw e;
    return undefined;
  }
}

