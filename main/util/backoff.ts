// The one reconnect backoff (ARCHITECTURE.md): exponential growth from `initialMs` by `factor`, capped at `maxMs`,
// then spread by ± `jitter` so that many peers that lost the same server do not all come back in the same
// instant. Every reconnect loop (the CSTA client, the instance runtime, the multiplexer's PBX link) uses it.
import { randomInt } from 'node:crypto';

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Cap of the exponential part (jitter may move a capped delay by ± jitter around it). */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /** Fraction of the delay added or removed at random, clamped to 0..1; default 0.2. */
  jitter?: number;
}

/** A number in [0, 1). */
export type RandomSource = () => number;

export const secureRandom: RandomSource = () => randomInt(0, 1_000_000) / 1_000_000;

/** Delay before retry `attempt` (1-based): min(max, initial × factor^(attempt−1)) × (1 ± jitter), rounded, never negative. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: RandomSource = secureRandom): number {
  const factor = opts.factor ?? 2;
  const jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 1);
  const base = Math.min(opts.maxMs, opts.initialMs * factor ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + jitter * (random() * 2 - 1))));
}

/** The same backoff with its attempt counter: `next()` after each failure, `reset()` after a success. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly random: RandomSource = secureRandom,
  ) {}

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Counts one more failure and returns the delay before the next try. */
  next(): number {
    this.failures++;
    return backoffDelay(this.failures, this.opts, this.random);
  }

  reset(): void {
    this.failures = 0;
  }
}
