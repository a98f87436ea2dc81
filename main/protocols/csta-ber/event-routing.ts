// Lean helpers for relaying without decoding: read and rewrite the monitorCrossRefID of an EventReport and
// the invoke ID of any ROSE APDU straight from the bytes. The multiplexer routes every event through these,
// so they do no asn1js work and allocate only when a rewrite changes a length.

const EVENT_REPORT = 21;

interface Hdr {
  tag: number; // first identifier byte (single-byte tags only: all ROSE/CSTA headers we read are)
  len: number;
  start: number; // offset of the identifier
  content: number; // offset of the first content byte
  end: number; // offset after the element
}

function header(b: Uint8Array, pos: number, limit: number): Hdr | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = b[pos];
  if ((tag & 0x1f) === 0x1f) return undefined;
  let p = pos + 1;
  let len = b[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || p + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[p++];
  }
  if (p + len > limit) return undefined;
  return { tag, len, start: pos, content: p, end: p + len };
}

function readInt(b: Uint8Array, h: Hdr): number | undefined {
  if (h.tag !== 0x02 || h.len < 1 || h.len > 4) return undefined;
  let v = b[h.content] & 0x80 ? -1 : 0;
  for (let i = h.content; i < h.end; i++) v = v * 256 + b[i];
  return v;
}

export interface RoseHeader {
  kind: 'invoke' | 'returnResult' | 'returnError' | 'reject';
  invokeId: number | null;
  /** Opcode of an invoke (or of a ReturnResult that carries one). */
  opcode?: number;
  /** Offsets of the invoke ID element inside the APDU. */
  invokeIdAt?: { start: number; end: number };
}

const KINDS = { 0xa1: 'invoke', 0xa2: 'returnResult', 0xa3: 'returnError', 0xa4: 'reject' } as const;

/** Reads kind, invoke ID and opcode of a ROSE APDU; undefined for ACSE or malformed bytes. */
export function peekRose(apdu: Uint8Array): RoseHeader | undefined {
  const outer = header(apdu, 0, apdu.length);
  if (!outer || outer.end !== apdu.length) return undefined;
  const kind = KINDS[outer.tag as keyof typeof KINDS];
  if (!kind) return undefined;
  const idh = header(apdu, outer.content, outer.end);
  if (!idh) return undefined;
  const invokeId = idh.tag === 0x05 && kind === 'reject' ? null : readInt(apdu, idh);
  if (invokeId === undefined) return undefined;
  const out: RoseHeader = { kind, invokeId, invokeIdAt: { start: idh.start, end: idh.end } };
  let next = header(apdu, idh.end, outer.end);
  if (kind === 'invoke') {
    if (next && next.tag === 0x80) next = header(apdu, next.end, outer.end); // linkedId
    const op = next && readInt(apdu, next);
    if (op === undefined || op === null) return undefined;
    out.opcode = op;
  } else if (kind === 'returnResult' && next && next.tag === 0x30) {
    const op = header(apdu, next.content, next.end);
    const v = op && readInt(apdu, op);
    if (v !== undefined && v !== null) out.opcode = v;
  }
  return out;
}

/** Position of the monitorCrossRefID content inside an EventReport APDU, or undefined for anything else. */
export function locateEventCrossRef(apdu: Uint8Array): { start: number; end: number } | undefined {
  const outer = header(apdu, 0, apdu.length);
  if (!outer || outer.tag !== 0xa1 || outer.end !== apdu.length) return undefined;
  const idh = header(apdu, outer.content, outer.end);
  if (!idh || idh.tag !== 0x02) return undefined;
  let op = header(apdu, idh.end, outer.end);
  if (op && op.tag === 0x80) op = header(apdu, op.end, outer.end);
  if (!op || readInt(apdu, op) !== EVENT_REPORT) return undefined;
  const arg = header(apdu, op.end, outer.end);
  if (!arg || arg.tag !== 0x30) return undefined;
  const x = header(apdu, arg.content, arg.end);
  if (!x || x.tag !== 0x55) return undefined;
  return { start: x.content, end: x.end };
}

