// Fast typed codec for cSTAEventReport invokes (issue #3). The modelled events are described once, below, as
// a small schema of tags and member names (the same structure as event-report-definitions.ts); from it
// `compileDecoder` and `compileEncoder` generate straight-line JavaScript per event, with every nested
// SEQUENCE, CHOICE and tag inlined and locals instead of a Tlv tree. Leaves (strings, integers, enums,
// pass-through members) are small functions.
//
// Contract: decodeEventReportFast returns exactly what `decodeApdu(bytes, { engine: 'lean' })` returns, and
// encodeEventReportFast exactly the bytes of `encodeApdu(apdu, { engine: 'lean' })` (both engines agree). Whatever the schema does not cover (other APDUs, unmodelled event categories,
// indefinite lengths or multi-byte tags, unknown extra members, pass-through bytes whose re-encoding would
// differ, anything malformed or ill-typed) is handed to the general codec, so its values and errors stay the only ones.
import { decodeApdu, encodeApdu, type CodecOptions, type CstaApdu } from './apdu';
import { APPLICATION, UNIVERSAL, type Tlv } from './ber';
import type { Codec } from './codec';
import { LocalConnectionState } from './connection-states';
import { CallOrigination, ForwardDefault, ForwardingType } from './device-feature-types';
import { EventCause } from './event-causes';

/** Thrown inside the fast paths only; means "let the general codec answer". */
const BAIL = { bail: true };

// ---------------------------------------------------------------- strings

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

function hexString(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]];
  return s;
}

/** IA5String as decodeIA5 reads it: one char per byte. */
function asciiString(b: Uint8Array, start: number, end: number): string {
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

/**
 * Interned strings: a PBX repeats the same extension numbers, names, call and cross-reference IDs in event
 * after event, so a direct-mapped table returns the string made last time instead of building it again.
 * Strings are immutable, so sharing them is safe. This one takes runs of 5 to 24 bytes (names, long numbers):
 * the first and last four bytes, packed, are both the hash and most of the comparison; only the bytes
 * between them are compared one by one.
 */
class Interner {
  private static readonly SLOTS = 4096;
  private static readonly WIDTH = 24; // longer byte runs are not interned
  private readonly head = new Int32Array(Interner.SLOTS);
  private readonly tail = new Int32Array(Interner.SLOTS);
  private readonly lens = new Int8Array(Interner.SLOTS).fill(-1);
  private readonly middle = new Uint8Array(Interner.SLOTS * Interner.WIDTH);
  private readonly strings: string[] = new Array<string>(Interner.SLOTS).fill('');
  constructor(private readonly make: (b: Uint8Array, start: number, end: number) => string) {}
  get(b: Uint8Array, start: number, end: number): string {
    const len = end - start;
    if (len > Interner.WIDTH || len < 5) return this.make(b, start, end);
    const head = (b[start] << 24) | (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3];
    const tail = (b[end - 4] << 24) | (b[end - 3] << 16) | (b[end - 2] << 8) | b[end - 1];
    const h = Math.imul(Math.imul(head ^ len, 0x9e3779b1) ^ tail, 0x85ebca6b);
    const slot = h >>> 20; // 12 bits: SLOTS
    const from = start + 4;
    const to = end - 4;
    const base = slot * Interner.WIDTH - from;
    const middle = this.middle;
    if (this.head[slot] === head && this.tail[slot] === tail && this.lens[slot] === len) {
      let i = from;
      while (i < to && middle[base + i] === b[i]) i++;
      if (i >= to) return this.strings[slot];
    }
    const str = this.make(b, start, end);
    for (let i = from; i < to; i++) middle[base + i] = b[i];
    this.head[slot] = head;
    this.tail[slot] = tail;
    this.lens[slot] = len;
    this.strings[slot] = str;
    return str;
  }
}

/**
 * Short strings (up to 4 bytes: extension numbers, call and cross-reference IDs) skip the hash loop: the
 * bytes packed into one integer are the key of a direct-mapped table.
 */
class ShortStrings {
  private readonly keys = new Float64Array(4096).fill(NaN);
  private readonly strings: string[] = new Array<string>(4096).fill('');
  constructor(
    private readonly make: (b: Uint8Array, start: number, end: number) => string,
    private readonly long: Interner,
  ) {}
  get(b: Uint8Array, start: number, end: number): string {
    let k: number;
    switch (end - start) {
      case 1: k = 0x1000000 | b[start]; break;
      case 2: k = 0x2000000 | (b[start] << 8) | b[start + 1]; break;
      case 3: k = 0x3000000 | (b[start] << 16) | (b[start + 1] << 8) | b[start + 2]; break;
      case 4: k = 0x100000000 + ((b[start] << 24) >>> 0) + ((b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3]); break;
      default: return this.long.get(b, start, end);
    }
    const slot = (Math.imul(k | 0, 0x9e3779b1) ^ (k > 0xffffffff ? 0x5bd1e995 : 0)) >>> 20;
    if (this.keys[slot] === k) return this.strings[slot];
    const str = this.make(b, start, end);
    this.keys[slot] = k;
    this.strings[slot] = str;
    return str;
  }
}
const hexStrings = new ShortStrings(hexString, new Interner(hexString));
const asciiStrings = new ShortStrings(asciiString, new Interner(asciiString));
const hexOf = (b: Uint8Array, start: number, end: number): string => (end === start ? '' : hexStrings.get(b, start, end));
const ascii = (b: Uint8Array, start: number, end: number): string => (end === start ? '' : asciiStrings.get(b, start, end));

// ---------------------------------------------------------------- reading

function int(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > 6) throw BAIL;
  let v = b[start] & 0x80 ? -1 : 0;
  for (let i = start; i < end; i++) v = v * 256 + b[i];
  return v;
}

