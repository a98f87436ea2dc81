// Fast typed decoder for cSTAEventReport invokes (issue #3): the client reads every APDU with it. Its schema
// is not written here: it is derived at load time from the codec's own definitions (event-report-definitions.ts
// and the types it uses, through the shapes codec.ts records), so every member table exists once. From that
// schema `compileDecoder` generates straight-line JavaScript per event, with every nested SEQUENCE, CHOICE and
// tag inlined and locals instead of a Tlv tree. Leaves (strings, integers, enums, pass-through members) are
// small functions.
//
// Contract: decodeEventReportFast returns exactly what `decodeApdu(bytes, { engine: 'lean' })` returns.
// Whatever the schema does not cover (other APDUs, unmodelled event categories, indefinite lengths or
// multi-byte tags, unknown extra members, pass-through bytes whose re-encoding would differ, anything malformed)
// is handed to the general codec, so its values and errors stay the only ones. Events are written with the
// general codec (lean engine); a fast writer would need a product-level figure first.
import { decodeApdu, type CodecOptions, type CstaApdu } from './apdu';
import { UNIVERSAL, type Tlv } from './ber';
import { ConnectionID } from './call-connection-identifiers';
import { boolean as booleanCodec, ia5String, integer as integerCodec, nullType, octetString, type Codec } from './codec';
import { LocalConnectionState } from './connection-states';
import { CallOrigination, ForwardDefault, ForwardingType } from './device-feature-types';
import * as ids from './device-identifiers';
import { EventCause } from './event-causes';
import { CSTAEventReportArgument } from './event-report-definitions';
import { CSTAPrivateData } from './extension-types';

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

// ---------------------------------------------------------------- schema

type Dec = (b: Uint8Array, start: number, end: number) => unknown;

/** The content of an element: a leaf, or a structure the compilers inline. */
type Node =
  | { k: 'leaf'; dec: Dec }
  | { k: 'seq'; members: Member[] }
  /** Content is exactly one element, one of the alternatives (a tagged CHOICE in an explicit module). */
  | { k: 'choice'; alts: Alt[] }
  /** Content is exactly one element with this tag (`[n] T` around a tagged T). */
  | { k: 'explicit'; byte: number; node: Node }
  /** SEQUENCE OF: elements with this tag. */
  | { k: 'list'; byte: number; node: Node }
  /** Compiled once as its own function and called (shared types: keeps the generated functions small). */
  | { k: 'fn'; name: string; node: Node; dec?: Dec };
interface Alt {
  byte: number;
  name: string;
  node: Node;
}
/** A member is either one tagged element (`byte`, its content `node`) or an untagged CHOICE (`alts`). */
type Member = { name: string; opt: boolean; byte: number; node: Node; alts?: undefined } | { name: string; opt: false; alts: Alt[] };

const leaf = (dec: Dec): Node => ({ k: 'leaf', dec });
const seq = (...members: Member[]): Node => ({ k: 'seq', members });
const choice = (alts: Alt[]): Node => ({ k: 'choice', alts });
/** `name` names the generated function (dec_<name>) in profiles and stack traces. */
const fn = (name: string, node: Node): Node => ({ k: 'fn', name, node });
const choiceMember = (name: string, alts: Alt[]): Member => ({ name, opt: false, alts });

// ---- leaves

const octets = leaf(hexOf);
const text = leaf(ascii);
const integer = leaf(int);
const nul = leaf((_b, s, e) => {
  if (s !== e) throw BAIL;
  return null;
});
const bool = leaf((b, s, e) => {
  if (e - s !== 1) throw BAIL;
  return b[s] !== 0;
});
/** Pass-through constructed member: hex of its children, when re-encoding would give the same bytes. */
const rawCons = leaf((b, s, e) => {
  if (!minimal(b, s, e, 8)) throw BAIL;
  return hexOf(b, s, e);
});
const rawPrim = octets;

/** ENUMERATED-like codec: a table filled once by asking the codec itself for every one-byte value. */
function enumLeaf(codec: Codec<any>): Node {
  const key = codec.keys![0]; // its one tag, as the codec's decoder expects it
  const cls = Math.floor(key / 0x4000000);
  const tag = key % 0x2000000;
  const names: unknown[] = [];
  for (let n = 0; n < 128; n++) names.push(codec.dec({ cls, constructed: false, tag, content: Uint8Array.of(n) }));
  return leaf((b, s, e) => {
    if (e - s === 1 && b[s] < 0x80) return names[b[s]];
    const n = int(b, s, e); // non-minimal or large: the codec gives the name when known, else the number
    return n >= 0 && n < 128 ? names[n] : n;
  });
}
const callOrigination = leaf((b, s, e) => {
  try {
    return CallOrigination.dec({ cls: UNIVERSAL, constructed: false, tag: 3, content: b.subarray(s, e) } as Tlv);
  } catch {
    throw BAIL;
  }
});

/** CSTAPrivateData list: OCTET STRING, or any other element kept as its full encoding. */
const privateDataList = leaf((b, s, e) => {
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
});

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
        return alts.length ? choice(alts) : undefined;
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
  if (c.shape?.k === 'choice' && !optional) return choiceMember(name, altsOf(c, where));
  const node = contentOf(c, where);
  if (!node) throw new Error(`fast EventReport codec: no fast form for ${where}`);
  return { name, opt: optional, byte: tagByte(c, where), node };
}

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
    out.push({ byte: tagByte(a, `${s.name}.${name}`), name, node: event ? fn(name, node) : node });
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
    return new Function('BAIL', 'S', 'content', ...names, src)(BAIL, S, content, ...this.consts) as F;
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

const decodeArgument = compileDecoder(eventReportArgument, 'eventReportArgument');

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
