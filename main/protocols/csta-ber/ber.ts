// BER tag-length-value layer. Two interchangeable engines produce and consume the same `Tlv` tree:
// asn1js (the reference, used by default) and a lean reader/writer over raw bytes for hot paths.
// Typed codecs (codec.ts) only ever see `Tlv`, so both engines are tested against each other.
import * as asn1js from 'asn1js';

export const UNIVERSAL = 0;
export const APPLICATION = 1;
export const CONTEXT = 2;
export const PRIVATE = 3;

export interface Tlv {
  cls: number; // 0 universal, 1 application, 2 context, 3 private
  constructed: boolean;
  tag: number;
  /** Content octets of a primitive element (empty for constructed ones). */
  content: Uint8Array;
  /** Children of a constructed element. */
  children?: Tlv[];
}

export type BerEngine = 'asn1js' | 'lean';

export class BerError extends Error {
  readonly code = 'CSTA_BER_INVALID';
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'BerError';
  }
}

const EMPTY = new Uint8Array(0);
const MAX_DEPTH = 64;

export function prim(cls: number, tag: number, content: Uint8Array): Tlv {
  return { cls, constructed: false, tag, content };
}
export function cons(cls: number, tag: number, children: Tlv[]): Tlv {
  return { cls, constructed: true, tag, content: EMPTY, children };
}

/** Numeric key identifying class, form and tag number; used to match SEQUENCE members and CHOICE alternatives. */
export function tagKey(cls: number, constructed: boolean, tag: number): number {
  return cls * 0x4000000 + (constructed ? 0x2000000 : 0) + tag;
}
export function keyOf(t: Tlv): number {
  return tagKey(t.cls, t.constructed, t.tag);
}

// ---------------------------------------------------------------- lean engine

/** Parses exactly one element spanning all of `bytes` (definite lengths only; falls back to asn1js otherwise). */
export function leanDecode(bytes: Uint8Array): Tlv {
  const end = bytes.length;
  const [t, next] = leanRead(bytes, 0, end, 0);
  if (next !== end) throw new BerError(`${end - next} trailing byte(s) after the element`, next);
  return t;
}

class IndefiniteLength extends Error {}

/** [UNIVERSAL 0] is reserved for the end-of-contents octets of an indefinite length (X.690 8.1.5); both engines
 * reject it anywhere else, so they agree on such input. */
const EOC_MISPLACED = '[UNIVERSAL 0] (end-of-contents) is only allowed to end an indefinite length';

function leanRead(b: Uint8Array, pos: number, end: number, depth: number): [Tlv, number] {
  if (depth > MAX_DEPTH) throw new BerError('nesting too deep', pos);
  if (pos >= end) throw new BerError('truncated element: identifier missing', pos);
  const start = pos;
  const first = b[pos++];
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    let n = 0;
    for (;;) {
      if (pos >= end) throw new BerError('truncated tag number', start);
      const c = b[pos++];
      tag = tag * 128 + (c & 0x7f);
      if (++n > 4) throw new BerError('tag number too large', start);
      if ((c & 0x80) === 0) break;
    }
  }
  if (cls === 0 && tag === 0) throw new BerError(EOC_MISPLACED, start);
  if (pos >= end) throw new BerError('truncated element: length missing', start);
  let len = b[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new IndefiniteLength();
    if (n > 4) throw new BerError('length field too long', start);
    if (pos + n > end) throw new BerError('truncated length field', start);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[pos++];
  }
  const cend = pos + len;
  if (cend > end) throw new BerError(`truncated element: length ${len} exceeds the ${end - pos} byte(s) left`, start);
  if (!constructed) return [{ cls, constructed, tag, content: b.subarray(pos, cend) }, cend];
  const children: Tlv[] = [];
  while (pos < cend) {
    const [c, n] = leanRead(b, pos, cend, depth + 1);
    children.push(c);
    pos = n;
  }
  return [{ cls, constructed, tag, content: EMPTY, children }, cend];
}