/**
 * S.e: end of the element read last by `content` (the generated code reads short headers itself).
 * S.f: writers never go below this index (the start of the space they may use, plus a margin of 8 bytes that
 * one header always fits in), checked before each leaf and each header.
 */
const S = { e: 0, f: 8 };
/** Long-form header: returns the first content byte of the element at pos and sets S.e (low tag
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
 * would produce exactly these bytes again (so pass-through hex equals what the codec gives, both ways).
 */
function minimal(b: Uint8Array, pos: number, end: number, depth: number): boolean {
  if (depth > 40) return false;
  while (pos < end) {
    const first = b[pos];
    // multi-byte tags, and [UNIVERSAL 0], which the codec rejects outside indefinite lengths
    if ((first & 0x1f) === 0x1f || (first & 0xdf) === 0 || pos + 2 > end) return false;
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

// ---------------------------------------------------------------- writing (backwards, into one buffer)

// Encoders write backwards, from the end of a buffer towards its start, so every length is known when its
// header is written. The buffer is a parameter: a caller's send buffer, or SCRATCH (then one copy out).
const SCRATCH = new Uint8Array(1 << 16);

/** Header before the content that starts at p; returns the new start. */
function header(byte: number, len: number, p: number, W: Uint8Array): number {
  if (p < S.f) throw BAIL;
  if (len < 128) W[--p] = len;
  else if (len < 256) {
    W[--p] = len;
    W[--p] = 0x81;
  } else if (len < 65536) {
    W[--p] = len & 0xff;
    W[--p] = len >> 8;
    W[--p] = 0x82;
  } else throw BAIL;
  W[--p] = byte;
  return p;
}

/** Minimal two's-complement INTEGER content (as encodeIntegerContent), for 32-bit values. */
function writeInt(v: unknown, p: number, W: Uint8Array): number {
  if (typeof v !== 'number' || (v | 0) !== v) throw BAIL;
  if (p < S.f) throw BAIL;
  let x = v;
  for (;;) {
    const byte = x & 0xff;
    W[--p] = byte;
    x >>= 8;
    if ((x === 0 && (byte & 0x80) === 0) || (x === -1 && (byte & 0x80) !== 0)) return p;
  }
}

/** IA5String content (encodeIA5 accepts code units up to 0xff). Short ones unrolled: most are extensions. */
function writeAscii(v: unknown, p: number, W: Uint8Array): number {
  if (typeof v !== 'string') throw BAIL;
  const n = v.length;
  if (p - n < S.f) throw BAIL;
  switch (n) {
    case 0:
      return p;
    case 1: {
      const a = v.charCodeAt(0);
      if (a > 0xff) throw BAIL;
      W[p - 1] = a;
      return p - 1;
    }
    case 2: {
      const a = v.charCodeAt(0);
      const b = v.charCodeAt(1);
      if ((a | b) > 0xff) throw BAIL;
      W[p - 2] = a;
      W[p - 1] = b;
      return p - 2;
    }
    case 3: {
      const a = v.charCodeAt(0);
      const b = v.charCodeAt(1);
      const c = v.charCodeAt(2);
      if ((a | b | c) > 0xff) throw BAIL;
      W[p - 3] = a;
      W[p - 2] = b;
      W[p - 1] = c;
      return p - 3;
    }
    case 4: {
      const a = v.charCodeAt(0);
      const b = v.charCodeAt(1);
      const c = v.charCodeAt(2);
      const d = v.charCodeAt(3);
      if ((a | b | c | d) > 0xff) throw BAIL;
      W[p - 4] = a;
      W[p - 3] = b;
      W[p - 2] = c;
      W[p - 1] = d;
      return p - 4;
    }
  }
  const start = p - n;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff) throw BAIL;
    W[start + i] = c;
  }
  return start;
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x61 + i] = NIBBLE[0x41 + i] = 10 + i;
/** OCTET STRING from hex (fromHex accepts either case; anything else, whitespace included, goes the slow way). */
function writeHex(v: unknown, p: number, W: Uint8Array): number {
  if (typeof v !== 'string') throw BAIL;
  const n = v.length;
  if ((n & 1) !== 0 || p - (n >> 1) < S.f) throw BAIL;
  if (n === 4) {
    // call IDs and short cross-reference IDs
    const a = v.charCodeAt(0);
    const b = v.charCodeAt(1);
    const c = v.charCodeAt(2);
    const d = v.charCodeAt(3);
    if ((a | b | c | d) > 0x7f) throw BAIL;
    const x = (NIBBLE[a] << 4) | NIBBLE[b];
    const y = (NIBBLE[c] << 4) | NIBBLE[d];
    if ((x | y) < 0) throw BAIL;
    W[p - 2] = x;
    W[p - 1] = y;
    return p - 2;
  }
  const start = p - (n >> 1);
  for (let i = 0, j = start; i < n; i += 2, j++) {
    const hi = v.charCodeAt(i);
    const lo = v.charCodeAt(i + 1);
    if ((hi | lo) > 0x7f) throw BAIL;
    const x = (NIBBLE[hi] << 4) | NIBBLE[lo];
    if (x < 0) throw BAIL;
    W[j] = x;
  }
  return start;
}

/** Constructed pass-through content: written as given when the lean codec would re-encode it unchanged. */
function writeRawCons(v: unknown, p: number, W: Uint8Array): number {
  const q = p;
  p = writeHex(v, p, W);
  if (!minimal(W, p, q, 8)) throw BAIL;
  return p;
}

// ---------------------------------------------------------------- schema

type Dec = (b: Uint8Array, start: number, end: number) => unknown;
type Enc = (v: unknown, p: number, W: Uint8Array) => number;

