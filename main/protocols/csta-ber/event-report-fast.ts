// Fast typed codec for cSTAEventReport invokes (issue #3). Its schema is not written here: it is derived at
// load time from the codec's own definitions (event-report-definitions.ts and the types it uses, through the
// shapes codec.ts records), so every member table exists once. From that schema `compileDecoder` and
// `compileEncoder` generate straight-line JavaScript per event, with every nested SEQUENCE, CHOICE and tag
// inlined and locals instead of a Tlv tree. Leaves (strings, integers, enums, pass-through members) are small
// functions.
//
// Contract: decodeEventReportFast returns exactly what `decodeApdu(bytes, { engine: 'lean' })` returns, and
// encodeEventReportFast exactly the bytes of `encodeApdu(apdu, { engine: 'lean' })` (both engines agree).
// Whatever the schema does not cover (other APDUs, unmodelled event categories, indefinite lengths or
// multi-byte tags, unknown extra members, pass-through bytes whose re-encoding would differ, anything malformed
// or ill-typed) is handed to the general codec, so its values and errors stay the only ones.
import { decodeApdu, encodeApdu, type CodecOptions, type CstaApdu } from './apdu';
import { UNIVERSAL, type Tlv } from './ber';
import { ConnectionID } from './call-connection-identifiers';
import { boolean as booleanCodec, ia5String, integer as integerCodec, nullType, octetString, type Codec } from './codec';
import { LocalConnectionState } from './connection-states';
import { CallOrigination, ForwardDefault, ForwardingType } from './device-feature-types';
import * as ids from './device-identifiers';
import { EventCause } from './event-causes';
import { CSTAEventReportArgument } from './event-report-definitions';
import { CSTAPrivateData } from './extension-types';
import { checkFrameSize, MAX_FRAME_LENGTH } from './framing';

const LEAN: CodecOptions = { engine: 'lean' };

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

/** S.e: end of the element read last by `content` (the generated code reads short headers itself). */
const S = { e: 0 };
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
// header is written, and a caller can put a frame header in front without moving the APDU. The buffer W is
// a parameter: a view of the caller's space, or SCRATCH. Writers do not check for room: a typed array ignores
// writes below index 0, and the position keeps counting down, so a start below 0 at the end means "did not
// fit" (the caller then goes to the codec). Only the few places that read back what they wrote check first.
const SCRATCH = new Uint8Array(MAX_FRAME_LENGTH + 3); // the largest frame, and one byte to spare

/** Header before the content that starts at p; returns the new start. */
function header(byte: number, len: number, p: number, W: Uint8Array): number {
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
  let x = v;
  for (;;) {
    const byte = x & 0xff;
    W[--p] = byte;
    x >>= 8;
    if ((x === 0 && (byte & 0x80) === 0) || (x === -1 && (byte & 0x80) !== 0)) return p;
  }
}

/**
 * IA5String content (encodeIA5 accepts code units up to 0xff). Three- and four-digit extension numbers, the
 * most common strings here, are read without a loop: measured 3 to 6 % faster on the bench's event stream.
 */
function writeAscii(v: unknown, p: number, W: Uint8Array): number {
  if (typeof v !== 'string') throw BAIL;
  const n = v.length;
  if (n === 3) {
    const a = v.charCodeAt(0);
    const b = v.charCodeAt(1);
    const c = v.charCodeAt(2);
    if ((a | b | c) > 0xff) throw BAIL;
    W[p - 3] = a;
    W[p - 2] = b;
    W[p - 1] = c;
    return p - 3;
  }
  if (n === 4) {
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
  for (let i = n - 1; i >= 0; i--) {
    const c = v.charCodeAt(i);
    if (c > 0xff) throw BAIL;
    W[--p] = c;
  }
  return p;
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x61 + i] = NIBBLE[0x41 + i] = 10 + i;
/** OCTET STRING from hex (fromHex accepts either case; anything else, whitespace included, goes the slow way). */
function writeHex(v: unknown, p: number, W: Uint8Array): number {
  if (typeof v !== 'string') throw BAIL;
  const n = v.length;
  if ((n & 1) !== 0) throw BAIL;
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
  if (p < 0 || !minimal(W, p, q, 8)) throw BAIL;
  return p;
}

// ---------------------------------------------------------------- schema

type Dec = (b: Uint8Array, start: number, end: number) => unknown;
type Enc = (v: unknown, p: number, W: Uint8Array) => number;

/** The content of an element: a leaf, or a structure the compilers inline. */
type Node =
  /** A writer shared by every place, or `site`: makes a writer for each place (one with a cache of its own). */
  | { k: 'leaf'; dec: Dec; enc: Enc; site?: undefined }
  | { k: 'leaf'; dec: Dec; enc?: undefined; site: () => Enc }
  | { k: 'seq'; members: Member[] }
  /**
   * Content is exactly one element, one of the alternatives (a tagged CHOICE in an explicit module). `all`
   * names every alternative of the codec, modelled or not: the encoder checks that no other one has a value.
   */
  | { k: 'choice'; alts: Alt[]; all: string[] }
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
  /** An event (a SEQUENCE named …Event): each has a shape of its own. */
  event?: boolean;
}
/** A member is either one tagged element (`byte`, its content `node`) or an untagged CHOICE (`alts`). */
type Member = { name: string; opt: boolean; byte: number; node: Node; alts?: undefined } | { name: string; opt: false; alts: Alt[]; all: string[] };

