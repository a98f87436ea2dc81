/**
 * How much matching one API call may ask for, and how it is run without holding up the process.
 *
 * Work is counted in matcher steps: trying a rule whose program has `ops` instructions on a number of
 * length L costs at most ops × (L + 1) (the Pike VM visits each instruction at most once per position),
 * and a rule rejected by its first character or literal prefix costs about one. The count is computed
 * before any matching, from the compiled rules and the numbers, so an oversized call is refused at once.
 */

/** Steps one call may use: a few seconds of matching at worst on a busy machine, far above real rule sets. */
export const MAX_CHECK_WORK = 200_000_000;

/** Steps one piece (one rule on one number) may take: a piece runs without a break, so it must stay short. */
export const MAX_STEP_WORK = 2_000_000;

/** Steps between two breaks for the event loop. */
export const SLICE_WORK = 200_000;

export interface WorkEstimate {
  /** Total steps of the call. */
  work: number;
  /** The largest single piece, and the rule it belongs to (1-based). */
  maxStep: number;
  maxStepRule: number | null;
}

export type RulesWorkCode = 'RULES_CHECK_TOO_LARGE' | 'RULES_CHECK_STEP_TOO_LARGE';

/** A check refused before it ran. `params` go to the console as they are, to be put into a sentence there. */
export class RulesWorkError extends Error {
  constructor(
    readonly code: RulesWorkCode,
    readonly params: { work: number; limit: number; rule?: number },
  ) {
    super(
      code === 'RULES_CHECK_TOO_LARGE'
        ? `this check needs about ${params.work} matching steps, more than the ${params.limit} one call may use; check fewer numbers or shorter rules`
        : `rule ${params.rule} would take about ${params.work} matching steps on one number, more than the ${params.limit} allowed for one step; shorten the pattern or the number`,
    );
    this.name = 'RulesWorkError';
  }
}

export interface WorkLimits {
  maxWork: number;
  maxStep: number;
  slice: number;
}

export const DEFAULT_LIMITS: WorkLimits = { maxWork: MAX_CHECK_WORK, maxStep: MAX_STEP_WORK, slice: SLICE_WORK };

/** Throws RulesWorkError when the estimate exceeds the limits. */
export function enforceLimits(e: WorkEstimate, limits: WorkLimits): void {
  if (e.work > limits.maxWork) throw new RulesWorkError('RULES_CHECK_TOO_LARGE', { work: e.work, limit: limits.maxWork });
  if (e.maxStep > limits.maxStep) throw new RulesWorkError('RULES_CHECK_STEP_TOO_LARGE', { work: e.maxStep, limit: limits.maxStep, rule: e.maxStepRule ?? 0 });
}

/** Adds one piece to an estimate. */
export function addPiece(e: WorkEstimate, work: number, rule: number): void {
  e.work += work;
  if (work > e.maxStep) {
    e.maxStep = work;
    e.maxStepRule = rule;
  }
}

export const emptyEstimate = (): WorkEstimate => ({ work: 0, maxStep: 0, maxStepRule: null });

/**
 * Work written as a generator that yields the steps of each piece it has done. `runAtOnce` drains it
 * synchronously (small calls, the CLI); `runSliced` gives the event loop a turn after every `slice` steps,
 * so other API calls are answered while a big check runs.
 */
export type Steps<T> = Generator<number, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runSliced<T>(steps: Steps<T>, slice: number = SLICE_WORK): Promise<T> {
  let done = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    done += r.value;
    if (done >= slice) {
      done = 0;
      await nextTurn();
    }
  }
}