/** The content of an element: a leaf, or a structure the compilers inline. */
type Node =
  | { k: 'leaf'; dec: Dec; enc: Enc }
  | { k: 'seq'; members: Member[] }
  /** Content is exactly one element, one of the alternatives (a tagged CHOICE in an explicit module). */
  | { k: 'choice'; alts: Alt[] }
  /** Content is exactly one element with this tag (`[n] T` around a tagged T). */
  | { k: 'explicit'; byte: number; node: Node }
  /** SEQUENCE OF: elements with this tag. */
  | { k: 'list'; byte: number; node: Node }
  /** Compiled once as its own function and called (shared types: keeps the generated functions small). */
  | { k: 'fn'; name: string; node: Node; dec?: Dec; enc?: Enc };
interface Alt {
  byte: number;
  name: string;
  node: Node;
}
/** A member is either one tagged element (`byte`, its content `node`) or an untagged CHOICE (`alts`). */
type Member = { name: string; opt: boolean; byte: number; node: Node; alts?: undefined } | { name: string; opt: false; alts: Alt[] };

const leaf = (dec: Dec, enc: Enc): Node => ({ k: 'leaf', dec, enc });
const seq = (...members: Member[]): Node => ({ k: 'seq', members });
const choice = (...alts: Alt[]): Node => ({ k: 'choice', alts });
const alt = (byte: number, name: string, node: Node): Alt => ({ byte, name, node });
/** `name` names the generated functions (dec_<name>, enc_<name>) in profiles and stack traces. */
const fn = (name: string, node: Node): Node => ({ k: 'fn', name, node });
const m = (byte: number, name: string, node: Node): Member => ({ byte, name, opt: false, node });
const o = (byte: number, name: string, node: Node): Member => ({ byte, name, opt: true, node });
const choiceMember = (name: string, ...alts: Alt[]): Member => ({ name, opt: false, alts });

// ---- leaves

const octets = leaf(hexOf, writeHex);
const text = leaf(ascii, writeAscii);
const integer = leaf(int, writeInt);
const nul = leaf(
  (_b, s, e) => {
    if (s !== e) throw BAIL;
    return null;
  },
  (_v, p) => p, // the codec writes an empty NULL whatever the value
);
const bool = leaf(
  (b, s, e) => {
    if (e - s !== 1) throw BAIL;
    return b[s] !== 0;
  },
  (v, p, W) => {
    if (p < S.f) throw BAIL;
    W[--p] = v ? 0xff : 0;
    return p;
  },
);
/** Pass-through constructed member: hex of its children, when re-encoding would give the same bytes. */
const rawCons = leaf((b, s, e) => {
  if (!minimal(b, s, e, 8)) throw BAIL;
  return hexOf(b, s, e);
}, writeRawCons);
const rawPrim = octets;

/** ENUMERATED-like codec: tables filled once by asking the codec itself for every one-byte value. */
function enumLeaf(codec: Codec<unknown>, cls: number, tag: number): Node {
  const names: unknown[] = [];
  const numbers = new Map<unknown, number>();
  for (let n = 0; n < 128; n++) {
    const name = codec.dec({ cls, constructed: false, tag, content: Uint8Array.of(n) });
    names.push(name);
    if (typeof name === 'string') numbers.set(name, n);
  }
  return leaf(
    (b, s, e) => {
      if (e - s === 1 && b[s] < 0x80) return names[b[s]];
      const n = int(b, s, e); // non-minimal or large: the codec gives the name when known, else the number
      return n >= 0 && n < 128 ? names[n] : n;
    },
    (v, p, W) => {
      if (typeof v === 'number') return writeInt(v, p, W);
      const n = numbers.get(v);
      if (n === undefined || p < S.f) throw BAIL;
      W[--p] = n;
      return p;
    },
  );
}
const cause = enumLeaf(EventCause as Codec<unknown>, UNIVERSAL, 10);
const localState = enumLeaf(LocalConnectionState as Codec<unknown>, APPLICATION, 14);
const forwardingType = enumLeaf(ForwardingType as Codec<unknown>, UNIVERSAL, 10);
const forwardDefault = enumLeaf(ForwardDefault as Codec<unknown>, UNIVERSAL, 10);
const callOrigination = leaf(
  (b, s, e) => {
    try {
      return CallOrigination.dec({ cls: UNIVERSAL, constructed: false, tag: 3, content: b.subarray(s, e) } as Tlv);
    } catch {
      throw BAIL;
    }
  },
  (v, p, W) => {
    let t: Tlv;
    try {
      t = CallOrigination.enc(v as never);
    } catch {
      throw BAIL;
    }
    if (p - t.content.length < S.f) throw BAIL;
    p -= t.content.length;
    W.set(t.content, p);
    return p;
  },
);

/** CSTAPrivateData list: OCTET STRING, or any other element kept as its full encoding. */
const privateDataList = leaf(
  (b, s, e) => {
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
  },
  (v, p, W) => {
    if (!Array.isArray(v)) throw BAIL;
    for (let i = v.length - 1; i >= 0; i--) {
      const x = v[i] as Record<string, unknown> | null | undefined;
      let key: string | undefined;
      for (const k in x) {
        if (key !== undefined) throw BAIL;
        key = k;
      }
      const q = p;
      if (key === 'string') {
        p = writeHex(x!.string, p, W);
        p = header(0x04, q - p, p, W);
      } else if (key === 'private') {
        p = writeHex(x!.private, p, W);
        // exactly one element, minimal, so the lean reader and writer give these bytes back
        if (p === q || !minimal(W, p, q, 8) || (content(W, p, q), S.e !== q)) throw BAIL;
      } else throw BAIL;
    }
    return p;
  },
);

// ---- device identifiers

const publicTon = ['unknown', 'international', 'national', 'networkspecific', 'subscriber', 'abbreviated'];
const privateTon = ['unknown', 'level3RegionalNumber', 'level2RegionalNumber', 'level1RegionalNumber', 'pTNSpecificNumber', 'localNumber', 'abbreviated'];
const ton = (names: string[]) => choice(...names.map((n, i) => alt(0x80 + i, n, text)));