const leaf = (dec: Dec, enc: Enc): Node => ({ k: 'leaf', dec, enc });
const seq = (...members: Member[]): Node => ({ k: 'seq', members });
const choice = (all: string[], alts: Alt[]): Node => ({ k: 'choice', alts, all });
/** `name` names the generated functions (dec_<name>, enc_<name>) in profiles and stack traces. */
const fn = (name: string, node: Node): Node => ({ k: 'fn', name, node });
const choiceMember = (name: string, all: string[], alts: Alt[]): Member => ({ name, opt: false, alts, all });

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

/**
 * ENUMERATED-like codec: tables filled once by asking the codec itself for every one-byte value. Writing a
 * name costs a Map lookup (about 13 ns here, a tenth of a whole event when there are two), but at any one
 * place in an event the same name comes again and again (a Delivered event's state is nearly always
 * `alerting`), so each place gets a writer that remembers the last name it looked up and its number. `===`
 * compares strings by content, so a hit is always right; a miss costs the lookup as before.
 */
function enumLeaf(codec: Codec<any>): Node {
  const key = codec.keys![0]; // its one tag, as the codec's decoder expects it
  const cls = Math.floor(key / 0x4000000);
  const tag = key % 0x2000000;
  const names: unknown[] = [];
  const numbers = new Map<unknown, number>();
  for (let n = 0; n < 128; n++) {
    const name = codec.dec({ cls, constructed: false, tag, content: Uint8Array.of(n) });
    names.push(name);
    if (typeof name === 'string') numbers.set(name, n);
  }
  const [first, firstNumber] = numbers.entries().next().value as [unknown, number];
  const site = (): Enc => {
    // a name and its number, always a pair from the table
    let last = first;
    let lastNumber = firstNumber;
    return (v, p, W) => {
      if (v !== last) {
        if (typeof v === 'number') return writeInt(v, p, W);
        const n = numbers.get(v);
        if (n === undefined) throw BAIL;
        last = v;
        lastNumber = n;
      }
      W[--p] = lastNumber;
      return p;
    };
  };
  const dec: Dec = (b, s, e) => {
    if (e - s === 1 && b[s] < 0x80) return names[b[s]];
    const n = int(b, s, e); // non-minimal or large: the codec gives the name when known, else the number
    return n >= 0 && n < 128 ? names[n] : n;
  };
  return { k: 'leaf', dec, site };
}
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
    if (p - t.content.length < 0) throw BAIL;
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
      if (typeof x !== 'object' || x === null) throw BAIL;
      // a CSTAPrivateData CHOICE: exactly one of the two alternatives has a value (as the codec reads it)
      const str = x.string;
      const priv = x.private;
      const q = p;
      if (str !== undefined && priv === undefined) {
        p = writeHex(str, p, W);
        p = header(0x04, q - p, p, W);
      } else if (priv !== undefined && str === undefined) {
        p = writeHex(priv, p, W);
        // exactly one element, minimal, so the lean reader and writer give these bytes back
        if (p === q || p < 0 || !minimal(W, p, q, 8) || (content(W, p, q), S.e !== q)) throw BAIL;
      } else throw BAIL;
    }
    return p;
  },
);

// ---- everything else, derived from the codec's own definitions

