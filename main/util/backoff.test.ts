import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from './backoff';

/** A random source that returns the given values in turn. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('reconnect backoff', () => {
  const opts = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };

  it('grows by the factor from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 30].map((a) => backoffDelay(a, opts, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, { initialMs: 10, maxMs: 1e6, factor: 3, jitter: 0 }))).toEqual([10, 30, 90]);
    // attempt 0 or below counts as the first
    expect(backoffDelay(0, opts, () => 0.5)).toBe(100);
  });

  it('keeps every delay within ± jitter of its base, reaching both ends', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(100);
    expect(backoffDelay(2, opts, () => 0.999999)).toBe(300);
    expect(backoffDelay(9, opts, () => 0)).toBe(500);
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(3, { ...opts, jitter: 0.2 }, Math.random);
      expect(d).toBeGreaterThanOrEqual(320);
      expect(d).toBeLessThanOrEqual(480);
    }
  });

  it('spreads peers that retry at the same attempt over the whole jitter range', () => {
    const r = (() => {
      let s = 12345;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    })();
    const delays = Array.from({ length: 1000 }, () => backoffDelay(4, { initialMs: 1000, maxMs: 60_000 }, r));
    // default jitter 0.2 around 8000 ms: every fifth of the range holds some of the peers
    const buckets = [0, 0, 0, 0, 0];
    for (const d of delays) buckets[Math.min(4, Math.floor((d - 6400) / 640))]++;
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(6400);
    expect(Math.max(...delays)).toBeLessThanOrEqual(9600);
    for (const b of buckets) expect(b).toBeGreaterThan(100);
  });

  it('clamps jitter to 0..1 and never returns a negative delay', () => {
    expect(backoffDelay(1, { initialMs: 100, maxMs: 100, jitter: 5 }, () => 0)).toBe(0);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 100, jitter: 5 }, () => 0.999999)).toBe(200);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 100, jitter: -1 }, () => 0)).toBe(100);
  });

  it('counts failures until reset, then starts again from the initial delay', () => {
    const b = new Backoff({ initialMs: 50, maxMs: 300, jitter: 0.2 }, seq(0.5, 0, 0.5, 0.5, 0.5));
    expect(b.attempts).toBe(0);
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([50, 80, 200, 300]);
    expect(b.attempts).toBe(4);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(50);
  });

  it('uses a secure random source by default, within the bounds', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(1, { initialMs: 1000, maxMs: 1000 });
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1200);
    }
  });
});