/** DeviceID SEQUENCE: deviceIdentifier CHOICE, then [0] privateNumber, [1] privateName, SEQUENCE mcc. */
const deviceID = fn(
  'deviceID',
  seq(
    choiceMember(
      'deviceIdentifier',
      alt(0x80, 'dialingNumber', text), alt(0x81, 'deviceNumber', integer), alt(0x82, 'implicitPublic', text),
      alt(0xa3, 'explicitPublic', ton(publicTon)), alt(0x84, 'implicitPrivate', text),
      alt(0xa5, 'explicitPrivate', ton(privateTon)), alt(0x86, 'other', octets),
    ),
    o(0xa0, 'privateNumber', { k: 'explicit', byte: 0x16, node: text }),
    o(0xa1, 'privateName', { k: 'explicit', byte: 0x16, node: text }),
    o(0x30, 'mediaCallCharacteristics', rawCons),
  ),
);

/** [APPLICATION n] CHOICE { DeviceID, notKnown [7], restricted [8] } (Calling/Called/Subject/... device). */
const partyDevice = fn('partyDevice', choice(alt(0x30, 'deviceIdentifier', deviceID), alt(0x87, 'notKnown', nul), alt(0x88, 'restricted', nul)));
const redirectionDevice = choice(
  alt(0x30, 'numberdialed', deviceID), alt(0x87, 'notKnown', nul), alt(0x88, 'notRequired', nul),
  alt(0x89, 'notSpecified', nul), alt(0x8a, 'restricted', nul),
);

// ---- connections

const localDeviceID = choice(alt(0x30, 'staticID', deviceID), alt(0x83, 'dynamicID', octets));
/** ConnectionID content ([APPLICATION 11] CHOICE). */
const connectionID = fn(
  'connectionID',
  choice(
    alt(0x30, 'both', seq(m(0x80, 'callID', octets), m(0xa1, 'deviceID', localDeviceID))),
    alt(0x80, 'callID', octets),
    alt(0xa1, 'deviceID', localDeviceID),
  ),
);
/** [n] ConnectionID (explicit): one [APPLICATION 11] inside. */
const explicitConnection: Node = { k: 'explicit', byte: 0x6b, node: connectionID };
const connectionListEntry = seq(
  o(0xa0, 'newConnection', explicitConnection),
  o(0xa1, 'oldConnection', explicitConnection),
  o(0xa2, 'endpoint', choice(alt(0x30, 'deviceID', deviceID), alt(0x05, 'notKnown', nul), alt(0x81, 'restricted', nul))),
  o(0xa3, 'associatedNID', choice(alt(0x30, 'deviceID', deviceID), alt(0x05, 'notKnown', nul))),
  o(0x30, 'resultingConnectionInfo', rawCons),
);
const connectionList: Node = { k: 'list', byte: 0x30, node: connectionListEntry };

// ---- common arguments

const commonArguments = seq(o(0xa0, 'security', rawCons), o(0xa1, 'privateData', privateDataList));
const userData: Node = { k: 'explicit', byte: 0x04, node: octets };

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
const party = (byte: number, name: string) => m(byte, name, partyDevice);
const optParty = (byte: number, name: string) => o(byte, name, partyDevice);
const causeM = m(CAUSE, 'cause', cause);
const lcs = o(LCS, 'localConnectionInfo', localState);
const user = o(USER, 'userData', userData);
const ext = o(EXT, 'extensions', commonArguments);
const redir = m(REDIR, 'lastRedirectionDevice', redirectionDevice);

/** Delivered and Failed have the same members apart from three names. */
const deliveredLike = (connection: string, device: string, info: string) =>
  seq(
    m(CONN, connection, connectionID), party(SUBJ, device), party(CALLING, 'callingDevice'),
    party(CALLED, 'calledDevice'), redir, o(CONN, 'originatingNIDConnection', connectionID), lcs, corr(0), user, causeM,
    raw(1, 'servicesPermitted'), optParty(NET_CALLING, 'networkCallingDevice'), optParty(NET_CALLED, 'networkCalledDevice'),
    optParty(ASSOC_CALLING, 'associatedCallingDevice'), optParty(ASSOC_CALLED, 'associatedCalledDevice'),
    raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, info), raw(5, 'callLinkageData'),
    txt(6, 'subjectOfCall'), raw(7, 'messageInfo'), txt(8, 'languagePreferences'), raw(9, 'deviceHistory'),
    raw(10, 'locationInfo'), ext,
  );