// Walks the shapes that the combinators in codec.ts record (sequence, choice, implicit, explicit, SEQUENCE OF,
// pass-through) from CSTAEventReportArgument down to the leaves above, so each member table exists once, in
// event-report-definitions.ts and the modules it uses. Alternatives the codec keeps as raw BER (unmodelled
// events and categories) are left out: their values and bytes go to the general codec.

/** Leaf codecs by identity (enumerations and the private-data list read their names and forms from the codec). */
const LEAVES = new Map<Codec<any>, Node>([
  [integerCodec, integer], [booleanCodec, bool], [nullType, nul], [octetString, octets], [ia5String, text],
  ...[EventCause, LocalConnectionState, ForwardingType, ForwardDefault].map((c) => [c, enumLeaf(c)] as [Codec<any>, Node]),
  [CallOrigination, callOrigination],
]);
/** Shared types compiled as functions of their own (called, not inlined: keeps the event functions small). */
const SHARED = new Map<Codec<any>, string>([
  [ids.DeviceID, 'deviceID'], [ConnectionID, 'connectionID'],
  // the APPLICATION-tagged party CHOICEs differ only in their tag, so their content is one function
  ...[ids.CallingDeviceID, ids.CalledDeviceID, ids.SubjectDeviceID, ids.AssociatedCallingDeviceID, ids.AssociatedCalledDeviceID, ids.NetworkCallingDeviceID, ids.NetworkCalledDeviceID].map(
    (c) => [c, 'partyDevice'] as [Codec<any>, string],
  ),
]);
const sharedNodes = new Map<string, Node>();

/** The identifier octet of a codec with exactly one low-number tag. */
function tagByte(c: Codec<unknown>, where: string): number {
  const key = c.keys?.length === 1 ? c.keys[0] : -1;
  const cls = Math.floor(key / 0x4000000);
  const tag = key % 0x2000000;
  if (key < 0 || tag > 30) throw new Error(`fast EventReport codec: ${where} has no single low-number tag`);
  return (cls << 6) | (key & 0x2000000 ? 0x20 : 0) | tag;
}

/** The content node of an element of type `c`; undefined when the codec keeps it as raw BER (not modelled). */
function contentOf(c: Codec<unknown>, where: string): Node | undefined {
  const known = LEAVES.get(c);
  if (known) return known;
  const name = SHARED.get(c);
  if (name === undefined) return shapeNode(c, where);
  let node = sharedNodes.get(name);
  if (!node) sharedNodes.set(name, (node = fn(name, shapeNode(c, where)!)));
  return node;
}

function shapeNode(c: Codec<unknown>, where: string): Node | undefined {
  const s = c.shape;
  switch (s?.k) {
    case 'implicit': // same content, other tag
      return contentOf(s.inner, where);
    case 'explicit': {
      // one element inside: a CHOICE's alternatives, or the one tagged type
      if (s.inner.shape?.k === 'choice') {
        const alts = altsOf(s.inner, where);
        return alts.length ? choice(altNames(s.inner), alts) : undefined;
      }
      const node = contentOf(s.inner, where);
      return node && { k: 'explicit', byte: tagByte(s.inner, where), node };
    }
    case 'sequence':
      return seq(...s.fields.map((f) => memberOf(f.name, f.codec, f.optional, `${s.name}.${f.name}`)));
    case 'sequenceOf': {
      if (s.inner === CSTAPrivateData) return privateDataList;
      const node = contentOf(s.inner, where);
      return node && { k: 'list', byte: tagByte(s.inner, where), node };
    }
    case 'raw':
      return s.constructed ? rawCons : rawPrim;
  }
  return undefined; // raw elements (ANY) and anything else: not modelled
}

function memberOf(name: string, c: Codec<unknown>, optional: boolean, where: string): Member {
  if (c.shape?.k === 'choice' && !optional) return choiceMember(name, altNames(c), altsOf(c, where));
  const node = contentOf(c, where);
  if (!node) throw new Error(`fast EventReport codec: no fast form for ${where}`);
  return { name, opt: optional, byte: tagByte(c, where), node };
}

const altNames = (c: Codec<unknown>): string[] => (c.shape?.k === 'choice' ? Object.keys(c.shape.alts) : []);