/** The monitorCrossRefID of an EventReport APDU as hex, or undefined if the APDU is not one. */
export function eventCrossRefOf(apdu: Uint8Array): string | undefined {
  const at = locateEventCrossRef(apdu);
  if (!at) return undefined;
  let s = '';
  for (let i = at.start; i < at.end; i++) s += (apdu[i] < 16 ? '0' : '') + apdu[i].toString(16);
  return s;
}

function lenBytes(len: number): number[] {
  if (len < 128) return [len];
  if (len < 256) return [0x81, len];
  if (len < 65536) return [0x82, len >> 8, len & 0xff];
  return [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
}

/**
 * Replaces the monitorCrossRefID of an EventReport. Same length: done in place and the same array is returned.
 * Different length: a new array with the enclosing lengths adjusted. Returns undefined if not an EventReport.
 */
export function rewriteEventCrossRef(apdu: Uint8Array, newId: Uint8Array): Uint8Array | undefined {
  const at = locateEventCrossRef(apdu);
  if (!at) return undefined;
  if (at.end - at.start === newId.length) {
    apdu.set(newId, at.start);
    return apdu;
  }
  // rebuild: A1 { id, [linked], op, 30 { 55 xref, rest } }
  const outer = header(apdu, 0, apdu.length)!;
  let argStart = outer.content;
  let h = header(apdu, argStart, outer.end)!;
  while (h.tag !== 0x30) {
    argStart = h.end;
    h = header(apdu, argStart, outer.end)!;
  }
  const arg = h;
  const x = header(apdu, arg.content, arg.end)!;
  const rest = apdu.subarray(x.end, arg.end);
  const xref = [0x55, ...lenBytes(newId.length)];
  const argLen = xref.length + newId.length + rest.length;
  const argHdr = [0x30, ...lenBytes(argLen)];
  const prefix = apdu.subarray(outer.content, argStart);
  const outerLen = prefix.length + argHdr.length + argLen;
  const outHdr = [0xa1, ...lenBytes(outerLen)];
  const out = new Uint8Array(outHdr.length + outerLen);
  let p = 0;
  out.set(outHdr, p);
  p += outHdr.length;
  out.set(prefix, p);
  p += prefix.length;
  out.set(argHdr, p);
  p += argHdr.length;
  out.set(xref, p);
  p += xref.length;
  out.set(newId, p);
  p += newId.length;
  out.set(rest, p);
  return out;
}

function encodeIntContent(v: number): number[] {
  const out: number[] = [];
  let x = v;
  do {
    out.unshift(x & 0xff);
    x = Math.floor(x / 256);
  } while (x > 0);
  if (out[0] & 0x80) out.unshift(0);
  return out;
}

/** Returns the APDU with its invoke ID replaced (a new array; same bytes otherwise). Undefined if not ROSE. */
export function rewriteInvokeId(apdu: Uint8Array, newId: number): Uint8Array | undefined {
  const h = peekRose(apdu);
  if (!h || !h.invokeIdAt || !Number.isSafeInteger(newId) || newId < 0 || newId > 0x7fffffff) return undefined;
  const outer = header(apdu, 0, apdu.length)!;
  const idEl = [0x02, ...lenBytes(encodeIntContent(newId).length), ...encodeIntContent(newId)];
  const before = apdu.subarray(outer.content, h.invokeIdAt.start);
  const after = apdu.subarray(h.invokeIdAt.end, outer.end);
  const len = before.length + idEl.length + after.length;
  const hdr = [outer.tag, ...lenBytes(len)];
  const out = new Uint8Array(hdr.length + len);
  out.set(hdr, 0);
  out.set(before, hdr.length);
  out.set(idEl, hdr.length + before.length);
  out.set(after, hdr.length + before.length + idEl.length);
  return out;
}