const delivered = deliveredLike('connection', 'alertingDevice', 'connectionInfo');
const established = seq(
  m(CONN, 'establishedConnection', connectionID), party(SUBJ, 'answeringDevice'), party(CALLING, 'callingDevice'),
  party(CALLED, 'calledDevice'), redir, o(CONN, 'originatingNIDConnection', connectionID), lcs, corr(1), user, causeM,
  raw(2, 'servicesPermitted'), optParty(NET_CALLING, 'networkCallingDevice'), optParty(NET_CALLED, 'networkCalledDevice'),
  optParty(ASSOC_CALLING, 'associatedCallingDevice'), optParty(ASSOC_CALLED, 'associatedCalledDevice'),
  raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'), raw(5, 'establishedConnectionInfo'), raw(6, 'callLinkageData'),
  txt(7, 'subjectOfCall'), raw(8, 'messageInfo'), txt(9, 'languagePreferences'), raw(10, 'deviceHistory'),
  raw(11, 'locationInfo'), ext,
);
const connectionCleared = seq(
  m(CONN, 'droppedConnection', connectionID), party(SUBJ, 'releasingDevice'), lcs, corr(0), user, raw(1, 'chargingInfo'),
  causeM, raw(2, 'servicesPermitted'), raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'),
  raw(5, 'droppedConnectionInfo'), raw(6, 'callLinkageData'), txt(7, 'languagePreferences'), raw(8, 'deviceHistory'),
  raw(9, 'locationInfo'), ext,
);
const originated = seq(
  m(CONN, 'originatedConnection', connectionID), party(SUBJ, 'callingDevice'), party(CALLED, 'calledDevice'),
  o(0x30, 'originatingDevice', deviceID), lcs, corr(2), causeM, raw(3, 'servicesPermitted'),
  optParty(NET_CALLING, 'networkCallingDevice'), optParty(NET_CALLED, 'networkCalledDevice'),
  optParty(ASSOC_CALLING, 'associatedCallingDevice'), optParty(ASSOC_CALLED, 'associatedCalledDevice'),
  raw(4, 'mediaCallCharacteristics'), rawP(5, 'callCharacteristics'), raw(6, 'originatedConnectionInfo'), raw(7, 'callLinkageData'),
  txt(8, 'subjectOfCall'), raw(9, 'messageInfo'), txt(10, 'languagePreferences'), raw(11, 'locationInfo'), ext,
);
const serviceInitiated = seq(
  m(CONN, 'initiatedConnection', connectionID), party(SUBJ, 'initiatingDevice'), optParty(CALLED, 'calledDevice'), lcs,
  corr(0), causeM, raw(1, 'servicesPermitted'), raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'),
  raw(4, 'initiatedConnectionInfo'), optParty(NET_CALLING, 'networkCallingDevice'), optParty(NET_CALLED, 'networkCalledDevice'),
  optParty(ASSOC_CALLING, 'associatedCallingDevice'), raw(5, 'callLinkageData'), txt(7, 'subjectOfCall'),
  raw(8, 'messageInfo'), txt(9, 'languagePreferences'), raw(10, 'locationInfo'), ext,
);
const holdLike = (connection: string, device: string, info: string) =>
  seq(
    m(CONN, connection, connectionID), party(SUBJ, device), lcs, corr(0), causeM, raw(1, 'servicesPermitted'),
    raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, info), raw(5, 'callLinkageData'),
    txt(6, 'languagePreferences'), raw(7, 'locationInfo'), ext,
  );
const transferred = seq(
  m(CONN, 'primaryOldCall', connectionID), o(ctxC(0), 'secondaryOldCall', connectionID), party(SUBJ, 'transferringDevice'),
  party(SUBJ, 'transferredToDevice'), m(ctxC(1), 'transferredConnections', connectionList), lcs, corr(2), user,
  raw(3, 'chargingInfo'), causeM, raw(4, 'servicesPermitted'), raw(5, 'mediaCallCharacteristics'), rawP(6, 'callCharacteristics'),
  raw(7, 'callLinkageDataList'), txt(8, 'languagePreferences'), raw(9, 'deviceHistory'), raw(10, 'locationInfo'), ext,
);
const conferenced = seq(
  m(CONN, 'primaryOldCall', connectionID), o(CONN, 'secondaryOldCall', connectionID), party(SUBJ, 'conferencingDevice'),
  party(SUBJ, 'addedParty'), m(0x30, 'conferenceConnections', connectionList), lcs, corr(1), user, causeM,
  raw(2, 'servicesPermitted'), raw(3, 'mediaCallCharacteristics'), rawP(4, 'callCharacteristics'), raw(6, 'callLinkageDataList'),
  txt(7, 'languagePreferences'), raw(8, 'deviceHistory'), raw(9, 'locationInfo'), o(ctxC(5), 'extensions', commonArguments),
);
const diverted = seq(
  m(CONN, 'connection', connectionID), party(SUBJ, 'divertingDevice'), party(SUBJ, 'newDestination'),
  optParty(CALLING, 'callingDevice'), optParty(CALLED, 'calledDevice'), redir, lcs, corr(0), user, causeM,
  raw(1, 'servicesPermitted'), raw(2, 'mediaCallCharacteristics'), rawP(3, 'callCharacteristics'), raw(4, 'connectionInfo'),
  optParty(NET_CALLING, 'networkCallingDevice'), optParty(NET_CALLED, 'networkCalledDevice'),
  optParty(ASSOC_CALLING, 'associatedCallingDevice'), optParty(ASSOC_CALLED, 'associatedCalledDevice'),
  raw(5, 'callLinkageData'), txt(6, 'subjectOfCall'), raw(7, 'messageInfo'), txt(8, 'languagePreferences'),
  raw(9, 'deviceHistory'), raw(10, 'locationInfo'), ext,
);
const failed = deliveredLike('failedConnection', 'failingDevice', 'failedConnectionInfo');
const networkReached = seq(
  m(CONN, 'outboundConnection', connectionID), party(SUBJ, 'networkInterfaceUsed'), party(CALLING, 'callingDevice'),
  party(CALLED, 'calledDevice'), redir, o(CONN, 'originatingNIDConneciton', connectionID), lcs, corr(0), user,
  raw(1, 'networkCapability'), causeM, raw(2, 'servicesPermitted'), raw(3, 'mediaCallCharacteristics'),
  rawP(4, 'callCharacteristics'), raw(5, 'outboundConnectionInfo'), optParty(NET_CALLING, 'networkCallingDevice'),
  optParty(NET_CALLED, 'networkCalledDevice'), optParty(ASSOC_CALLING, 'associatedCallingDevice'), raw(6, 'callLinkageData'),
  txt(7, 'languagePreferences'), raw(8, 'deviceHistory'), raw(9, 'locationInfo'), ext,
);
const doNotDisturb = seq(
  party(SUBJ, 'device'), m(0x01, 'doNotDisturbOn', bool), o(0x03, 'callOrigination', callOrigination),
  o(0x30, 'callingDeviceList', { k: 'list', byte: 0x30, node: deviceID }), ext,
);
const forwarding = seq(
  party(SUBJ, 'device'), o(CAUSE, 'forwardingType', forwardingType), m(0x01, 'forwardStatus', bool),
  o(0x30, 'forwardTo', deviceID), o(CAUSE, 'forwardDefault', forwardDefault), o(0x02, 'ringCount', integer),
  o(ctxP(4), 'ringDuration', integer), ext,
);
const serviceState = () => seq(party(SUBJ, 'device'), o(CAUSE, 'cause', cause), ext);

