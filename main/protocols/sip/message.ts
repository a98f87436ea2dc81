// SIP messages (RFC 3261 §7): the types, header access by canonical name (compact forms expanded), values split
// at commas for multi-value headers, and the writer. Bodies are bytes; Content-Length is always their byte count.
import { parseCSeq, parseNameAddr, parseVia, splitOutsideQuotes, type CSeq, type NameAddr, type Via } from './uri';

export interface SipHeader {
  /** Canonical spelling (`Call-ID`, `Via` …); unknown names as received. */
  name: string;
  value: string;
}

interface SipMessageBase {
  headers: SipHeader[];
  body: Uint8Array;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §7.3.3 and the IANA registry's compact forms. */
const COMPACT: Record<string, string> = {
  i: 'Call-ID', m: 'Contact', v: 'Via', f: 'From', t: 'To', l: 'Content-Length', c: 'Content-Type', k: 'Supported',
  s: 'Subject', e: 'Content-Encoding', o: 'Event', r: 'Refer-To', x: 'Session-Expires', u: 'Allow-Events',
  b: 'Referred-By', a: 'Accept-Contact', j: 'Reject-Contact', d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info',
};

const KNOWN = [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Authentication-Info', 'Authorization', 'Call-ID',
  'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type',
  'CSeq', 'Date', 'Error-Info', 'Expires', 'From', 'In-Reply-To', 'Max-Forwards', 'Min-Expires', 'MIME-Version',
  'Organization', 'Priority', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'Record-Route', 'Reply-To',
  'Require', 'Retry-After', 'Route', 'Server', 'Subject', 'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent',
  'Via', 'Warning', 'WWW-Authenticate', 'Event', 'Allow-Events', 'Subscription-State', 'Session-Expires', 'Path',
  'Refer-To', 'Referred-By', 'Flow-Timer', 'Identity', 'Identity-Info', 'Accept-Contact', 'Reject-Contact', 'Request-Disposition',
];
const CANONICAL = new Map<string, string>(KNOWN.map((n) => [n.toLowerCase(), n]));
for (const [k, v] of Object.entries(COMPACT)) CANONICAL.set(k, v);
// names as usually written are found without lower-casing them first
for (const n of KNOWN) CANONICAL.set(n, n);
CANONICAL.set('Call-Id', 'Call-ID').set('Cseq', 'CSeq').set('Www-Authenticate', 'WWW-Authenticate');

export function canonicalHeaderName(name: string): string {
  return CANONICAL.get(name) ?? CANONICAL.get(name.toLowerCase()) ?? name;
}

/**
 * Headers whose values may be joined by commas on one line (RFC 3261 §7.3.1). Others (the auth headers, dates,
 * Call-ID …) contain commas of their own and are never split.
 */
const MULTI = new Set(['Via', 'Contact', 'Route', 'Record-Route', 'Path', 'Allow', 'Supported', 'Require', 'Proxy-Require', 'Unsupported', 'Accept', 'Allow-Events']);

/** The first value of a header (the first line; for multi-value headers the first comma-separated value). */
export function header(msg: SipMessage, name: string): string | undefined {
  const n = canonicalHeaderName(name);
  for (const h of msg.headers) if (h.name === n) return MULTI.has(n) ? splitOutsideQuotes(h.value, ',')[0].trim() : h.value;
  return undefined;
}

/** Every value of a header across all its lines, in order, comma-separated values split for multi-value headers. */
export function headerValues(msg: SipMessage, name: string): string[] {
  const n = canonicalHeaderName(name);
  const out: string[] = [];
  for (const h of msg.headers) {
    if (h.name !== n) continue;
    if (MULTI.has(n)) for (const v of splitOutsideQuotes(h.value, ',')) { if (v.trim()) out.push(v.trim()); }
    else out.push(h.value);
  }
  return out;
}

export function setHeader(msg: SipMessage, name: string, value: string): void {
  const n = canonicalHeaderName(name);
  const i = msg.headers.findIndex((h) => h.name === n);
  removeHeader(msg, n);
  msg.headers.splice(i < 0 ? msg.headers.length : i, 0, { name: n, value });
}

export function removeHeader(msg: SipMessage, name: string): void {
  const n = canonicalHeaderName(name);
  msg.headers = msg.headers.filter((h) => h.name !== n);
}

/** Puts a header line in front of the others of its name (a proxy's Via, Record-Route). */
export function prependHeader(msg: SipMessage, name: string, value: string): void {
  const n = canonicalHeaderName(name);
  const i = msg.headers.findIndex((h) => h.name === n);
  msg.headers.splice(i < 0 ? 0 : i, 0, { name: n, value });
}

export const vias = (m: SipMessage): Via[] => headerValues(m, 'Via').map(parseVia);
export const topVia = (m: SipMessage): Via => parseVia(header(m, 'Via') ?? '');
export const fromOf = (m: SipMessage): NameAddr => parseNameAddr(header(m, 'From') ?? '');
export const toOf = (m: SipMessage): NameAddr => parseNameAddr(header(m, 'To') ?? '');
export const cseqOf = (m: SipMessage): CSeq => parseCSeq(header(m, 'CSeq') ?? '');
export const callIdOf = (m: SipMessage): string => header(m, 'Call-ID') ?? '';

export function bodyText(m: SipMessage): string {
  return Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength).toString('utf8');
}

/** Writes the message; Content-Length is replaced by the body's byte count (stream transports need it). */
export function serializeMessage(m: SipMessage): Buffer {
  const start = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  let head = start + '\r\n';
  for (const h of m.headers) if (h.name !== 'Content-Length') head += `${h.name}: ${h.value}\r\n`;
  head += `Content-Length: ${m.body.byteLength}\r\n\r\n`;
  const hb = Buffer.from(head, 'utf8');
  return m.body.byteLength ? Buffer.concat([hb, m.body]) : hb;
}

export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 200: 'OK', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 413: 'Request Entity Too Large',
  415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension', 423: 'Interval Too Brief', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 500: 'Server Internal Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Server Time-out',
  513: 'Message Too Large', 603: 'Decline',
};

export interface ResponseOptions {
  reason?: string;
  headers?: SipHeader[];
  body?: Uint8Array | string;
  /** Added to To when the request's To has no tag (RFC 3261 §8.2.6.2). */
  toTag?: string;
}

export function toBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** A response to `req` with Via, From, To, Call-ID and CSeq copied from it (RFC 3261 §8.2.6). */
export function createResponse(req: SipRequest, status: number, opts: ResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = [];
  for (const h of req.headers) {
    if (h.name === 'To' && opts.toTag && status > 100 && !/;\s*tag=/i.test(h.value)) headers.push({ name: 'To', value: `${h.value};tag=${opts.toTag}` });
    else if (h.name === 'Via' || h.name === 'From' || h.name === 'To' || h.name === 'Call-ID' || h.name === 'CSeq') headers.push({ ...h });
    else if (h.name === 'Record-Route' && status > 100 && status < 300) headers.push({ ...h });
  }
  if (opts.headers) headers.push(...opts.headers);
  return { kind: 'response', status, reason: opts.reason ?? REASONS[status] ?? 'Unknown', headers, body: toBytes(opts.body) };
}
