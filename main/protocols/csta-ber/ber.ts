// BER tag-length-value layer. Two interchangeable engines produce and consume the same `Tlv` tree:
// asn1js (the reference, used by default) and a lean reader/writer over raw bytes for hot paths.
// Typed codecs (codec.ts) only ever see `Tlv`, so both engines are tested against each other.
import * as asn1js from 'asn1js';
import { BerError, headerSize, IndefiniteLength, MAX_DEPTH, readElInto, writeHeader, type El } from './ber-bytes';

export { BerError, decodeIntegerContent, encodeIntegerContent, fromHex, hex } from './ber-bytes';

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

const EMPTY = new Uint8Array(0);

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
  const t = leanRead(bytes, 0, end, 0);
  if (readEnd !== end) throw new BerError(`${end - readEnd} trailing byte(s) after the element`, readEnd);
  return t;
}

/** [UNIVERSAL 0] is reserved for the end-of-contents octets of an indefinite length (X.690 8.1.5); both engines
 * reject it anywhere else, so they agree on such input. */
const EOC_MISPLACED = '[UNIVERSAL 0] (end-of-contents) is only allowed to end an indefinite length';

/** The header the shared reader (ber-bytes.ts) fills for leanRead, and where the element read last ended. */
const scratch: El = { id: 0, constructed: false, tag: 0, start: 0, contentStart: 0, end: 0 };
let readEnd = 0;

/** The Tlv tree of the element at `pos`; sets readEnd to the position after it. */
function leanRead(b: Uint8Array, pos: number, limit: number, depth: number): Tlv {
  if (depth > MAX_DEPTH) throw new BerError('nesting too deep', pos);
  const { id, tag, contentStart, end } = readElInto(b, pos, limit, scratch);
  const cls = id >> 6;
  if (cls === 0 && tag === 0) throw new BerError(EOC_MISPLACED, pos);
  readEnd = end;
  if ((id & 0x20) === 0) return { cls, constructed: false, tag, content: b.subarray(contentStart, end) };
  const children: Tlv[] = [];
  for (let p = contentStart; p < end; p = readEnd) children.push(leanRead(b, p, end, depth + 1));
  readEnd = end;
  return { cls, constructed: true, tag, content: EMPTY, children };
}

function contentSize(t: Tlv, sizes: Map<Tlv, number>): number {
  if (!t.constructed) return t.content.length;
  let s = 0;
  for (const c of t.children ?? []) {
    const cs = contentSize(c, sizes);
    s += (c.tag < 31 && cs < 128 ? 2 : headerSize(c.tag, cs)) + cs;
  }
  sizes.set(t, s);
  return s;
}

function writeTlv(t: Tlv, out: Uint8Array, pos: number, sizes: Map<Tlv, number>): number {
  const len = t.constructed ? sizes.get(t)! : t.content.length;
  const form = (t.cls << 6) | (t.constructed ? 0x20 : 0);
  // the common header written here: a call per element costs the lean writer about a third of its speed
  if (t.tag < 31 && len < 128) {
    out[pos++] = form | t.tag;
    out[pos++] = len;
  } else pos = writeHeader(out, pos, form, t.tag, len);
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
