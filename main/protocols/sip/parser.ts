// A stream parser for SIP over TCP/TLS (RFC 3261 §18.3): any chunking in, whole messages out, framed by
// Content-Length; CRLF keep-alives (RFC 5626 §4.4.1) reported apart. Memory stays bounded: a header block longer
// than maxHeaderBytes ends the stream, a body longer than maxBodyBytes is skipped unread and reported.
import { SipError } from './errors';
import { canonicalHeaderName, type SipHeader, type SipMessage, type SipRequest } from './message';
import { parseCSeq, parseNameAddr, parseUri, parseVia, splitOutsideQuotes } from './uri';

export interface ParserOptions {
  /** Start line plus headers, default 64 KiB. */
  maxHeaderBytes?: number;
  /** Default 1 MiB (CSTA device lists can be long). */
  maxBodyBytes?: number;
  /**
   * 'client' for a connection we opened: a lone CRLF is the pong to our ping and is reported at once. 'server'
   * for one we accepted: CRLFCRLF is a ping to answer.
   */
  role?: 'client' | 'server';
}

export type ParsedItem =
  | { type: 'message'; message: SipMessage }
  | { type: 'ping' }
  | { type: 'pong' }
  /**
   * A message that cannot be used. `request` is set when a response can be routed back (start line and Via
   * readable); `fatal` when the stream can no longer be framed and the connection must close.
   */
  | { type: 'invalid'; error: SipError; request?: SipRequest; status: number; fatal: boolean };

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** A body up to this many times the limit is skipped (the connection survives); a larger one ends the stream. */
const MAX_SKIP_FACTOR = 16;
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const STRAY = /\r(?!\n)|(?<!\r)\n|\0/;
const EMPTY = new Uint8Array(0);
const NO_BYTES = Buffer.alloc(0);

interface Head {
  startLine: string;
  headers: SipHeader[];
  contentLength: number;
  problem?: SipError;
}

export class SipStreamParser {
  private buf: Buffer = NO_BYTES;
  private pos = 0;
  private scanFrom = 0;
  private head: Head | undefined;
  private skip = 0;
  private dead = false;
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
  private readonly role: 'client' | 'server';

  constructor(opts: ParserOptions = {}) {
    this.maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.role = opts.role ?? 'server';
  }

  /** True between messages: nothing held, no body being read or skipped. */
  get idle(): boolean {
    return this.pos >= this.buf.length && !this.head && this.skip === 0;
  }

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** Feeds one chunk; returns what it completed. After a fatal item the parser ignores further input. */
  push(chunk: Uint8Array): ParsedItem[] {
    const out: ParsedItem[] = [];
    if (this.dead) return out;
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skip > 0) {
      const n = Math.min(this.skip, data.length);
      this.skip -= n;
      data = data.subarray(n);
    }
    if (this.pos >= this.buf.length) {
      this.buf = data;
      this.pos = 0;
      this.scanFrom = 0;
    } else if (data.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), data]);
      this.scanFrom -= this.pos;
      this.pos = 0;
    }
    while (!this.dead && this.step(out));
    if (this.pos >= this.buf.length) {
      this.buf = NO_BYTES;
      this.pos = 0;
      this.scanFrom = 0;
    }
    return out;
  }

  /** One item if the buffer holds it; false when more bytes are needed. */
  private step(out: ParsedItem[]): boolean {
    const b = this.buf;
    if (!this.head) {
      if (this.pos >= b.length) return false;
      if (b[this.pos] === 13 || b[this.pos] === 10) return this.keepAlive(out);
      if (this.scanFrom < this.pos) this.scanFrom = this.pos;
      const end = b.indexOf(CRLFCRLF, this.scanFrom);
      if (end < 0) {
        this.scanFrom = Math.max(this.pos, b.length - 3);
        if (b.length - this.pos > this.maxHeaderBytes) return this.fatal(out, tooLarge('header', b.length - this.pos, this.maxHeaderBytes));
        return false;
      }
      if (end - this.pos > this.maxHeaderBytes) return this.fatal(out, tooLarge('header', end - this.pos, this.maxHeaderBytes));
      const head = parseHead(b.toString('utf8', this.pos, end));
      if (head instanceof SipError) return this.fatal(out, head);
      this.pos = end + 4;
      if (head.contentLength > MAX_SKIP_FACTOR * this.maxBodyBytes) return this.fatal(out, tooLarge('body', head.contentLength, this.maxBodyBytes), requestFor(head));
      if (head.contentLength > this.maxBodyBytes) {
        // the body is skipped as it arrives, so the connection survives without holding it
        const available = Math.min(b.length - this.pos, head.contentLength);
        this.pos += available;
        this.skip = head.contentLength - available;
        const err = tooLarge('body', head.contentLength, this.maxBodyBytes);
        out.push({ type: 'invalid', error: err, request: requestFor(head), status: 513, fatal: false });
        return true;
      }
      this.head = head;
    }
    const head = this.head;
    if (b.length - this.pos < head.contentLength) return false;
    // a copy: the message must not keep the whole read buffer alive
    const body = head.contentLength ? new Uint8Array(b.buffer.slice(b.byteOffset + this.pos, b.byteOffset + this.pos + head.contentLength)) : EMPTY;
    this.pos += head.contentLength;
    this.head = undefined;
    const msg = buildMessage(head, body);
    if (msg instanceof SipError) out.push({ type: 'invalid', error: msg, request: requestFor(head, body), status: 400, fatal: false });
    else out.push({ type: 'message', message: msg });
    return true;
  }

  private keepAlive(out: ParsedItem[]): boolean {
    const b = this.buf;
    const avail = b.length - this.pos;
    const isCrlf = (i: number) => b[i] === 13 && b[i + 1] === 10;
    if (b[this.pos] === 10) {
      // a bare LF between messages: tolerated, like the CRLFs RFC 3261 §7.5 says to ignore
      this.pos += 1;
      return true;
    }
    if (avail < 2) return false;
    if (!isCrlf(this.pos)) return this.fatal(out, new SipError('SIP_BAD_START_LINE', 'a stray CR between messages', {}));
    if (this.role === 'client') {
      this.pos += 2;
      out.push({ type: 'pong' });
      return true;
    }
    if (avail < 4) return avail === 3 && b[this.pos + 2] !== 13 ? this.single(out) : false;
    if (isCrlf(this.pos + 2)) {
      this.pos += 4;
      out.push({ type: 'ping' });
      return true;
    }
    return this.single(out);
  }

  private single(out: ParsedItem[]): boolean {
    this.pos += 2;
    out.push({ type: 'pong' });
    return true;
  }

  private fatal(out: ParsedItem[], error: SipError, request?: SipRequest): boolean {
    this.dead = true;
    this.buf = NO_BYTES;
    this.pos = 0;
    out.push({ type: 'invalid', error, request, status: error.code === 'SIP_MESSAGE_TOO_LARGE' ? 513 : 400, fatal: true });
    return false;
  }
}