/** CSTAEventReportArgument: the modelled categories and events only (the rest falls back). */
const eventReportArgument = seq(
  m(0x55, 'crossRefIdentifier', octets),
  choiceMember(
    'eventSpecificInfo',
    alt(0xa0, 'callControlEvents', choice(
        alt(0xa2, 'conferenced', fn('conferenced', conferenced)), alt(0xa3, 'connectionCleared', fn('connectionCleared', connectionCleared)),
        alt(0xa4, 'delivered', fn('delivered', delivered)), alt(0xa6, 'diverted', fn('diverted', diverted)), alt(0xa7, 'established', fn('established', established)),
        alt(0xa8, 'failed', fn('failed', failed)), alt(0xa9, 'held', fn('held', holdLike('heldConnection', 'holdingDevice', 'heldConnectionInfo'))),
        alt(0xab, 'networkReached', fn('networkReached', networkReached)), alt(0xad, 'originated', fn('originated', originated)),
        alt(0xaf, 'retrieved', fn('retrieved', holdLike('retrievedConnection', 'retrievingDevice', 'retrievedConnectionInfo'))),
        alt(0xb0, 'serviceInitiated', fn('serviceInitiated', serviceInitiated)), alt(0xb1, 'transferred', fn('transferred', transferred)),
      )),
      alt(0xa4, 'logicalDeviceFeatureEvents', choice(alt(0xab, 'doNotDisturb', fn('doNotDisturb', doNotDisturb)), alt(0xac, 'forwarding', fn('forwarding', forwarding)))),
    alt(0xa5, 'deviceMaintenanceEvents', choice(alt(0xa0, 'backInService', fn('backInService', serviceState())), alt(0xa2, 'outOfService', fn('outOfService', serviceState())))),
  ),
);

// ---------------------------------------------------------------- code generation

/** One generated function: its temporaries and the constants it closes over (leaves, nested functions). */
class Gen {
  private readonly consts: unknown[] = [];
  private vars = 0;
  temp(): string {
    return `t${this.vars++}`;
  }
  ref(v: unknown): string {
    let i = this.consts.indexOf(v);
    if (i < 0) i = this.consts.push(v) - 1;
    return `K${i}`;
  }
  finish<F>(name: string, params: string, body: string): F {
    const vars = Array.from({ length: this.vars }, (_, i) => `t${i}`);
    const src = `"use strict";\nreturn function ${name}(${params}) {\n${vars.length ? `let ${vars.join(', ')};\n` : ''}${body}};`;
    const names = this.consts.map((_, i) => `K${i}`);
    return new Function('BAIL', 'S', 'content', 'header', ...names, src)(BAIL, S, content, header, ...this.consts) as F;
  }
}

const key = (name: string) => JSON.stringify(name);

// -- decoding: a generated function takes (b, s, e), the content [s, e) of an element, and returns its value

/** Reads the header of the element at p (limit lim): content [cs, ce). */
function readHeader(p: string, lim: string, cs: string, ce: string): string {
  return (
    `if (${p} + 2 > ${lim}) throw BAIL;\n` +
    `${ce} = b[${p} + 1];\n` +
    `if (${ce} < 128) { ${cs} = ${p} + 2; ${ce} += ${cs}; } else { ${cs} = content(b, ${p}, ${lim}); ${ce} = S.e; }\n` +
    `if (${ce} > ${lim}) throw BAIL;\n`
  );
}

function decNode(g: Gen, node: Node, s: string, e: string, out: string): string {
  switch (node.k) {
    case 'leaf':
      return `${out} = ${g.ref(node.dec)}(b, ${s}, ${e});\n`;
    case 'fn':
      node.dec ??= compileDecoder(node.node, node.name);
      return `${out} = ${g.ref(node.dec)}(b, ${s}, ${e});\n`;
    case 'explicit': {
      const [cs, ce] = [g.temp(), g.temp()];
      return `${readHeader(s, e, cs, ce)}if (${ce} !== ${e} || b[${s}] !== ${node.byte}) throw BAIL;\n${decNode(g, node.node, cs, ce, out)}`;
    }
    case 'choice': {
      const [cs, ce] = [g.temp(), g.temp()];
      return `${readHeader(s, e, cs, ce)}if (${ce} !== ${e}) throw BAIL;\n${decAlts(g, node.alts, s, cs, ce, out)}`;
    }
    case 'list': {
      const [p, cs, ce, x] = [g.temp(), g.temp(), g.temp(), g.temp()];
      return (
        `${out} = [];\n${p} = ${s};\nwhile (${p} < ${e}) {\nif (b[${p}] !== ${node.byte}) throw BAIL;\n` +
        `${readHeader(p, e, cs, ce)}${decNode(g, node.node, cs, ce, x)}${out}.push(${x});\n${p} = ${ce};\n}\n`
      );
    }
    case 'seq':
      return decSeq(g, node.members, s, e, out);
  }
}

/** The alternative whose tag byte is at `at`, content [cs, ce); the value is `{ name: value }`. */
function decAlts(g: Gen, alts: Alt[], at: string, cs: string, ce: string, out: string): string {
  const x = g.temp();
  let code = `switch (b[${at}]) {\n`;
  for (const a of alts) code += `case ${a.byte}: {\n${decNode(g, a.node, cs, ce, x)}${out} = { ${key(a.name)}: ${x} };\nbreak;\n}\n`;
  return `${code}default: throw BAIL;\n}\n`;
}

