import { Op, inClass, type Program } from './program';

/**
 * Does every number one pattern matches also match another? Decided on the compiled programs: each becomes a
 * DFA (subset construction, built lazily) for "the number contains a match" — the search the formatter does,
 * with `^` only at position 0 and `$` only at the end — and the product of the two is walked breadth first
 * looking for a number the later pattern matches and the earlier one does not. The walk stops at `budget`
 * steps (instruction visits), and then says `unknown`, so hostile patterns cost a bounded amount.
 */

export type Containment = 'contained' | 'not' | 'unknown';

/** What normalisation leaves in a number: with it on, only these characters need trying. */
export const DIALABLE_ALPHABET = [...'0123456789+*#'];

interface DfaState {
  /** Instructions waiting for a character (Char, Any, Class). */
  consuming: number[];
  /** A match ended here without needing the end of the number: every longer number matches too. */
  matched: boolean;
  /** A match ends here if the number ends here. */
  acceptsAtEnd: boolean;
  /** The state after each alphabet symbol, -1 until known. */
  next: Int32Array;
}

class OutOfBudget extends Error {}

let spentTotal = 0;
/** Steps spent by every containment test so far (tests compare it with the lint's work estimate). */
export const containmentSteps = () => spentTotal;

class Meter {
  used = 0;
  constructor(readonly budget: number) {}
  spend(n: number): void {
    if (this.used + n > this.budget) throw new OutOfBudget();
    this.used += n;
    spentTotal += n;
  }
}

/** State 0 is "a match is behind us" (absorbing). */
const ACCEPT = 0;
/** A DFA kept for a whole lint stays small: past this size its pairs are left undecided. */
const MAX_DFA_STATES = 2_000;

/** The lazily built DFA of one program over the given alphabet (character codes); states are numbered. */
class SearchDfa {
  private readonly states: DfaState[] = [];
  private readonly ids = new Map<string, number>();
  meter: Meter = new Meter(Infinity);
  /** The state at the start of the number. */
  readonly start: number;

  constructor(
    private readonly prog: Program,
    private readonly alphabet: number[],
  ) {
    this.states.push({ consuming: [], matched: true, acceptsAtEnd: true, next: new Int32Array(alphabet.length).fill(ACCEPT) });
    this.start = this.add([], true);
  }

  state(id: number): DfaState {
    return this.states[id];
  }

  /** The state after one more character (an alphabet index). */
  step(id: number, sym: number): number {
    const st = this.states[id];
    const known = st.next[sym];
    if (known >= 0) return known;
    this.meter.spend(st.consuming.length + 1);
    const c = this.alphabet[sym];
    const kernel: number[] = [];
    for (const pc of st.consuming) {
      const op = this.prog.op[pc];
      const ok = op === Op.Any || (op === Op.Char && this.prog.a[pc] === c) || (op === Op.Class && inClass(this.prog.classes[this.prog.a[pc]], c));
      if (ok) kernel.push(pc + 1);
    }
    const next = this.add(kernel, false);
    st.next[sym] = next;
    return next;
  }

