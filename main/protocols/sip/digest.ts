// HTTP digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760): MD5 and SHA-256 with qop=auth, as
// client (answering a 401/407) and as server (challenges with nonces that carry their own time and HMAC, so a
// nonce needs no state to be checked; an expired one with a correct answer gets stale=true).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { quote, splitOutsideQuotes, unquote } from './uri';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop?: string[];
  opaque?: string;
  stale?: boolean;
}

const HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };
const h = (alg: DigestAlgorithm, s: string) => createHash(HASH[alg]).update(s, 'utf8').digest('hex');

/** The auth-params of a `Digest …` header value (names lower-cased), or undefined for another scheme. */
export function parseDigestParams(value: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+/i.exec(value);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const part of splitOutsideQuotes(value.slice(m[0].length), ',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    out[part.slice(0, eq).trim().toLowerCase()] = unquote(part.slice(eq + 1).trim());
  }
  return out;
}

export function parseChallenge(value: string): DigestChallenge | undefined {
  const p = parseDigestParams(value);
  if (!p || p.realm === undefined || !p.nonce) return undefined;
  const alg = (p.algorithm ?? 'MD5').toUpperCase();
  if (alg !== 'MD5' && alg !== 'SHA-256') return undefined;
  const c: DigestChallenge = { realm: p.realm, nonce: p.nonce, algorithm: alg };
  if (p.qop) c.qop = p.qop.split(',').map((q) => q.trim());
  if (p.opaque !== undefined) c.opaque = p.opaque;
  if (p.stale) c.stale = p.stale.toLowerCase() === 'true';
  return c;
}

export function formatChallenge(c: DigestChallenge): string {
  let s = `Digest realm=${quote(c.realm)}, nonce=${quote(c.nonce)}, algorithm=${c.algorithm}`;
  if (c.qop) s += `, qop=${quote(c.qop.join(','))}`;
  if (c.opaque !== undefined) s += `, opaque=${quote(c.opaque)}`;
  if (c.stale) s += ', stale=true';
  return s;
}

function response(alg: DigestAlgorithm, a: { user: string; realm: string; password: string; method: string; uri: string; nonce: string; qop?: string; nc?: string; cnonce?: string }): string {
  const ha1 = h(alg, `${a.user}:${a.realm}:${a.password}`);
  const ha2 = h(alg, `${a.method}:${a.uri}`);
  return a.qop ? h(alg, `${ha1}:${a.nonce}:${a.nc}:${a.cnonce}:${a.qop}:${ha2}`) : h(alg, `${ha1}:${a.nonce}:${ha2}`);
}

/** The Authorization (or Proxy-Authorization) value answering `c` for a request. */
export function authorize(c: DigestChallenge, a: { user: string; password: string; method: string; uri: string; nc?: number; cnonce?: string }): string {
  const qop = c.qop?.includes('auth') ? 'auth' : undefined;
  const nc = (a.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = a.cnonce ?? randomBytes(8).toString('hex');
  const r = response(c.algorithm, { user: a.user, realm: c.realm, password: a.password, method: a.method, uri: a.uri, nonce: c.nonce, qop, nc, cnonce });
  let s = `Digest username=${quote(a.user)}, realm=${quote(c.realm)}, nonce=${quote(c.nonce)}, uri=${quote(a.uri)}, response=${quote(r)}, algorithm=${c.algorithm}`;
  if (qop) s += `, qop=${qop}, nc=${nc}, cnonce=${quote(cnonce)}`;
  if (c.opaque !== undefined) s += `, opaque=${quote(c.opaque)}`;
  return s;
}

/** What the algorithms are offered in: the strongest first (RFC 8760 §2.4: one challenge per algorithm). */
export const DEFAULT_ALGORITHMS: DigestAlgorithm[] = ['SHA-256', 'MD5'];

export interface DigestServerOptions {
  realm: string;
  algorithms?: DigestAlgorithm[];
  /** How long a nonce is good for (default 5 minutes). */
  nonceTtlMs?: number;
  /** Key for the nonces' HMAC (random per process when absent). */
  secret?: Buffer;
  now?: () => number;
}

export type DigestCheck =
  | { ok: true; user: string }
  /** `challenges`: header values to send with a 401/407; `reason` says what was wrong (for the log). */
  | { ok: false; reason: 'missing' | 'unknown-user' | 'wrong-response' | 'bad-nonce' | 'stale' | 'malformed'; user?: string; challenges: string[] };

export class DigestServer {
  readonly realm: string;
  private readonly algorithms: DigestAlgorithm[];
  private readonly ttl: number;
  private readonly secret: Buffer;
  private readonly now: () => number;

  constructor(o: DigestServerOptions) {
    this.realm = o.realm;
    this.algorithms = o.algorithms ?? DEFAULT_ALGORITHMS;
    this.ttl = o.nonceTtlMs ?? 300_000;
    this.secret = o.secret ?? randomBytes(32);
    this.now = o.now ?? Date.now;
  }

  challenges(stale = false): string[] {
    const nonce = this.nonce();
    return this.algorithms.map((algorithm) => formatChallenge({ realm: this.realm, nonce, algorithm, qop: ['auth'], stale }));
  }

  /**
   * Checks the credentials in `authorization` (the request's Authorization header values) for `method`.
   * `password(user)` gives the user's password, or undefined for an unknown user.
   */
  check(authorization: string[], method: string, password: (user: string) => string | undefined): DigestCheck {
    const fail = (reason: Exclude<DigestCheck, { ok: true }>['reason'], user?: string, stale = false): DigestCheck => ({ ok: false, reason, user, challenges: this.challenges(stale) });
    const mine = authorization.map(parseDigestParams).find((p) => p && p.realm === this.realm);
    if (!mine) return fail('missing');
    const alg = (mine.algorithm ?? 'MD5').toUpperCase() as DigestAlgorithm;
    const { username: user, nonce, uri, response: got } = mine;
    if (!user || !nonce || !uri || !got || !this.algorithms.includes(alg) || (mine.qop && (mine.qop !== 'auth' || !mine.nc || !mine.cnonce))) return fail('malformed', user);
    const age = this.nonceAge(nonce);
    if (age === undefined) return fail('bad-nonce', user);
    const pw = password(user);
    if (pw === undefined) return fail('unknown-user', user);
    const want = response(alg, { user, realm: this.realm, password: pw, method, uri, nonce, qop: mine.qop, nc: mine.nc, cnonce: mine.cnonce });
    if (want.length !== got.length || !timingSafeEqual(Buffer.from(want), Buffer.from(got))) return fail('wrong-response', user);
    // the right password with an old nonce: the client should retry with a fresh nonce, without asking the user
    if (age > this.ttl) return fail('stale', user, true);
    return { ok: true, user };
  }

  private nonce(): string {
    const t = this.now().toString(16);
    const salt = randomBytes(6).toString('hex');
    return `${t}.${salt}.${this.mac(`${t}.${salt}`)}`;
  }

  private mac(s: string): string {
    return createHmac('sha256', this.secret).update(s).digest('hex').slice(0, 32);
  }

  /** Milliseconds since the nonce was issued, or undefined when it is not ours. */
  private nonceAge(nonce: string): number | undefined {
    const parts = nonce.split('.');
    if (parts.length !== 3 || !/^[0-9a-f]{1,12}$/.test(parts[0])) return undefined;
    const expect = this.mac(`${parts[0]}.${parts[1]}`);
    if (expect.length !== parts[2].length || !timingSafeEqual(Buffer.from(expect), Buffer.from(parts[2]))) return undefined;
    return this.now() - parseInt(parts[0], 16);
  }
}