/** Members strictly in order (optional ones may be absent); anything else, unknown elements included, bails. */
function decSeq(g: Gen, members: Member[], s: string, e: string, out: string): string {
  const [p, cs, ce] = [g.temp(), g.temp(), g.temp()];
  const vals = members.map(() => g.temp());
  let code = `${p} = ${s};\n`;
  members.forEach((mb, i) => {
    if (mb.alts) {
      code += `if (${p} >= ${e}) throw BAIL;\n${readHeader(p, e, cs, ce)}${decAlts(g, mb.alts, p, cs, ce, vals[i])}${p} = ${ce};\n`;
      return;
    }
    code += `if (${p} < ${e} && b[${p}] === ${mb.byte}) {\n${readHeader(p, e, cs, ce)}${decNode(g, mb.node, cs, ce, vals[i])}${p} = ${ce};\n}`;
    code += mb.opt ? ` else ${vals[i]} = undefined;\n` : ' else throw BAIL;\n';
  });
  code += `if (${p} !== ${e}) throw BAIL;\n`;
  // one literal for the leading mandatory members, then the rest in wire order (the codec's key order)
  let lead = 0;
  while (lead < members.length && !members[lead].opt) lead++;
  code += `${out} = { ${members.slice(0, lead).map((mb, i) => `${key(mb.name)}: ${vals[i]}`).join(', ')} };\n`;
  for (let i = lead; i < members.length; i++) {
    const set = `${out}[${key(members[i].name)}] = ${vals[i]};\n`;
    code += members[i].opt ? `if (${vals[i]} !== undefined) ${set}` : set;
  }
  return code;
}

function compileDecoder(node: Node, name: string): Dec {
  const g = new Gen();
  const out = g.temp();
  return g.finish<Dec>(`dec_${name}`, 'b, s, e', `${decNode(g, node, 's', 'e', out)}return ${out};\n`);
}

// -- encoding: a generated function takes (v, p), writes the content of v's element so that it ends at p and
//    returns where it starts

/** Writes the header for the content [p, q) in front of it. */
function writeHeader(byte: number, p: string, q: string, len: string): string {
  return `${len} = ${q} - ${p};\nif (${len} < 128 && ${p} > S.f) { W[--${p}] = ${len}; W[--${p}] = ${byte}; } else ${p} = header(${byte}, ${len}, ${p}, W);\n`;
}

function encNode(g: Gen, node: Node, v: string, p: string): string {
  switch (node.k) {
    case 'leaf':
      return `${p} = ${g.ref(node.enc)}(${v}, ${p}, W);\n`;
    case 'fn':
      node.enc ??= compileEncoder(node.node, node.name);
      return `${p} = ${g.ref(node.enc)}(${v}, ${p}, W);\n`;
    case 'explicit': {
      const [q, len] = [g.temp(), g.temp()];
      return `${q} = ${p};\n${encNode(g, node.node, v, p)}${writeHeader(node.byte, p, q, len)}`;
    }
    case 'choice':
      return encAlts(g, node.alts, v, p);
    case 'list': {
      const [i, x, q, len] = [g.temp(), g.temp(), g.temp(), g.temp()];
      return (
        `if (!Array.isArray(${v})) throw BAIL;\nfor (${i} = ${v}.length - 1; ${i} >= 0; ${i}--) {\n${x} = ${v}[${i}];\n${q} = ${p};\n` +
        `${encNode(g, node.node, x, p)}${writeHeader(node.byte, p, q, len)}}\n`
      );
    }
    case 'seq':
      return encSeq(g, node.members, v, p);
  }
}

/**
 * A CHOICE value has exactly one key (the codec rejects any other count); for-in finds it without the
 * array Object.keys would allocate (plain objects: no enumerable inherited keys).
 */
function encAlts(g: Gen, alts: Alt[], v: string, p: string): string {
  const [k, kk, x, q, len] = [g.temp(), g.temp(), g.temp(), g.temp(), g.temp()];
  let code = `${k} = undefined;\nfor (${kk} in ${v}) { if (${k} !== undefined) throw BAIL; ${k} = ${kk}; }\nswitch (${k}) {\n`;
  for (const a of alts) {
    code += `case ${key(a.name)}: {\n${x} = ${v}[${key(a.name)}];\n${q} = ${p};\n${encNode(g, a.node, x, p)}${writeHeader(a.byte, p, q, len)}break;\n}\n`;
  }
  return `${code}default: throw BAIL;\n}\n`;
}

function encSeq(g: Gen, members: Member[], v: string, p: string): string {
  let code = `if (typeof ${v} !== 'object' || ${v} === null) throw BAIL;\n`;
  for (let i = members.length - 1; i >= 0; i--) {
    const mb = members[i];
    const x = g.temp();
    code += `${x} = ${v}[${key(mb.name)}];\n`;
    if (mb.alts) {
      code += `if (${x} === undefined) throw BAIL;\n${encAlts(g, mb.alts, x, p)}`;
      continue;
    }
    const [q, len] = [g.temp(), g.temp()];
    code += `if (${x} !== undefined) {\n${q} = ${p};\n${encNode(g, mb.node, x, p)}${writeHeader(mb.byte, p, q, len)}}`;
    code += mb.opt ? '\n' : ' else throw BAIL;\n';
  }
  return code;
}

function compileEncoder(node: Node, name: string): Enc {
  const g = new Gen();
  return g.finish<Enc>(`enc_${name}`, 'v, p, W', `${encNode(g, node, 'v', 'p')}return p;\n`);
}

const decodeArgument = compileDecoder(eventReportArgument, 'eventReportArgument');
const encodeArgument = compileEncoder(eventReportArgument, 'eventReportArgument');

// ---------------------------------------------------------------- the APDU