  /** The state for this kernel (instructions just past a consumed character), built on first use. */
  private add(kernel: number[], atStart: boolean): number {
    const sorted = [...new Set(kernel)].sort((x, y) => x - y);
    const key = `${atStart ? 's' : 'm'}${sorted.join(',')}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.states.length >= MAX_DFA_STATES) throw new OutOfBudget();
    const mid = this.closure(sorted, atStart, false);
    const state: DfaState = {
      consuming: mid.consuming,
      matched: mid.matched,
      acceptsAtEnd: mid.matched || this.closure(sorted, atStart, true).matched,
      next: new Int32Array(this.alphabet.length).fill(-1),
    };
    const id = mid.matched ? ACCEPT : this.states.push(state) - 1;
    this.ids.set(key, id);
    return id;
  }

  /** Follows the empty moves from the kernel and from a new match attempt starting here (pc 0). */
  private closure(kernel: number[], atStart: boolean, atEnd: boolean): { consuming: number[]; matched: boolean } {
    this.meter.spend(this.prog.op.length);
    const seen = new Uint8Array(this.prog.op.length);
    const todo = [0, ...kernel];
    const consuming: number[] = [];
    let matched = false;
    while (todo.length) {
      const pc = todo.pop()!;
      if (seen[pc]) continue;
      seen[pc] = 1;
      switch (this.prog.op[pc]) {
        case Op.Jmp:
          todo.push(this.prog.a[pc]);
          break;
        case Op.Split:
          todo.push(this.prog.a[pc], this.prog.b[pc]);
          break;
        case Op.Save:
          todo.push(pc + 1);
          break;
        case Op.Bol:
          if (atStart) todo.push(pc + 1);
          break;
        case Op.Eol:
          if (atEnd) todo.push(pc + 1);
          break;
        case Op.Match:
          matched = true;
          break;
        default:
          consuming.push(pc);
      }
    }
    return { consuming: consuming.sort((x, y) => x - y), matched };
  }
}

/**
 * One representative character per class of characters the two programs cannot tell apart: the boundaries of
 * every literal and class range cut the code units into intervals, each tried once.
 */
export function distinguishingAlphabet(...progs: Program[]): number[] {
  const cuts = new Set<number>([0]);
  for (const p of progs) {
    for (let pc = 0; pc < p.op.length; pc++) {
      if (p.op[pc] === Op.Char) {
        cuts.add(p.a[pc]);
        cuts.add(p.a[pc] + 1);
      }
    }
    for (const cls of p.classes) {
      for (let k = 0; k < cls.ranges.length; k += 2) {
        cuts.add(cls.ranges[k]);
        cuts.add(cls.ranges[k + 1] + 1);
      }
    }
  }
  return [...cuts].filter((c) => c <= 0xffff).sort((x, y) => x - y);
}

/**
 * Containment tests of one rule list: the DFA of each pattern is built once and shared by all its pairs.
 * `alphabet` is the characters numbers can hold (DIALABLE_ALPHABET after normalisation); without it, one
 * character per class the two programs cannot tell apart.
 */
export class ContainmentChecker {
  private readonly dfas = new Map<Program, SearchDfa>();

  private readonly codes: number[] | undefined;

  constructor(private readonly alphabet?: string[]) {
    this.codes = alphabet?.map((c) => c.charCodeAt(0));
  }

  private dfa(p: Program, alphabet: number[], meter: Meter): SearchDfa {
    let d = this.alphabet ? this.dfas.get(p) : undefined;
    if (!d) {
      d = new SearchDfa(p, alphabet);
      if (this.alphabet) this.dfas.set(p, d);
    }
    d.meter = meter;
    return d;
  }

  /**
   * Whether every number `later` matches is matched by `earlier` as well (so a rule with `later` after one
   * with `earlier` never fires); `work` is the steps spent, never more than `budget`.
   */
  contains(earlier: Program, later: Program, budget: number): { result: Containment; work: number } {
    if (budget < 1) return { result: 'unknown', work: 0 };
    // Both anchored, with literal starts that differ (^0891 and ^1): a number of the later one starts wrong.
    const [p, q] = [earlier.literalPrefix, later.literalPrefix];
    if (earlier.anchoredStart && later.anchoredStart && !q.startsWith(p) && !p.startsWith(q)) {
      spentTotal += 1;
      return DIFFERENT_START;
    }
    const meter = new Meter(budget);
    try {
      const alphabet = this.codes ?? distinguishingAlphabet(earlier, later);
      return { result: walkProduct(this.dfa(earlier, alphabet, meter), this.dfa(later, alphabet, meter), alphabet.length, meter), work: meter.used };
    } catch (e) {
      if (e instanceof OutOfBudget) return { result: 'unknown', work: meter.used };
      throw e;
    }
  }
}

const DIFFERENT_START = { result: 'not', work: 1 } as const;

/** One containment test on its own (see ContainmentChecker). */
export function patternContains(earlier: Program, later: Program, options: { alphabet?: string[]; budget: number }): { result: Containment; work: number } {
  return new ContainmentChecker(options.alphabet).contains(earlier, later, options.budget);
}

/** Breadth first over pairs of states, looking for a number the later DFA accepts and the earlier does not. */
function walkProduct(a: SearchDfa, b: SearchDfa, symbols: number, meter: Meter): Containment {
  const seen = new Set<number>([a.start * MAX_DFA_STATES + b.start]);
  const queue: number[] = [a.start, b.start];
  for (let head = 0; head < queue.length; head += 2) {
    const [ka, kb] = [queue[head], queue[head + 1]];
    const sa = a.state(ka);
    // The earlier pattern has matched: whatever follows, it wins.
    if (sa.matched) continue;
    const sb = b.state(kb);
    if (sb.acceptsAtEnd && !sa.acceptsAtEnd) return 'not';
    // The later pattern can match no longer number from here.
    if (!sb.matched && sb.consuming.length === 0) continue;
    for (let sym = 0; sym < symbols; sym++) {
      meter.spend(1);
      const na = a.step(ka, sym);
      const nb = b.step(kb, sym);
      const pair = na * MAX_DFA_STATES + nb;
      if (seen.has(pair)) continue;
      seen.add(pair);
      queue.push(na, nb);
    }
  }
  return 'contained';
}