function headerSize(tag: number, len: number): number {
  let n = tag < 31 ? 1 : tag < 128 ? 2 : tag < 16384 ? 3 : tag < 2097152 ? 4 : 5;
  n += len < 128 ? 1 : len < 256 ? 2 : len < 65536 ? 3 : len < 16777216 ? 4 : 5;
  return n;
}

function contentSize(t: Tlv, sizes: Map<Tlv, number>): number {
  if (!t.constructed) return t.content.length;
  let s = 0;
  for (const c of t.children ?? []) {
    const cs = contentSize(c, sizes);
    s += headerSize(c.tag, cs) + cs;
  }
  sizes.set(t, s);
  return s;
}

function writeTlv(t: Tlv, out: Uint8Array, pos: number, sizes: Map<Tlv, number>): number {
  const len = t.constructed ? sizes.get(t)! : t.content.length;
  const id = (t.cls << 6) | (t.constructed ? 0x20 : 0);
  if (t.tag < 31) out[pos++] = id | t.tag;
  else {
    out[pos++] = id | 0x1f;
    const groups: number[] = [];
    let v = t.tag;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length; i++) out[pos++] = groups[i] | (i < groups.length - 1 ? 0x80 : 0);
  }
  if (len < 128) out[pos++] = len;
  else {
    const lb: number[] = [];
    let v = len;
    while (v > 0) {
      lb.unshift(v & 0xff);
      v = Math.floor(v / 256);
    }
    out[pos++] = 0x80 | lb.length;
    for (const x of lb) out[pos++] = x;
  }
  if (!t.constructed) {
    out.set(t.content, pos);
    return pos + len;
  }
  for (const c of t.children ?? []) pos = writeTlv(c, out, pos, sizes);
  return pos;
}

/** Serialises a Tlv tree with definite, minimal lengths (DER-style). */
export function leanEncode(t: Tlv): Uint8Array {
  const sizes = new Map<Tlv, number>();
  const cs = contentSize(t, sizes);
  const out = new Uint8Array(headerSize(t.tag, cs) + cs);
  writeTlv(t, out, 0, sizes);
  return out;
}

// ---------------------------------------------------------------- asn1js engine

function fromAsn1js(b: asn1js.AsnType, depth: number): Tlv {
  if (depth > MAX_DEPTH) throw new BerError('nesting too deep');
  // asn1js has already removed the end-of-contents of indefinite lengths; any left is misplaced
  if (b instanceof asn1js.EndOfContent) throw new BerError(EOC_MISPLACED);
  const blk = b as unknown as {
    idBlock: { tagClass: number; tagNumber: number; isConstructed: boolean; blockLength: number };
    lenBlock: { blockLength: number };
    valueBeforeDecodeView: Uint8Array;
    valueBlock: { value?: asn1js.AsnType[] };
  };
  const cls = blk.idBlock.tagClass - 1;
  const tag = blk.idBlock.tagNumber;
  if (!blk.idBlock.isConstructed) {
    const head = blk.idBlock.blockLength + blk.lenBlock.blockLength;
    return { cls, constructed: false, tag, content: blk.valueBeforeDecodeView.subarray(head) };
  }
  const value = blk.valueBlock.value;
  if (!Array.isArray(value)) {
    // asn1js folds constructed string types into one value; read the children from the content octets
    const head = blk.idBlock.blockLength + blk.lenBlock.blockLength;
    const indefinite = (blk.lenBlock as { isIndefiniteForm?: boolean }).isIndefiniteForm === true;
    return { cls, constructed: true, tag, content: EMPTY, children: asn1jsElements(blk.valueBeforeDecodeView.subarray(head), depth + 1, indefinite) };
  }
  return { cls, constructed: true, tag, content: EMPTY, children: value.map((c) => fromAsn1js(c, depth + 1)) };
}

