// Login protection for the multiplexer: secrets compared in constant time, a growing wait per source address
// after each failed login, a lockout after repeated failures, and user names made safe for log lines.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Equal strings, compared in constant time: both sides are hashed first, so neither the length nor the first
 * differing byte of the secret shows in the time taken.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Text a peer chose (a user name) made safe for one log line: control characters (C0, DEL, C1), line and
 * paragraph separators and bidirectional overrides become \xNN / \uNNNN, and a backslash is doubled, so a name
 * can neither start a fake log line nor repaint a terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\\\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\') return '\\\\';
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

export interface LoginGuardOptions {
  /** Wait after the first failed login from an address; doubles with each further failure (default 500 ms). */
  backoffMs?: number;
  /** Failed logins from one address that lock it out (default 10). */
  lockoutFailures?: number;
  /** How long a lockout lasts; also how long failures are remembered (default 15 min). */
  lockoutMs?: number;
  /** Addresses remembered at most; the oldest is forgotten first (default 10,000). */
  maxAddresses?: number;
}

export const DEFAULT_LOGIN_BACKOFF_MS = 500;
export const DEFAULT_LOGIN_LOCKOUT_FAILURES = 10;
export const DEFAULT_LOGIN_LOCKOUT_MS = 15 * 60_000;

interface Record {
  failures: number;
  /** No login from the address is checked before this time. */
  blockedUntil: number;
  lastFailure: number;
}

export type LoginGate = { open: true } | { open: false; until: number; lockedOut: boolean };

/** Failed logins per source address. */
export class LoginGuard {
  private readonly byAddress = new Map<string, Record>();
  private readonly backoffMs: number;
  private readonly lockoutFailures: number;
  private readonly lockoutMs: number;
  private readonly maxAddresses: number;

  constructor(opts: LoginGuardOptions = {}) {
    this.backoffMs = opts.backoffMs ?? DEFAULT_LOGIN_BACKOFF_MS;
    this.lockoutFailures = opts.lockoutFailures ?? DEFAULT_LOGIN_LOCKOUT_FAILURES;
    this.lockoutMs = opts.lockoutMs ?? DEFAULT_LOGIN_LOCKOUT_MS;
    this.maxAddresses = opts.maxAddresses ?? 10_000;
  }

  /** Whether a login from `address` may be checked now. */
  gate(address: string, now = Date.now()): LoginGate {
    const r = this.current(address, now);
    if (!r || now >= r.blockedUntil) return { open: true };
    return { open: false, until: r.blockedUntil, lockedOut: r.failures >= this.lockoutFailures };
  }

  /** Counts a failed login; `lockedOut` is true for the failure that starts a lockout. */
  failed(address: string, now = Date.now()): { failures: number; lockedOut: boolean; until: number } {
    const r = this.current(address, now) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    r.failures++;
    r.lastFailure = now;
    const lockedOut = r.failures >= this.lockoutFailures;
    r.blockedUntil = now + (lockedOut ? this.lockoutMs : Math.min(this.lockoutMs, this.backoffMs * 2 ** (r.failures - 1)));
    // re-inserted so the map stays ordered by last failure: the first key is the one to forget
    this.byAddress.delete(address);
    this.byAddress.set(address, r);
    if (this.byAddress.size > this.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value!);
    return { failures: r.failures, lockedOut: lockedOut && r.failures === this.lockoutFailures, until: r.blockedUntil };
  }

  succeeded(address: string): void {
    this.byAddress.delete(address);
  }

  private current(address: string, now: number): Record | undefined {
    const r = this.byAddress.get(address);
    if (r && now - r.lastFailure > this.lockoutMs && now >= r.blockedUntil) {
      this.byAddress.delete(address);
      return undefined;
    }
    return r;
  }
}
