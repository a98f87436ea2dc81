// The one byte-level BER and ROSE reader and writer (ARCHITECTURE.md "Hot paths"). It walks tag-length-value
// headers over the raw bytes and builds or patches elements without asn1js: the lean engine (ber.ts) builds its
// Tlv trees on `readEl`, and the multiplexer and event routing read invoke IDs, opcodes and cross-reference IDs
// and rewrite them in the frame. Everything else in an APDU passes untouched, Panasonic private data included.
import { OPCODE } from './opcodes';

export class BerError extends Error {
  readonly code = 'CSTA_BER_INVALID';
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'BerError';
  }
}

/** An indefinite length: the lean engine hands such input to asn1js; relays refuse it. */
export class IndefiniteLength extends BerError {
  constructor(offset: number) {
    super('indefinite length is not accepted here', offset);
  }
}

/** Deepest nesting any reader accepts. */
export const MAX_DEPTH = 64;

// ---------------------------------------------------------------- reading

/** One element's position inside a buffer. */
export interface El {
  /** First identifier octet (class, form and, for low tag numbers, the tag). */
  id: number;
  constructed: boolean;
  /** Tag number (multi-octet tags decoded). */
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads one element header at `pos`; the element must end by `limit`. Definite lengths only (IndefiniteLength otherwise). */
export function readEl(b: Uint8Array, pos: number, limit: number): El {
  return readElInto(b, pos, limit, { id: 0, constructed: false, tag: 0, start: 0, contentStart: 0, end: 0 });
}

/** readEl into `out` (a reader that walks many elements reuses one object instead of allocating one each). */
export function readElInto(b: Uint8Array, pos: number, limit: number, out: El): El {
  // most elements have a one-octet tag and a short length: kept small so that callers' loops inline it
  if (pos + 2 <= limit) {
    const id = b[pos];
    const len = b[pos + 1];
    if ((id & 0x1f) !== 0x1f && len < 0x80 && pos + 2 + len <= limit) {
      out.id = id;
      out.constructed = (id & 0x20) !== 0;
      out.tag = id & 0x1f;
      out.start = pos;
      out.contentStart = pos + 2;
      out.end = pos + 2 + len;
      return out;
    }
  }
  return readLongEl(b, pos, limit, out);
}

/** Every other header (multi-octet tags, long lengths) and every malformed one. */
function readLongEl(b: Uint8Array, pos: number, limit: number, out: El): El {
  const start = pos;
  if (pos >= limit) throw new BerError('truncated element: identifier missing', pos);
  const id = b[pos++];
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    let n = 0;
    for (;;) {
      if (pos >= limit) throw new BerError('truncated tag number', start);
      const c = b[pos++];
      tag = tag * 128 + (c & 0x7f);
      if (++n > 4) throw new BerError('tag number too large', start);
      if ((c & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new BerError('truncated element: length missing', start);
  let len = b[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new IndefiniteLength(start);
    if (n > 4) throw new BerError('length field too long', start);
    if (pos + n > limit) throw new BerError('truncated length field', start);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[pos++];
  }
  if (pos + len > limit) throw new BerError(`truncated element: length ${len} exceeds the ${limit - pos} byte(s) left`, start);
  out.id = id;
  out.constructed = (id & 0x20) !== 0;
  out.tag = tag;
  out.start = start;
  out.contentStart = pos;
  out.end = pos + len;
  return out;
}

/** Children of a constructed element. */
export function childrenOf(b: Uint8Array, el: El): El[] {
  const out: El[] = [];
  for (let p = el.contentStart; p < el.end; ) {
    const c = readEl(b, p, el.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Checks that the bytes are exactly one well-formed BER element (every nested length consistent); returns it. */
export function checkBer(b: Uint8Array): El {
  const top = readEl(b, 0, b.length);
  if (top.end !== b.length) throw new BerError(`${b.length - top.end} trailing byte(s) after the element`, top.end);
  walk(b, top, 0);
  return top;
}

function walk(b: Uint8Array, el: El, depth: number): void {
  if (!el.constructed) return;
  if (depth >= MAX_DEPTH) throw new BerError('nesting too deep', el.start);
  for (let p = el.contentStart; p < el.end; ) {
    const c = readEl(b, p, el.end);
    walk(b, c, depth + 1);
    p = c.end;
  }
}

/** A ROSE INTEGER (invoke ID, opcode, error code): tag 2, 1 to 4 content octets. */
export function readInt(b: Uint8Array, el: El): number {
  if (el.id !== 0x02 || el.end === el.contentStart || el.end - el.contentStart > 4) throw new BerError('INTEGER expected', el.start);
  let v = b[el.contentStart] & 0x80 ? -1 : 0;
  for (let i = el.contentStart; i < el.end; i++) v = v * 256 + b[i];
  return v;
}

export function decodeIntegerContent(c: Uint8Array): number {
  if (c.length === 0) throw new BerError('empty INTEGER');
  if (c.length > 6) throw new BerError(`INTEGER of ${c.length} bytes is out of range`);
  let v = c[0] & 0x80 ? -1 : 0;
  for (let i = 0; i < c.length; i++) v = v * 256 + c[i];
  return v;
}

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

/** The content octets of an element as hex (cross-reference IDs). */
export function contentHex(b: Uint8Array, el: El): string {
  let s = '';
  for (let i = el.contentStart; i < el.end; i++) s += HEX[b[i]];
  return s;
}

// ---------------------------------------------------------------- writing

function identifierSize(tag: number): number {
  return tag < 31 ? 1 : tag < 128 ? 2 : tag < 16384 ? 3 : tag < 2097152 ? 4 : 5;
}
function lengthSize(len: number): number {
  return len < 128 ? 1 : len < 256 ? 2 : len < 65536 ? 3 : len < 16777216 ? 4 : 5;
}
/** Size of an element's identifier and length octets. */
export function headerSize(tag: number, len: number): number {
  if (tag < 31 && len < 128) return 2;
  return identifierSize(tag) + lengthSize(len);
}

/** Writes the identifier octets (`form` = class << 6 | constructed 0x20) and the definite length; returns the next position. */
export function writeHeader(out: Uint8Array, pos: number, form: number, tag: number, len: number): number {
  if (tag < 31 && len < 128) {
    out[pos] = form | tag;
    out[pos + 1] = len;
    return pos + 2;
  }
  if (tag < 31) out[pos++] = form | tag;
  else {
    out[pos++] = form | 0x1f;
    for (let i = identifierSize(tag) - 2; i >= 0; i--) out[pos++] = (Math.floor(tag / 128 ** i) & 0x7f) | (i > 0 ? 0x80 : 0);
  }
  return writeLength(out, pos, len);
}

/** Writes a definite length in its shortest form; returns the next position. */
export function writeLength(out: Uint8Array, pos: number, len: number): number {
  if (len < 128) out[pos++] = len;
  else {
    const n = lengthSize(len) - 1;
    out[pos++] = 0x80 | n;
    for (let i = n - 1; i >= 0; i--) out[pos++] = Math.floor(len / 256 ** i) & 0xff;
  }
  return pos;
}

/** Minimal two's complement content octets of an INTEGER. */
export function encodeIntegerContent(v: number): Uint8Array {
  if (!Number.isSafeInteger(v)) throw new BerError(`not an integer: ${v}`);
  const out: number[] = [];
  let x = v;
  do {
    out.unshift(x & 0xff);
    x = Math.floor(x / 256);
  } while (x !== 0 && x !== -1);
  if (v >= 0 && out[0] & 0x80) out.unshift(0);
  if (v < 0 && !(out[0] & 0x80)) out.unshift(0xff);
  return Uint8Array.from(out);
}

/** A whole element: identifier octets as given, definite length, content. */
export function tlv(identifier: number[] | Uint8Array, ...content: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of content) len += c.length;
  const out = new Uint8Array(identifier.length + lengthSize(len) + len);
  out.set(identifier, 0);
  let p = writeLength(out, identifier.length, len);
  for (const c of content) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export function intEl(v: number): Uint8Array {
  return tlv([0x02], encodeIntegerContent(v));
}

/** The identifier octets of an element in `b`. */
function identifierOf(b: Uint8Array, el: El): Uint8Array {
  let p = el.start + 1;
  if ((b[el.start] & 0x1f) === 0x1f) while (b[p++] & 0x80);
  return b.subarray(el.start, p);
}

/**
 * Replaces the element `target` with the element `replacement` inside `chain` (its ancestors from the outermost
 * down to its parent), fixing every enclosing length. A same-size replacement is a copy and an overwrite.
 */
export function replaceEl(b: Uint8Array, chain: El[], target: El, replacement: Uint8Array): Uint8Array {
  if (replacement.length === target.end - target.start) {
    const out = new Uint8Array(b);
    out.set(replacement, target.start);
    return out;
  }
  const rebuild = (depth: number): Uint8Array => {
    if (depth === chain.length) return replacement;
    const el = chain[depth];
    const inner = depth + 1 < chain.length ? chain[depth + 1] : target;
    return tlv(identifierOf(b, el), b.subarray(el.contentStart, inner.start), rebuild(depth + 1), b.subarray(inner.end, el.end));
  };
  const root = chain[0] ?? target;
  if (root.start === 0 && root.end === b.length) return rebuild(0);
  return Buffer.concat([b.subarray(0, root.start), rebuild(0), b.subarray(root.end)]);
}

/** Replaces `target`'s content (same identifier), fixing every enclosing length; see replaceEl. */
export function replaceContent(b: Uint8Array, chain: El[], target: El, content: Uint8Array): Uint8Array {
  if (content.length === target.end - target.contentStart) {
    const out = new Uint8Array(b);
    out.set(content, target.contentStart);
    return out;
  }
  return replaceEl(b, chain, target, tlv(identifierOf(b, target), content));
}

// ---------------------------------------------------------------- ROSE

export type RoseKind = 'invoke' | 'returnResult' | 'returnError' | 'reject';
const KINDS: Record<number, RoseKind> = { 0xa1: 'invoke', 0xa2: 'returnResult', 0xa3: 'returnError', 0xa4: 'reject' };


/** The parts of a ROSE APDU a relay acts on, as positions in the APDU bytes. */
export interface RoseView {
  kind: RoseKind;
  /** null only for a Reject of an unreadable APDU. */
  invokeId: number | null;
  /** Invoke: the operation; ReturnResult: the opcode inside the result (absent for an empty result). */
  opcode?: number;
  /** The whole APDU element. */
  top: El;
  /** The invoke ID element (its bytes are what a remap replaces). */
  idEl: El;
  /** Invoke argument, ReturnResult result value or ReturnError parameter. */
  body?: El;
  /** ReturnResult: the `SEQUENCE { opcode, result }` wrapper. */
  resultSeq?: El;
}

/** True for the first byte of an ACSE APDU (AARQ 60 … ABRT 64). */
export function isAcse(b: Uint8Array): boolean {
  return b.length > 0 && b[0] >= 0x60 && b[0] <= 0x64;
}

/** Reads a ROSE APDU's header (`top`: its outer element when already read); throws BerError when it is not one. */
export function parseRose(b: Uint8Array, top: El = readEl(b, 0, b.length)): RoseView {
  const kind = KINDS[top.id];
  if (!kind || top.end !== b.length) throw new BerError(`not a ROSE APDU (first byte 0x${(b[0] ?? 0).toString(16)})`, 0);
  const k = childrenOf(b, top);
  const idEl = k[0];
  if (!idEl) throw new BerError('invoke ID missing', top.contentStart);
  if (kind === 'reject') return { kind, invokeId: idEl.id === 0x05 ? null : readInt(b, idEl), top, idEl };
  const invokeId = readInt(b, idEl);
  if (kind === 'invoke') {
    let i = 1;
    if (k[i] && k[i].id === 0x80) i++; // linkedId
    if (!k[i]) throw new BerError('opcode missing', top.contentStart);
    const opcode = readInt(b, k[i]);
    return { kind, invokeId, opcode, top, idEl, body: k[i + 1] };
  }
  if (kind === 'returnResult') {
    const seq = k[1];
    if (!seq) return { kind, invokeId, top, idEl };
    if (seq.id !== 0x30) throw new BerError('result must be a SEQUENCE', seq.start);
    const rk = childrenOf(b, seq);
    if (!rk[0]) throw new BerError('result opcode missing', seq.start);
    return { kind, invokeId, opcode: readInt(b, rk[0]), top, idEl, body: rk[1], resultSeq: seq };
  }
  if (!k[1]) throw new BerError('error code missing', top.contentStart);
  readInt(b, k[1]);
  return { kind, invokeId, top, idEl, body: k[2] };
}

/** parseRose, or undefined for ACSE and malformed bytes. */
export function tryParseRose(b: Uint8Array): RoseView | undefined {
  try {
    return parseRose(b);
  } catch {
    return undefined;
  }
}

export interface RoseHeader {
  kind: RoseKind;
  invokeId: number | null;
  /** Opcode of an invoke (or of a ReturnResult that carries one). */
  opcode?: number;
  /** Offsets of the invoke ID element inside the APDU. */
  invokeIdAt?: { start: number; end: number };
}

/** Kind, invoke ID and opcode of a ROSE APDU; undefined for ACSE or malformed bytes. */
export function peekRose(apdu: Uint8Array): RoseHeader | undefined {
  const v = tryParseRose(apdu);
  if (!v) return undefined;
  const out: RoseHeader = { kind: v.kind, invokeId: v.invokeId, invokeIdAt: { start: v.idEl.start, end: v.idEl.end } };
  if (v.opcode !== undefined) out.opcode = v.opcode;
  return out;
}

/**
 * The cross-reference ID that leads an argument or result SEQUENCE (MonitorCrossRefID 0x55, or an untagged
 * OCTET STRING 0x04 for CDR, data-collection and service cross-references), with the chain to rewrite it.
 */
export interface LeadingRef {
  chain: El[];
  ref: El;
}

export function leadingRef(b: Uint8Array, view: RoseView): LeadingRef | undefined {
  const body = view.body;
  if (!body || body.id !== 0x30) return undefined;
  const first = body.contentStart < body.end ? readEl(b, body.contentStart, body.end) : undefined;
  if (!first || (first.id !== 0x55 && first.id !== 0x04)) return undefined;
  const chain = view.resultSeq ? [view.top, view.resultSeq, body] : [view.top, body];
  return { chain, ref: first };
}

/** The monitorCrossRefID element of an EventReport already parsed, or undefined for anything else. */
export function eventCrossRefEl(apdu: Uint8Array, v: RoseView): El | undefined {
  if (v.kind !== 'invoke' || v.opcode !== OPCODE.cSTAEventReport || !v.body || v.body.id !== 0x30 || v.body.contentStart >= v.body.end) return undefined;
  const x = readEl(apdu, v.body.contentStart, v.body.end);
  return x.id === 0x55 ? x : undefined;
}

/**
 * Position of the monitorCrossRefID content inside an EventReport APDU, or undefined for anything else. Walks only
 * the headers on the way to it (no view, no list of children): this is the per-event routing read.
 */
export function locateEventCrossRef(apdu: Uint8Array): { start: number; end: number } | undefined {
  try {
    const top = readEl(apdu, 0, apdu.length);
    if (top.id !== 0xa1 || top.end !== apdu.length) return undefined;
    const id = readEl(apdu, top.contentStart, top.end);
    if (id.id !== 0x02) return undefined;
    let op = readEl(apdu, id.end, top.end);
    if (op.id === 0x80) op = readEl(apdu, op.end, top.end); // linkedId
    if (readInt(apdu, op) !== OPCODE.cSTAEventReport) return undefined;
    const arg = readEl(apdu, op.end, top.end);
    if (arg.id !== 0x30) return undefined;
    const x = readEl(apdu, arg.contentStart, arg.end);
    return x.id === 0x55 ? { start: x.contentStart, end: x.end } : undefined;
  } catch {
    return undefined;
  }
}

/** The monitorCrossRefID of an EventReport APDU as hex, or undefined if the APDU is not one. */
export function eventCrossRefOf(apdu: Uint8Array): string | undefined {
  const at = locateEventCrossRef(apdu);
  if (!at) return undefined;
  let s = '';
  for (let i = at.start; i < at.end; i++) s += HEX[apdu[i]];
  return s;
}

/**
 * Replaces the monitorCrossRefID of an EventReport. Same length: done in place and the same array is returned.
 * Different length: a new array with the enclosing lengths adjusted. Returns undefined if not an EventReport.
 */
export function rewriteEventCrossRef(apdu: Uint8Array, newId: Uint8Array): Uint8Array | undefined {
  const v = tryParseRose(apdu);
  if (!v) return undefined;
  let x: El | undefined;
  try {
    x = eventCrossRefEl(apdu, v);
  } catch {
    return undefined;
  }
  if (!x) return undefined;
  if (x.end - x.contentStart === newId.length) {
    apdu.set(newId, x.contentStart);
    return apdu;
  }
  return replaceContent(apdu, [v.top, v.body!], x, newId);
}

/** Invoke IDs a relay can give back: a ROSE INTEGER of up to 4 bytes, not negative. */
export const MAX_INVOKE_ID = 0x7fffffff;

/**
 * Returns the APDU with its invoke ID replaced (a new array; same bytes otherwise); `view` when already parsed.
 * Undefined if not ROSE or the ID is out of range.
 */
export function rewriteInvokeId(apdu: Uint8Array, newId: number, view?: RoseView): Uint8Array | undefined {
  const v = view ?? tryParseRose(apdu);
  if (!v || !Number.isSafeInteger(newId) || newId < 0 || newId > MAX_INVOKE_ID) return undefined;
  // one allocation: the APDU's identifier and new length, what precedes the ID, the new ID, the rest (no copies
  // in between: remaps happen for every request and answer)
  const n = newId < 0x80 ? 1 : newId < 0x8000 ? 2 : newId < 0x800000 ? 3 : 4;
  const top = v.top;
  const len = top.end - top.contentStart - (v.idEl.end - v.idEl.start) + 2 + n;
  const out = new Uint8Array(1 + lengthSize(len) + len);
  out[0] = apdu[0];
  let p = writeLength(out, 1, len);
  for (let i = top.contentStart; i < v.idEl.start; i++) out[p++] = apdu[i];
  out[p++] = 0x02;
  out[p++] = n;
  for (let i = n - 1; i >= 0; i--) out[p++] = Math.floor(newId / 256 ** i) & 0xff;
  out.set(apdu.subarray(v.idEl.end, top.end), p);
  return out;
}

export function buildInvoke(invokeId: number, opcode: number, argument?: Uint8Array): Uint8Array {
  return argument ? tlv([0xa1], intEl(invokeId), intEl(opcode), argument) : tlv([0xa1], intEl(invokeId), intEl(opcode));
}

export function buildReturnResult(invokeId: number, opcode: number, result: Uint8Array): Uint8Array {
  return tlv([0xa2], intEl(invokeId), tlv([0x30], intEl(opcode), result));
}

/** `noData NULL`, the result of services that return nothing. */
export const NO_DATA = Uint8Array.of(0x05, 0x00);