/** A small INTEGER element at pos (`02 len ...`, 1 to 6 content bytes): its value; S.e is set to its end. */
function smallInt(b: Uint8Array, pos: number, end: number): number {
  const len = b[pos + 1];
  const s = pos + 2;
  S.e = s + len;
  if (len === 1 && S.e <= end) return (b[s] << 24) >> 24;
  if (len > 6 || S.e > end) throw BAIL;
  return int(b, s, S.e);
}

/** ROSE Invoke [1] { invokeId INTEGER, linkedId [0] INTEGER OPTIONAL, opcode 21, argument }. */
function decodeFast(bytes: Uint8Array): CstaApdu {
  const end = bytes.length;
  if (bytes[0] !== 0xa1) throw BAIL;
  let pos = content(bytes, 0, end);
  if (S.e !== end || bytes[pos] !== 0x02) throw BAIL;
  const invokeId = smallInt(bytes, pos, end);
  pos = S.e;
  let linkedId: number | undefined;
  if (bytes[pos] === 0x80) {
    linkedId = smallInt(bytes, pos, end);
    pos = S.e;
  }
  // opcode 21 (cSTAEventReport), then the argument SEQUENCE up to the end
  if (bytes[pos] !== 0x02 || bytes[pos + 1] !== 1 || bytes[pos + 2] !== 21 || bytes[pos + 3] !== 0x30) throw BAIL;
  const s = content(bytes, pos + 3, end);
  if (S.e !== end) throw BAIL;
  const argument = decodeArgument(bytes, s, end);
  const out = { kind: 'invoke', invokeId, opcode: 21, operation: 'cSTAEventReport', argument } as CstaApdu & { linkedId?: number };
  if (linkedId !== undefined) out.linkedId = linkedId;
  return out;
}

/** Writes the APDU so that it ends at `end` of W; returns where it starts. */
function encodeFast(apdu: CstaApdu, W: Uint8Array, end: number): number {
  if (apdu.kind !== 'invoke' || apdu.operation !== 'cSTAEventReport') throw BAIL;
  let p = encodeArgument(apdu.argument, end, W);
  p = header(0x30, end - p, p, W);
  if (p < S.f) throw BAIL;
  W[--p] = 21; // opcode
  W[--p] = 1;
  W[--p] = 0x02;
  let q = p;
  if (apdu.linkedId !== undefined) {
    p = writeInt(apdu.linkedId, p, W);
    p = header(0x80, q - p, p, W);
    q = p;
  }
  p = writeInt(apdu.invokeId, p, W);
  p = header(0x02, q - p, p, W);
  return header(0xa1, end - p, p, W);
}

/**
 * Decodes one APDU like `decodeApdu`, fast for cSTAEventReport invokes of the modelled events (call control,
 * do-not-disturb / forwarding, back-in / out-of-service); every other APDU, and anything unusual, is handed
 * to `decodeApdu` (with `opts`, default the lean engine), so values and errors are always the same.
 */
export function decodeEventReportFast(bytes: Uint8Array, opts: CodecOptions = { engine: 'lean' }): CstaApdu {
  try {
    return decodeFast(bytes);
  } catch (e) {
    if (e !== BAIL) throw e;
  }
  return decodeApdu(bytes, opts);
}

/** Same as decodeEventReportFast but `undefined` instead of falling back (for tests and measurements). */
export function decodeEventReportFastOnly(bytes: Uint8Array): CstaApdu | undefined {
  try {
    return decodeFast(bytes);
  } catch (e) {
    if (e !== BAIL) throw e;
    return undefined;
  }
}

/**
 * Encodes one APDU like `encodeApdu`, fast for cSTAEventReport invokes of the modelled events; anything else
 * (and anything the fast writer would not reproduce byte for byte) goes to `encodeApdu` with `opts`.
 */
export function encodeEventReportFast(apdu: CstaApdu, opts: CodecOptions = { engine: 'lean' }): Uint8Array {
  let p: number;
  try {
    S.f = 8;
    p = encodeFast(apdu, SCRATCH, SCRATCH.length);
  } catch (e) {
    if (e !== BAIL) throw e;
    return encodeApdu(apdu, opts);
  }
  return SCRATCH.slice(p);
}

/**
 * Like encodeEventReportFast, but into `target` at `offset` without allocating (a send buffer that several
 * frames share); returns the number of bytes written. The bytes of `target` from `offset` on are scratch
 * space while it works (the APDU is written backwards from the end, then moved to `offset`). A RangeError when
 * the APDU does not fit.
 */
export function encodeEventReportInto(apdu: CstaApdu, target: Uint8Array, offset = 0, opts: CodecOptions = { engine: 'lean' }): number {
  const end = target.length;
  if (!(offset >= 0 && offset <= end)) throw new RangeError(`offset ${offset} is outside the buffer of ${end} bytes`);
  let p: number;
  try {
    S.f = offset + 8; // nothing before offset is touched; too big for the space left goes to the codec, which says how big
    p = encodeFast(apdu, target, end);
  } catch (e) {
    if (e !== BAIL) throw e;
    const bytes = encodeApdu(apdu, opts);
    if (offset + bytes.length > end) throw new RangeError(`APDU of ${bytes.length} bytes does not fit at ${offset} of ${end}`);
    target.set(bytes, offset);
    return bytes.length;
  }
  if (p !== offset) target.copyWithin(offset, p, end);
  return end - p;
}

/** Same as encodeEventReportFast but `undefined` instead of falling back (for tests and measurements). */
export function encodeEventReportFastOnly(apdu: CstaApdu): Uint8Array | undefined {
  try {
    S.f = 8;
    return SCRATCH.slice(encodeFast(apdu, SCRATCH, SCRATCH.length));
  } catch (e) {
    if (e !== BAIL) throw e;
    return undefined;
  }
}
