import { coded, type Coded } from '../../shared/problems';

/**
 * A log for problems peers cause: a bad request is a warning, a handler that threw is an error. Entries are coded
 * (`logApp.*`), so the console words them in the admin's language.
 */
export interface PeerLog {
  warn(message: string | Coded): void;
  error(message: string | Coded): void;
}

/** A log that takes English text only (a simulator's terminal): a coded entry gives it its English sentence. */
export function plainText(log: { warn(message: string): void; error(message: string): void }): PeerLog {
  const say = (m: string | Coded) => (typeof m === 'string' ? m : m.message);
  return { warn: (m) => log.warn(say(m)), error: (m) => log.error(say(m)) };
}

export interface RateLimitOptions {
  /** Lines written per window before the rest are only counted. */
  burst?: number;
  windowMs?: number;
}

/**
 * Caps the lines a flood of bad peers can write (the log is on the admin's disk): `burst` per window, then
 * one line saying how many were left out. Both levels share the budget.
 */
export function rateLimited(log: PeerLog, opts: RateLimitOptions = {}): PeerLog {
  const burst = opts.burst ?? 20;
  const windowMs = opts.windowMs ?? 10_000;
  let windowStart = 0;
  let written = 0;
  let suppressed = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (suppressed === 0) return;
    log.warn(coded('logApp.suppressed', { count: suppressed, burst, seconds: windowMs / 1000 }));
    suppressed = 0;
  };
  const pass = (): boolean => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      written = 0;
    }
    if (written < burst) {
      written++;
      return true;
    }
    suppressed++;
    if (!timer) {
      timer = setTimeout(flush, windowStart + windowMs - now);
      timer.unref?.();
    }
    return false;
  };
  return {
    warn: (m) => pass() && log.warn(m),
    error: (m) => pass() && log.error(m),
  };
}

/** Control characters, quotes and backslashes escaped, cut to `max` characters: peer text in a log line. */
export function forLog(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // JSON escapes C0 controls, quotes and lone surrogates; C1 controls and the Unicode line breaks it leaves.
  return JSON.stringify(cut).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
