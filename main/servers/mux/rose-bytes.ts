// Byte-level reading and rewriting of ROSE APDUs for the multiplexer's hot path (ARCHITECTURE.md "Hot paths"):
// it only needs the invoke ID, the opcode and the first member of an argument (a cross-reference ID), so it walks
// tag-length-value headers over the raw bytes instead of building asn1js trees. Everything else passes untouched,
// Panasonic private data included. Cross-checked against the CSTA codec in rose-bytes.test.ts.

export class MalformedApdu extends Error {
  readonly code = 'MUX_MALFORMED_APDU';
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'MalformedApdu';
  }
}

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

const MAX_DEPTH = 48;

/** Reads one element header at `pos`; the element must end by `limit`. Definite lengths only. */
export function readEl(b: Uint8Array, pos: number, limit: number): El {
  const start = pos;
  if (pos >= limit) throw new MalformedApdu('element expected', pos);
  const id = b[pos++];
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let n = 0; ; n++) {
      if (pos >= limit || n > 3) throw new MalformedApdu('bad tag number', start);
      const c = b[pos++];
      tag = tag * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new MalformedApdu('length missing', start);
  let len = b[pos++];
  if (len === 0x80) throw new MalformedApdu('indefinite length is not accepted', start);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 3 || pos + n > limit) throw new MalformedApdu('bad length', start);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[pos++];
  }
  if (pos + len > limit) throw new MalformedApdu(`element claims ${len} bytes, only ${limit - pos} left`, start);
  return { id, constructed: (id & 0x20) !== 0, tag, start, contentStart: pos, end: pos + len };
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

/** Checks that the bytes are exactly one well-formed BER element (every nested length consistent). */
export function checkBer(b: Uint8Array): void {
  const top = readEl(b, 0, b.length);
  if (top.end !== b.length) throw new MalformedApdu(`${b.length - top.end} trailing byte(s)`, top.end);
  walk(b, top, 0);
}

function walk(b: Uint8Array, el: El, depth: number): void {
  if (!el.constructed) return;
  if (depth > MAX_DEPTH) throw new MalformedApdu('nesting too deep', el.start);
  for (let p = el.contentStart; p < el.end; ) {
    const c = readEl(b, p, el.end);
    walk(b, c, depth + 1);
    p = c.end;
  }
}

export function readInt(b: Uint8Array, el: El): number {
  if (el.id !== 0x02 || el.end === el.contentStart || el.end - el.contentStart > 4) throw new MalformedApdu('INTEGER expected', el.start);
  let v = b[el.contentStart] & 0x80 ? -1 : 0;
  for (let i = el.contentStart; i < el.end; i++) v = v * 256 + b[i];
  return v;
}

export type RoseKind = 'invoke' | 'returnResult' | 'returnError' | 'reject';
const KINDS: Record<number, RoseKind> = { 0xa1: 'invoke', 0xa2: 'returnResult', 0xa3: 'returnError', 0xa4: 'reject' };

