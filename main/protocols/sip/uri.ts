// RFC 3261 §19 and §25: SIP URIs, name-addr / addr-spec with parameters, Via, CSeq, and splitting a header
// value at the commas that separate values (not those inside quotes or <…>).
import { SipError } from './errors';

export type Params = Record<string, string | null>;

export interface SipUri {
  scheme: string;
  user?: string;
  password?: string;
  host: string;
  port?: number;
  params: Params;
  /** `?a=b&c=d`, kept as written (without the `?`). */
  headers?: string;
}

export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  /** Header parameters (`tag`, `expires`, …), not the URI's own. */
  params: Params;
}

export interface Via {
  protocol: string;
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

const bad = (what: string, value: string): SipError => new SipError('SIP_BAD_URI', `invalid ${what}: ${JSON.stringify(value.slice(0, 200))}`, { what, value: value.slice(0, 200) });

/** Splits `;a=b;c` into parameters; names lower-cased, a quoted value unquoted. */
export function parseParams(s: string): Params {
  const out: Params = {};
  for (const part of splitOutsideQuotes(s, ';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) out[p.toLowerCase()] = null;
    else out[p.slice(0, eq).trim().toLowerCase()] = unquote(p.slice(eq + 1).trim());
  }
  return out;
}

export function formatParams(params: Params): string {
  let s = '';
  for (const [k, v] of Object.entries(params)) s += v === null ? `;${k}` : `;${k}=${/[\s;,"]/.test(v) ? quote(v) : v}`;
  return s;
}

export function unquote(v: string): string {
  if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

export function quote(v: string): string {
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

/** Splits at `sep` outside double quotes and angle brackets. */
export function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let angle = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if (c === sep && angle === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function parseHostPort(hp: string, what: string, whole: string): { host: string; port?: number } {
  let host: string;
  let rest: string;
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end < 0) throw bad(what, whole);
    host = hp.slice(0, end + 1);
    rest = hp.slice(end + 1);
  } else {
    const colon = hp.indexOf(':');
    host = colon < 0 ? hp : hp.slice(0, colon);
    rest = colon < 0 ? '' : hp.slice(colon);
  }
  if (!host || /[\s<>"]/.test(host)) throw bad(what, whole);
  if (!rest) return { host };
  const port = Number(rest.slice(1));
  if (rest[0] !== ':' || !/^\d{1,5}$/.test(rest.slice(1)) || port > 65535) throw bad(what, whole);
  return { host, port };
}

/** `sip:user:pw@host:port;params?headers` (also sips:). Other schemes (tel:) keep everything after the colon as host. */
export function parseUri(s: string): SipUri {
  const t = s.trim();
  const colon = t.indexOf(':');
  if (colon <= 0 || !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(t.slice(0, colon))) throw bad('URI', s);
  const scheme = t.slice(0, colon).toLowerCase();
  let rest = t.slice(colon + 1);
  if (scheme !== 'sip' && scheme !== 'sips') {
    if (!rest || /[\s<>]/.test(rest)) throw bad('URI', s);
    const semi = rest.indexOf(';');
    return semi < 0 ? { scheme, host: rest, params: {} } : { scheme, host: rest.slice(0, semi), params: parseParams(rest.slice(semi + 1)) };
  }
  let headers: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    headers = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pc = userinfo.indexOf(':');
    user = pc < 0 ? userinfo : userinfo.slice(0, pc);
    if (pc >= 0) password = userinfo.slice(pc + 1);
    if (!user || /[\s<>"@]/.test(userinfo)) throw bad('URI', s);
  }
  const semi = rest.indexOf(';');
  const hp = semi < 0 ? rest : rest.slice(0, semi);
  const { host, port } = parseHostPort(hp, 'URI', s);
  const uri: SipUri = { scheme, host, params: semi < 0 ? {} : parseParams(rest.slice(semi + 1)) };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  if (headers !== undefined) uri.headers = headers;
  return uri;
}

export function formatUri(u: SipUri): string {
  if (u.scheme !== 'sip' && u.scheme !== 'sips') return `${u.scheme}:${u.host}${formatParams(u.params)}`;
  const userinfo = u.user === undefined ? '' : `${u.user}${u.password === undefined ? '' : `:${u.password}`}@`;
  return `${u.scheme}:${userinfo}${u.host}${u.port === undefined ? '' : `:${u.port}`}${formatParams(u.params)}${u.headers === undefined ? '' : `?${u.headers}`}`;
}

/**
 * name-addr (`"Name" <sip:…>;tag=x`) or addr-spec (`sip:…;tag=x`). Without angle brackets the parameters after
 * the URI belong to the header (RFC 3261 §20.10), so they are not the URI's.
 */
export function parseNameAddr(s: string): NameAddr {
  const t = s.trim();
  const lt = findUnquoted(t, '<');
  if (lt >= 0) {
    const gt = t.indexOf('>', lt);
    if (gt < 0) throw bad('address', s);
    const name = t.slice(0, lt).trim();
    const out: NameAddr = { uri: parseUri(t.slice(lt + 1, gt)), params: parseParams(t.slice(gt + 1).replace(/^\s*;?/, '')) };
    if (name) out.displayName = unquote(name);
    if (t.slice(gt + 1).trim() && !t.slice(gt + 1).trim().startsWith(';')) throw bad('address', s);
    return out;
  }
  if (t === '*') return { uri: { scheme: '*', host: '*', params: {} }, params: {} };
  const semi = t.indexOf(';');
  const uri = parseUri(semi < 0 ? t : t.slice(0, semi));
  return { uri, params: semi < 0 ? {} : parseParams(t.slice(semi + 1)) };
}

function findUnquoted(s: string, ch: string): number {
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    if (inQuote) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') inQuote = false;
    } else if (s[i] === '"') inQuote = true;
    else if (s[i] === ch) return i;
  }
  return -1;
}

export function formatNameAddr(a: NameAddr): string {
  if (a.uri.scheme === '*') return '*';
  const name = a.displayName ? `${quote(a.displayName)} ` : '';
  return `${name}<${formatUri(a.uri)}>${formatParams(a.params)}`;
}

/** One Via value: `SIP/2.0/TCP host:port;branch=…`. */
export function parseVia(s: string): Via {
  const t = s.trim();
  const m = /^([A-Za-z0-9.!%*_+`'~-]+)\s*\/\s*([0-9.]+)\s*\/\s*([A-Za-z0-9.!%*_+`'~-]+)\s+([^;]+)(.*)$/.exec(t);
  if (!m) throw bad('Via', s);
  const { host, port } = parseHostPort(m[4].trim(), 'Via', s);
  const via: Via = { protocol: `${m[1].toUpperCase()}/${m[2]}`, transport: m[3].toUpperCase(), host, params: parseParams(m[5]) };
  if (port !== undefined) via.port = port;
  return via;
}

export function formatVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}${formatParams(v.params)}`;
}

export function parseCSeq(s: string): CSeq {
  const m = /^\s*(\d{1,10})\s+([A-Za-z0-9.!%*_+`'~-]+)\s*$/.exec(s);
  // RFC 3261 §8.1.1.5: the sequence number is below 2^31
  if (!m || Number(m[1]) >= 2 ** 31) throw bad('CSeq', s);
  return { seq: Number(m[1]), method: m[2] };
}

const MAC = /^(?:[0-9a-f]{2}[:.-]?){5}[0-9a-f]{2}$|^(?:[0-9a-f]{4}\.){2}[0-9a-f]{4}$/i;

/** A MAC address in any usual spelling becomes 12 lower-case hex digits; anything else is returned as is. */
export function normaliseMacUser(user: string): string {
  return MAC.test(user) ? user.replace(/[:.-]/g, '').toLowerCase() : user;
}
