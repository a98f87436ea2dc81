import { afterEach, describe, expect, it, vi } from 'vitest';
import { forLog, plainText, rateLimited } from './rate-limit';

afterEach(() => vi.useRealTimers());

describe('rate-limited peer log', () => {
  it('writes a burst, counts the rest, and says how many were left out when the window ends', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = rateLimited(plainText({ warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) }), { burst: 3, windowMs: 1000 });
    for (let i = 0; i < 10; i++) (i % 2 ? log.error : log.warn)(`bad ${i}`);
    expect(lines).toEqual(['warn bad 0', 'error bad 1', 'warn bad 2']);
    vi.advanceTimersByTime(1000);
    expect(lines[3]).toBe('warn 7 more such problems were not logged (at most 3 every 1 s)');
    log.error('after the window');
    expect(lines[4]).toBe('error after the window');
  });

  it('says how many were left out as a coded entry with the count, so the console can word it', () => {
    vi.useFakeTimers();
    const entries: unknown[] = [];
    const log = rateLimited({ warn: (m) => entries.push(m), error: (m) => entries.push(m) }, { burst: 1, windowMs: 2000 });
    log.warn('first');
    log.warn('second');
    vi.advanceTimersByTime(2000);
    expect(entries[1]).toEqual({ code: 'logApp.suppressed', params: { count: 1, burst: 1, seconds: 2 }, message: '1 more such problem was not logged (at most 1 every 2 s)' });
  });

  it('escapes control characters and line breaks of peer text and cuts it', () => {
    expect(forLog('a\nb\u0000c\u0085d\u2028"')).toBe('"a\\nb\\u0000c\\u0085d\\u2028\\""');
    expect(forLog('x'.repeat(300), 5)).toBe('"xxxxx…"');
  });
});