/** The parts of a ROSE APDU the multiplexer acts on, as positions in the APDU bytes. */
export interface RoseView {
  kind: RoseKind;
  /** null only for a Reject of an unreadable APDU. */
  invokeId: number | null;
  /** Invoke: the operation; ReturnResult: the opcode inside the result (absent for an empty result). */
  opcode?: number;
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

/** Reads a ROSE APDU's header; throws MalformedApdu when it is not one. */
export function parseRose(b: Uint8Array): RoseView {
  const top = readEl(b, 0, b.length);
  const kind = KINDS[top.id];
  if (!kind || top.end !== b.length) throw new MalformedApdu(`not a ROSE APDU (first byte 0x${(b[0] ?? 0).toString(16)})`, 0);
  const k = childrenOf(b, top);
  const idEl = k[0];
  if (!idEl) throw new MalformedApdu('invoke ID missing', top.contentStart);
  if (kind === 'reject') return { kind, invokeId: idEl.id === 0x05 ? null : readInt(b, idEl), idEl };
  const invokeId = readInt(b, idEl);
  if (kind === 'invoke') {
    let i = 1;
    if (k[i] && k[i].id === 0x80) i++; // linkedId
    if (!k[i]) throw new MalformedApdu('opcode missing', top.contentStart);
    const opcode = readInt(b, k[i]);
    return { kind, invokeId, opcode, idEl, body: k[i + 1] };
  }
  if (kind === 'returnResult') {
    const seq = k[1];
    if (!seq) return { kind, invokeId, idEl };
    if (seq.id !== 0x30) throw new MalformedApdu('result must be a SEQUENCE', seq.start);
    const rk = childrenOf(b, seq);
    if (!rk[0]) throw new MalformedApdu('result opcode missing', seq.start);
    return { kind, invokeId, opcode: readInt(b, rk[0]), idEl, body: rk[1], resultSeq: seq };
  }
  if (!k[1]) throw new MalformedApdu('error code missing', top.contentStart);
  readInt(b, k[1]);
  return { kind, invokeId, idEl, body: k[2] };
}

// ---------------------------------------------------------------- writing

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

function intContent(v: number): number[] {
  const out: number[] = [];
  let x = v;
  do {
    out.unshift(x & 0xff);
    x = Math.floor(x / 256);
  } while (x !== 0 && x !== -1);
  if (v >= 0 && out[0] & 0x80) out.unshift(0);
  if (v < 0 && !(out[0] & 0x80)) out.unshift(0xff);
  return out;
}

/** A whole element: identifier octets, length and content. */
export function tlv(identifier: number[] | Uint8Array, ...content: Uint8Array[]): Uint8Array {
  const len = content.reduce((a, c) => a + c.length, 0);
  const head = [...identifier, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let p = head.length;
  for (const c of content) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export function intEl(v: number): Uint8Array {
  return tlv([0x02], Uint8Array.from(intContent(v)));
}

function identifierOf(b: Uint8Array, el: El): Uint8Array {
  // the identifier octets run up to the length octet, which readEl skipped together with the length
  let p = el.start + 1;
  if ((b[el.start] & 0x1f) === 0x1f) while (b[p++] & 0x80);
  return b.subarray(el.start, p);
}

/**
 * Replaces `target`'s content with `content` inside `outer` (an ancestor chain from the outermost element down
 * to target's parent), fixing every enclosing length. Same-size replacements are a copy and an overwrite.
 */
export function replaceContent(b: Uint8Array, chain: El[], target: El, content: Uint8Array): Uint8Array {
  if (content.length === target.end - target.contentStart) {
    const out = b.slice();
    out.set(content, target.contentStart);
    return out;
  }
  const rebuild = (depth: number): Uint8Array => {
    if (depth === chain.length) return tlv(identifierOf(b, target), content);
    const el = chain[depth];
    const inner = depth + 1 < chain.length ? chain[depth + 1] : target;
    return tlv(identifierOf(b, el), b.subarray(el.contentStart, inner.start), rebuild(depth + 1), b.subarray(inner.end, el.end));
  };
  const root = chain[0] ?? target;
  return Buffer.concat([b.subarray(0, root.start), rebuild(0), b.subarray(root.end)]);
}

export function buildInvoke(invokeId: number, opcode: number, argument?: Uint8Array): Uint8Array {
  return argument ? tlv([0xa1], intEl(invokeId), intEl(opcode), argument) : tlv([0xa1], intEl(invokeId), intEl(opcode));
}

export function buildReturnResult(invokeId: number, opcode: number, result: Uint8Array): Uint8Array {
  return tlv([0xa2], intEl(invokeId), tlv([0x30], intEl(opcode), result));
}

/** `noData NULL`, the result of services that return nothing. */
export const NO_DATA = Uint8Array.of(0x05, 0x00);

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
  const top = readEl(b, 0, b.length);
  const chain = view.resultSeq ? [top, view.resultSeq, body] : [top, body];
  return { chain, ref: first };
}

export function refHex(b: Uint8Array, el: El): string {
  let s = '';
  for (let i = el.contentStart; i < el.end; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

export function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Prefixes an APDU with its 2-byte big-endian length (Panasonic framing). */
export function frameOf(apdu: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(apdu.length + 2);
  out[0] = apdu.length >> 8;
  out[1] = apdu.length & 0xff;
  out.set(apdu, 2);
  return out;
}