/** The modelled alternatives of a CHOICE; an event (a SEQUENCE named …Event) becomes a function named after it. */
function altsOf(c: Codec<unknown>, where: string): Alt[] {
  const s = c.shape;
  if (s?.k !== 'choice') throw new Error(`fast EventReport codec: ${where} is not a CHOICE`);
  const out: Alt[] = [];
  for (const [name, a] of Object.entries(s.alts)) {
    let node = contentOf(a, `${s.name}.${name}`);
    if (!node) continue;
    const inner = a.shape?.k === 'implicit' ? a.shape.inner.shape : undefined;
    const event = inner?.k === 'sequence' && inner.name.endsWith('Event');
    out.push({ byte: tagByte(a, `${s.name}.${name}`), name, node: event ? fn(name, node) : node, event });
  }
  return out;
}

/** The fast schema node for a codec (tests: how definitions map, and that an unmappable member is named). */
export const fastSchemaOf = (c: Codec<unknown>): unknown => contentOf(c, 'type');

/** CSTAEventReportArgument: the modelled categories and events only (the rest falls back). */
const eventReportArgument = contentOf(CSTAEventReportArgument, 'CSTAEventReportArgument')!;

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
  return `${len} = ${q} - ${p};\nif (${len} < 128) { W[--${p}] = ${len}; W[--${p}] = ${byte}; } else ${p} = header(${byte}, ${len}, ${p}, W);\n`;
}