function tooLarge(part: 'header' | 'body', size: number, limit: number): SipError {
  return new SipError('SIP_MESSAGE_TOO_LARGE', `SIP message ${part} of ${size} bytes exceeds the limit of ${limit} bytes`, { part, size, limit });
}

/** Start line and headers (folded lines joined); an error only when the stream cannot be framed. */
function parseHead(text: string): Head | SipError {
  const lines = text.split('\r\n');
  const startLine = lines[0];
  if (!/^(?:[A-Za-z0-9.!%*_+`'~-]+ \S+ SIP\/\d+\.\d+|SIP\/\d+\.\d+ \d{3} [^\r\n]*|SIP\/\d+\.\d+ \d{3})$/.test(startLine)) {
    return new SipError('SIP_BAD_START_LINE', `not a SIP start line: ${JSON.stringify(startLine.slice(0, 80))}`, { line: startLine.slice(0, 80) });
  }
  const headers: SipHeader[] = [];
  let problem: SipError | undefined;
  // one scan of the whole head for a bare CR or LF or a NUL; only then is each line looked at for them
  const stray = STRAY.test(text);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      // folding (RFC 3261 §7.3.1): the continuation joins the previous value with one space
      const more = line.trim();
      const last = headers[headers.length - 1];
      if (!last || (stray && /[\r\n\0]/.test(line))) problem ??= badHeader('(continuation)', line);
      else if (more) last.value = last.value ? `${last.value} ${more}` : more;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trimEnd();
    // a bare CR, LF or NUL inside a line would be copied into our answers and break them
    if (!name || !TOKEN.test(name) || (stray && /[\r\n\0]/.test(line))) {
      problem ??= badHeader(name || '(none)', line);
      continue;
    }
    headers.push({ name: canonicalHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  let contentLength = -1;
  for (const h of headers) {
    if (h.name !== 'Content-Length') continue;
    const n = /^\d{1,10}$/.test(h.value) ? Number(h.value) : NaN;
    if (Number.isNaN(n) || (contentLength >= 0 && n !== contentLength)) {
      return new SipError('SIP_BAD_CONTENT_LENGTH', `Content-Length ${JSON.stringify(h.value.slice(0, 40))} cannot frame the message`, { value: h.value.slice(0, 40) });
    }
    contentLength = n;
  }
  // RFC 3261 §18.3 makes Content-Length mandatory on streams; without it the message is taken to have no body
  return { startLine, headers, contentLength: Math.max(0, contentLength), problem };
}

const badHeader = (name: string, line: string) =>
  new SipError('SIP_BAD_HEADER', `malformed header line ${JSON.stringify(line.slice(0, 80))}`, { header: name, value: line.slice(0, 80) });

const missing = (name: string) => new SipError('SIP_MISSING_HEADER', `the ${name} header is missing`, { header: name });

function first(headers: SipHeader[], name: string): string | undefined {
  for (const h of headers) if (h.name === name) return h.value;
  return undefined;
}

/**
 * The request as far as it can be read, when a well-formed response can be built from it: the headers a response
 * copies (Via, From, To, Call-ID, CSeq) are all readable. Otherwise no answer is possible (RFC 3261 §8.2.6).
 */
function requestFor(head: Head, body: Uint8Array = EMPTY): SipRequest | undefined {
  const m = /^(\S+) (\S+) SIP\/\d+\.\d+$/.exec(head.startLine);
  if (!m || m[1] === 'ACK') return undefined;
  const unreadable = checkAll(head, 'Via', parseVias) ?? check(head, 'From', parseNameAddr) ?? check(head, 'To', parseNameAddr) ?? check(head, 'Call-ID', checkCallId) ?? check(head, 'CSeq', parseCSeq);
  if (unreadable) return undefined;
  return { kind: 'request', method: m[1], uri: m[2], headers: head.headers, body };
}

function parseVias(v: string): void {
  splitOutsideQuotes(v, ',').forEach(parseVia);
}

function checkCallId(v: string): void {
  if (!v || /\s/.test(v)) throw new Error('Call-ID');
}

/** Every line of a header must read (all Via values: a response carries them all back). */
function checkAll(head: Head, name: string, parse: (v: string) => unknown): SipError | undefined {
  if (!head.headers.some((h) => h.name === name)) return missing(name);
  for (const h of head.headers) {
    if (h.name !== name) continue;
    try {
      parse(h.value);
    } catch {
      return new SipError('SIP_BAD_HEADER', `the ${name} header is malformed: ${JSON.stringify(h.value.slice(0, 80))}`, { header: name, value: h.value.slice(0, 80) });
    }
  }
  return undefined;
}

function check(head: Head, name: string, parse: (v: string) => unknown): SipError | undefined {
  const v = first(head.headers, name);
  if (v === undefined) return missing(name);
  try {
    parse(v);
  } catch {
    return new SipError('SIP_BAD_HEADER', `the ${name} header is malformed: ${JSON.stringify(v.slice(0, 80))}`, { header: name, value: v.slice(0, 80) });
  }
  return undefined;
}

/** The message, or why it cannot be used (RFC 3261 §8.1.1: Via, From, To, Call-ID, CSeq are required). */
function buildMessage(head: Head, body: Uint8Array): SipMessage | SipError {
  if (head.problem) return head.problem;
  const sl = head.startLine;
  let msg: SipMessage;
  if (sl.startsWith('SIP/')) {
    if (!sl.startsWith('SIP/2.0 ')) return new SipError('SIP_BAD_VERSION', `unsupported SIP version in ${JSON.stringify(sl.slice(0, 40))}`, { line: sl.slice(0, 40) });
    const status = Number(sl.slice(8, 11));
    if (status < 100) return new SipError('SIP_BAD_START_LINE', `status ${status} is not a SIP status`, { line: sl.slice(0, 40) });
    msg = { kind: 'response', status, reason: sl.slice(12), headers: head.headers, body };
  } else {
    const sp1 = sl.indexOf(' ');
    const sp2 = sl.lastIndexOf(' ');
    if (!sl.endsWith(' SIP/2.0')) return new SipError('SIP_BAD_VERSION', `unsupported SIP version in ${JSON.stringify(sl.slice(0, 80))}`, { line: sl.slice(0, 80) });
    const uri = sl.slice(sp1 + 1, sp2);
    try {
      parseUri(uri);
    } catch (e) {
      return e as SipError;
    }
    msg = { kind: 'request', method: sl.slice(0, sp1), uri, headers: head.headers, body };
  }
  const err =
    checkAll(head, 'Via', parseVias) ??
    check(head, 'From', parseNameAddr) ??
    check(head, 'To', parseNameAddr) ??
    check(head, 'Call-ID', checkCallId) ??
    check(head, 'CSeq', (v) => {
      const c = parseCSeq(v);
      if (msg.kind === 'request' && c.method !== msg.method && !(msg.method === 'ACK' && c.method === 'ACK')) throw new Error('method');
    });
  return err ?? msg;
}