function asn1jsElements(content: Uint8Array, depth: number, indefinite: boolean): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < content.length) {
    const r = asn1js.fromBER(content.subarray(pos));
    if (r.offset === -1) throw new BerError(`malformed BER: ${(r.result as { error?: string }).error || 'decode failed'}`);
    if (r.result instanceof asn1js.EndOfContent) {
      if (indefinite) break;
      throw new BerError(EOC_MISPLACED);
    }
    out.push(fromAsn1js(r.result, depth));
    pos += r.offset;
  }
  return out;
}

export function asn1jsDecode(bytes: Uint8Array): Tlv {
  let r: ReturnType<typeof asn1js.fromBER>;
  try {
    r = asn1js.fromBER(bytes);
  } catch (e) {
    // asn1js throws plain Errors for some malformed universal types (e.g. GeneralizedTime)
    throw new BerError(`malformed BER: ${(e as Error).message}`);
  }
  try {
    return checkedAsn1js(bytes, r);
  } catch (e) {
    if (e instanceof BerError) throw e;
    throw new BerError(`malformed BER: ${(e as Error).message}`);
  }
}

function checkedAsn1js(bytes: Uint8Array, r: ReturnType<typeof asn1js.fromBER>): Tlv {
  if (r.offset === -1) throw new BerError(`malformed BER: ${(r.result as { error?: string }).error || 'decode failed'}`);
  if (r.offset !== bytes.length) throw new BerError(`${bytes.length - r.offset} trailing byte(s) after the element`, r.offset);
  return fromAsn1js(r.result, 0);
}

function toAsn1js(t: Tlv): asn1js.BaseBlock {
  const idBlock = { tagClass: t.cls + 1, tagNumber: t.tag };
  if (!t.constructed) return new asn1js.Primitive({ idBlock, valueHex: t.content });
  return new asn1js.Constructed({ idBlock, value: (t.children ?? []).map(toAsn1js) });
}

export function asn1jsEncode(t: Tlv): Uint8Array {
  return new Uint8Array(toAsn1js(t).toBER(false));
}

// ---------------------------------------------------------------- engine choice

export function berDecode(bytes: Uint8Array, engine: BerEngine = 'asn1js'): Tlv {
  if (engine === 'asn1js') return asn1jsDecode(bytes);
  try {
    return leanDecode(bytes);
  } catch (e) {
    if (e instanceof IndefiniteLength) return asn1jsDecode(bytes);
    throw e;
  }
}

export function berEncode(t: Tlv, engine: BerEngine = 'asn1js'): Uint8Array {
  return engine === 'asn1js' ? asn1jsEncode(t) : leanEncode(t);
}

// ---------------------------------------------------------------- content helpers

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

export function fromHex(h: string): Uint8Array {
  const clean = h.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new BerError(`not a hex string: "${h}"`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

export function encodeIntegerContent(v: number): Uint8Array {
  if (!Number.isSafeInteger(v)) throw new BerError(`not an integer: ${v}`);
  const bytes: number[] = [];
  let x = BigInt(v);
  for (;;) {
    const byte = Number(x & 0xffn);
    bytes.unshift(byte);
    x >>= 8n;
    if ((x === 0n && (byte & 0x80) === 0) || (x === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

export function decodeIntegerContent(c: Uint8Array): number {
  if (c.length === 0) throw new BerError('empty INTEGER');
  if (c.length > 6) throw new BerError(`INTEGER of ${c.length} bytes is out of range`);
  let v = c[0] & 0x80 ? -1 : 0;
  for (let i = 0; i < c.length; i++) v = v * 256 + c[i];
  return v;
}

export function decodeIA5(c: Uint8Array): string {
  // short strings (numbers, names): a plain loop beats TextDecoder
  let s = '';
  for (let i = 0; i < c.length; i++) s += String.fromCharCode(c[i]);
  return s;
}
export function encodeIA5(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0xff) throw new BerError(`character "${s[i]}" cannot travel in an IA5String`);
    out[i] = code;
  }
  return out;
}