function encNode(g: Gen, node: Node, v: string, p: string): string {
  switch (node.k) {
    case 'leaf':
      return `${p} = ${g.ref(node.site ? node.site() : node.enc)}(${v}, ${p}, W);\n`;
    case 'fn':
      node.enc ??= compileEncoder(node.node, node.name);
      return `${p} = ${g.ref(node.enc)}(${v}, ${p}, W);\n`;
    case 'explicit': {
      const [q, len] = [g.temp(), g.temp()];
      return `${q} = ${p};\n${encNode(g, node.node, v, p)}${writeHeader(node.byte, p, q, len)}`;
    }
    case 'choice':
      return encAlts(g, node.alts, node.all, v, p);
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
 * A CHOICE value: the one alternative with a value, no other alternative given (the codec's rule). Probing
 * the names costs next to nothing where the values have one or two shapes. Where the alternatives are events
 * (a different shape for each), the key comes from for-in instead and must be the only key: stricter than
 * the codec, so anything else goes to the codec, which gives the same bytes or the error.
 */
function encAlts(g: Gen, alts: Alt[], all: string[], v: string, p: string): string {
  const [x, q, len] = [g.temp(), g.temp(), g.temp()];
  const write = (a: Alt) => `${q} = ${p};\n${encNode(g, a.node, x, p)}${writeHeader(a.byte, p, q, len)}`;
  if (alts.some((a) => a.event)) {
    const [k, kk] = [g.temp(), g.temp()];
    let code = `${k} = undefined;\nfor (${kk} in ${v}) { if (${k} !== undefined) throw BAIL; ${k} = ${kk}; }\nswitch (${k}) {\n`;
    for (const a of alts) code += `case ${key(a.name)}: {\nif ((${x} = ${v}[${key(a.name)}]) === undefined) throw BAIL;\n${write(a)}break;\n}\n`;
    return `${code}default: throw BAIL;\n}\n`;
  }
  let code = `if (typeof ${v} !== 'object' || ${v} === null) throw BAIL;\n`;
  for (const a of alts) {
    const others = all.filter((n) => n !== a.name).map((n) => `${v}[${key(n)}] !== undefined`);
    const alone = others.length ? `if (${others.join(' || ')}) throw BAIL;\n` : '';
    code += `if ((${x} = ${v}[${key(a.name)}]) !== undefined) {\n${alone}${write(a)}} else `;
  }
  return `${code}throw BAIL;\n`;
}

function encSeq(g: Gen, members: Member[], v: string, p: string): string {
  let code = `if (typeof ${v} !== 'object' || ${v} === null) throw BAIL;\n`;
  for (let i = members.length - 1; i >= 0; i--) {
    const mb = members[i];
    const x = g.temp();
    code += `${x} = ${v}[${key(mb.name)}];\n`;
    if (mb.alts) {
      code += `if (${x} === undefined) throw BAIL;\n${encAlts(g, mb.alts, mb.all, x, p)}`;
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
export function decodeEventReportFast(bytes: Uint8Array, opts: CodecOptions = LEAN): CstaApdu {
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
 * SCRATCH from `start` to its end, as a new Buffer: small ones come from Node's shared pool, several times
 * cheaper than a typed array with a backing store of its own.
 */
function copyOut(start: number): Uint8Array {
  const out = Buffer.allocUnsafe(SCRATCH.length - start);
  out.set(SCRATCH.subarray(start));
  return out;
}

/**
 * Writes the APDU (fast, else through `encodeApdu`) so that it ends at `end` of `target`, nothing before
 * `floor`; returns its start, or minus its size when it does not fit.
 */
function placeBefore(apdu: CstaApdu, target: Uint8Array, floor: number, end: number, opts: CodecOptions): number {
  try {
    const W = floor === 0 && end === target.length ? target : target.subarray(floor, end);
    const p = encodeFast(apdu, W, W.length);
    if (p >= 0) return floor + p;
  } catch (e) {
    if (e !== BAIL) throw e;
  }
  const bytes = encodeApdu(apdu, opts);
  if (bytes.length > end - floor) return -bytes.length;
  target.set(bytes, end - bytes.length);
  return end - bytes.length;
}

/**
 * Encodes one APDU like `encodeApdu`, fast for cSTAEventReport invokes of the modelled events; anything else
 * (and anything the fast writer would not reproduce byte for byte) goes to `encodeApdu` with `opts`.
 */
export function encodeEventReportFast(apdu: CstaApdu, opts: CodecOptions = LEAN): Uint8Array {
  const start = placeBefore(apdu, SCRATCH, 0, SCRATCH.length, opts);
  return start < 0 ? encodeApdu(apdu, opts) : copyOut(start);
}

/**
 * Like encodeEventReportFast, but the APDU ends at `end` of `target` (default: its end) and the return value
 * is where it starts: this writer's own order, so nothing is moved and a caller can put a frame header in
 * front. Nothing before `floor` (default 0) is written; bytes from `floor` up to the start may have served
 * as scratch space. A RangeError when the APDU does not fit between `floor` and `end`.
 */
export function encodeEventReportBefore(apdu: CstaApdu, target: Uint8Array, end = target.length, floor = 0, opts: CodecOptions = LEAN): number {
  if (!(floor >= 0 && floor <= end && end <= target.length)) throw new RangeError(`space ${floor}..${end} is outside the buffer of ${target.length} bytes`);
  const start = placeBefore(apdu, target, floor, end, opts);
  if (start < 0) throw new RangeError(`APDU of ${-start} bytes does not fit in ${floor}..${end}`);
  return start;
}

/**
 * Like encodeEventReportFast, but into `target` at `offset` without allocating (a send buffer that several
 * frames share); returns the number of bytes written. The bytes of `target` from `offset` on are scratch
 * space while it works (the APDU is written backwards from the end, then moved to `offset`). A RangeError when
 * the APDU does not fit.
 */
export function encodeEventReportInto(apdu: CstaApdu, target: Uint8Array, offset = 0, opts: CodecOptions = LEAN): number {
  const end = target.length;
  if (!(offset >= 0 && offset <= end)) throw new RangeError(`offset ${offset} is outside the buffer of ${end} bytes`);
  const start = placeBefore(apdu, target, offset, end, opts);
  if (start < 0) throw new RangeError(`APDU of ${-start} bytes does not fit at ${offset} of ${end}`);
  if (start !== offset) target.copyWithin(offset, start, end);
  return end - start;
}

/**
 * One CSTA frame (2-byte length, then the APDU) in one allocation: the APDU is written first and the length
 * put in front of it. The same bytes and FramingError as `encodeFrame(encodeApdu(apdu))`.
 */
export function encodeEventReportFrame(apdu: CstaApdu, maxApduSize = MAX_FRAME_LENGTH, opts: CodecOptions = LEAN): Uint8Array {
  // SCRATCH has room for the largest frame, so an APDU that fits any frame starts at 3 or later
  const start = placeBefore(apdu, SCRATCH, 0, SCRATCH.length, opts);
  const size = start < 0 ? -start : SCRATCH.length - start;
  checkFrameSize(size, maxApduSize);
  SCRATCH[start - 2] = size >> 8;
  SCRATCH[start - 1] = size & 0xff;
  return copyOut(start - 2);
}

/** Same as encodeEventReportFast but `undefined` instead of falling back (for tests and measurements). */
export function encodeEventReportFastOnly(apdu: CstaApdu): Uint8Array | undefined {
  try {
    const p = encodeFast(apdu, SCRATCH, SCRATCH.length);
    return p < 0 ? undefined : copyOut(p);
  } catch (e) {
    if (e !== BAIL) throw e;
    return undefined;
  }
}
