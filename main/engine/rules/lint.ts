import type { RuleIssue } from '../../../shared/api/rules';
import type { Node } from './dialect';
import type { CompiledRule } from './formatter';
import { test, type CompiledPattern } from './pattern';
import { literalBackslashes } from './template';
import { addPiece, emptyEstimate, runAtOnce, type Steps, type WorkEstimate } from './check-budget';
import { ContainmentChecker, DIALABLE_ALPHABET } from './containment';

/**
 * The containment test of two regex rules (does the earlier match every number the later one does?) stops
 * after this many steps and then says nothing; all such tests of one lint share the second budget, so a list
 * of a thousand rules still lints in a fraction of a second. Real rule pairs need a few hundred steps.
 */
export const CONTAINMENT_PAIR_WORK = 20_000;
export const CONTAINMENT_TOTAL_WORK = 2_000_000;

/** Every way through the node starts at the beginning of the number (`^`, or `.*` which swallows the front). */
function coversStart(n: Node): boolean {
  switch (n.type) {
    case 'bol':
      return true;
    case 'group':
      return coversStart(n.body);
    case 'concat':
      return n.items.length > 0 && coversStart(n.items[0]);
    case 'alt':
      return n.branches.every(coversStart);
    case 'repeat':
      return n.op === '*' && n.body.type === 'any';
    default:
      return false;
  }
}

/** Every way through the node runs to the end of the number (`$`, or a trailing `.*` / `.+`). */
function coversEnd(n: Node): boolean {
  switch (n.type) {
    case 'eol':
      return true;
    case 'group':
      return coversEnd(n.body);
    case 'concat':
      return n.items.length > 0 && coversEnd(n.items[n.items.length - 1]);
    case 'alt':
      return n.branches.every(coversEnd);
    case 'repeat':
      return n.op !== '?' && n.body.type === 'any';
    default:
      return false;
  }
}

function hasNode(n: Node, pred: (n: Node) => boolean): boolean {
  if (pred(n)) return true;
  switch (n.type) {
    case 'group':
    case 'repeat':
      return hasNode(n.body, pred);
    case 'concat':
      return n.items.some((x) => hasNode(x, pred));
    case 'alt':
      return n.branches.some((x) => hasNode(x, pred));
    default:
      return false;
  }
}

/** `(x+)+`, `(x*)+`, `(.+)*`: harmless here, but a backtracking driver can take exponential time on them. */
function nestedRepeat(n: Node): { pos: number } | null {
  let found: { pos: number } | null = null;
  hasNode(n, (x) => {
    if (found === null && x.type === 'repeat' && x.op !== '?' && hasNode(x.body, (y) => y.type === 'repeat' && y.op !== '?')) found = { pos: x.pos };
    return found !== null;
  });
  return found;
}

/** Matches every number: it matches the empty string at the start without needing `$`. */
function matchesEverything(p: CompiledPattern): boolean {
  return !hasNode(p.parsed.ast, (x) => x.type === 'eol') && test(p, '');
}

const DIALABLE = /^[+*#0-9]*$/;

/** Static analysis of one rule list. Rule indexes are 1-based, as the admin sees them. */
export function lintRules(rules: readonly CompiledRule[], options: { normalise?: boolean } = {}): RuleIssue[] {
  return runAtOnce(lintSteps(rules, options));
}

/** Steps of the shadowing test of a text rule against one earlier regex rule. */
const shadowWork = (earlier: CompiledRule, later: CompiledRule) => earlier.pattern!.program.op.length * (later.search.length + 1);

/**
 * What linting will cost at most: each pattern is run on the empty number twice, and the shadowing test
 * runs each text rule through every earlier regex rule.
 */
export function estimateLintWork(rules: readonly CompiledRule[], into: WorkEstimate = emptyEstimate()): WorkEstimate {
  let earlierOps = 0;
  let maxOps: CompiledRule | null = null;
  let regexRules = 0;
  let pairs = 0;
  let lastRegex = 0;
  for (const r of rules) {
    if (r.pattern) into.work += 2 * r.pattern.program.op.length;
    if (!r.enabled || r.error) continue;
    if (r.mode === 'regex') {
      pairs += regexRules++;
      lastRegex = r.index;
      earlierOps += r.pattern!.program.op.length;
      if (!maxOps || r.pattern!.program.op.length > maxOps.pattern!.program.op.length) maxOps = r;
    } else if (maxOps) {
      into.work += (earlierOps - maxOps.pattern!.program.op.length) * (r.search.length + 1);
      addPiece(into, shadowWork(maxOps, r), r.index);
    }
  }
  if (pairs > 0) {
    const total = Math.min(CONTAINMENT_TOTAL_WORK, pairs * CONTAINMENT_PAIR_WORK);
    const piece = Math.min(CONTAINMENT_PAIR_WORK, total);
    addPiece(into, piece, lastRegex);
    into.work += total - piece;
  }
  return into;
}

/** lintRules, yielding the work of each shadowing test (for checks run in slices). */
export function* lintSteps(rules: readonly CompiledRule[], options: { normalise?: boolean } = {}): Steps<RuleIssue[]> {
  const normalise = options.normalise !== false;
  const issues: RuleIssue[] = [];
  const add = (r: CompiledRule, i: Omit<RuleIssue, 'rule'>) => issues.push({ rule: r.index, ...i });

  for (const r of rules) {
    yield r.search.length + r.replace.length + 1;
    if (r.error) {
      const issue: Omit<RuleIssue, 'rule'> = {
        code: 'PATTERN_INVALID',
        severity: 'error',
        message: `rule ${r.index}: invalid pattern, ${r.error.message}; the rule is skipped`,
        field: 'search',
        offset: r.error.offset,
        length: r.error.length,
        params: { driver: r.error.driverText, position: r.error.offset + 1, detail: r.error.detail, ...(r.error.hintProblem ? { hint: r.error.hintProblem } : {}) },
      };
      if (r.error.hint) issue.hint = r.error.hint;
      add(r, issue);
      continue;
    }
    if (r.replace === '') {
      add(r, { code: 'SUPPRESSES', severity: 'info', message: `rule ${r.index}: the replacement is empty, so every number it matches is suppressed`, field: 'replace' });
    }
    if (r.mode === 'text') {
      const ref = r.replace.search(/\\[0-9]|&/);
      if (ref >= 0) {
        add(r, { code: 'TEXT_LITERAL_GROUP', severity: 'warning', message: `rule ${r.index}: a text rule outputs its replacement literally, so "${r.replace.slice(ref, ref + 2)}" is not expanded`, field: 'replace', offset: ref, length: 2 });
      }
      if (normalise && !DIALABLE.test(r.search)) {
        add(r, { code: 'TEXT_NEVER_MATCHES', severity: 'warning', message: `rule ${r.index}: numbers are reduced to + * # 0-9 before the rules run, so the text "${r.search}" can never be equal to one`, field: 'search' });
      }
      continue;
    }
    const p = r.pattern!;
    for (const part of r.parts) {
      if (part.kind === 'group' && part.group > p.groupCount) {
        add(r, {
          code: 'GROUP_MISSING',
          severity: 'warning',
          message: `rule ${r.index}: the replacement uses \\${part.group} but the pattern has ${p.groupCount === 0 ? 'no groups' : `only ${p.groupCount} group${p.groupCount > 1 ? 's' : ''}`}, so it expands to nothing`,
          field: 'replace',
          offset: part.offset,
          length: part.length,
          params: { count: p.groupCount },
          ...(p.groupCount === 0 ? { hint: 'put ( ) around the part of the pattern you want to keep' } : {}),
        });
      }
    }
    for (const at of literalBackslashes(r.replace)) {
      add(r, { code: 'REPLACE_BACKSLASH', severity: 'warning', message: `rule ${r.index}: the backslash at position ${at + 1} of the replacement is output as it is; only \\0-\\9, \\\\ and \\& are special there`, field: 'replace', offset: at, length: 2 });
    }
    for (const trap of p.parsed.literalTraps) {
      const message =
        trap.kind === 'escape'
          ? `rule ${r.index}: "${trap.text}" is the plain letter "${trap.text[1]}" in this dialect, not a character class; use [0-9] for a digit`
          : `rule ${r.index}: "${trap.text}" is plain text in this dialect, not a repeat count; write the item out as often as needed`;
      add(r, { code: trap.kind === 'escape' ? 'DIALECT_ESCAPE' : 'DIALECT_BRACE', severity: 'warning', message, field: 'search', offset: trap.offset, length: trap.length });
    }
    const nested = nestedRepeat(p.parsed.ast);
    if (nested) {
      add(r, { code: 'BACKTRACKING', severity: 'warning', message: `rule ${r.index}: a repeat of a repeat (like (0+)+) can make the PBX driver's backtracking matcher hang on long numbers`, field: 'search', offset: nested.pos, length: 1 });
    }
    if (test(p, '')) {
      add(r, { code: 'MATCHES_EMPTY', severity: 'warning', message: `rule ${r.index}: the pattern matches the empty string, so it fires on an empty number too`, field: 'search' });
    }
    if (!coversStart(p.parsed.ast)) {
      add(r, { code: 'UNANCHORED_START', severity: 'warning', message: `rule ${r.index}: the pattern does not start with ^, so digits before the match are dropped from the output`, field: 'search', hint: 'start the pattern with ^' });
    }
    if (!coversEnd(p.parsed.ast)) {
      add(r, { code: 'UNANCHORED_END', severity: 'warning', message: `rule ${r.index}: the pattern does not run to the end ($ or .*), so digits after the match are dropped from the output`, field: 'search', hint: 'end the pattern with (.*) and keep it with \\n, or with $' });
    }
  }

  // Shadowing: a later rule that an earlier enabled rule always pre-empts never fires.
  const live = rules.filter((r) => r.enabled && !r.error);
  const catchAll = live.map((r) => r.mode === 'regex' && matchesEverything(r.pattern!));
  let containmentLeft = CONTAINMENT_TOTAL_WORK;
  const containment = new ContainmentChecker(normalise ? DIALABLE_ALPHABET : undefined);
  for (let j = 0; j < live.length; j++) {
    const later = live[j];
    for (let i = 0; i < j; i++) {
      const earlier = live[i];
      let why: string | null = null;
      let kind = '';
      if (earlier.mode === later.mode && earlier.search === later.search) {
        kind = later.mode === 'text' ? 'same_text' : 'same_pattern';
        why = `rule ${earlier.index} has the same ${later.mode === 'text' ? 'text' : 'pattern'}`;
      } else if (catchAll[i]) {
        kind = 'all';
        why = `rule ${earlier.index} matches every number`;
      } else if (earlier.mode === 'regex' && later.mode === 'text') {
        yield shadowWork(earlier, later);
        if (test(earlier.pattern!, later.search)) {
          kind = 'already';
          why = `rule ${earlier.index} already matches "${later.search}"`;
        }
      } else if (earlier.mode === 'regex' && later.mode === 'regex' && containmentLeft > 0) {
        // `^0(.*)` before `^0891(.*)`: the earlier rule's numbers include all of the later one's.
        const { result, work } = containment.contains(earlier.pattern!.program, later.pattern!.program, Math.min(CONTAINMENT_PAIR_WORK, containmentLeft));
        containmentLeft -= work;
        yield work;
        if (result === 'contained') {
          kind = 'covers';
          why = `every number it matches is matched by rule ${earlier.index} ("${earlier.search}")`;
        }
      }
      if (why) {
        const message = kind === 'covers' ? `rule ${later.index} can never fire: ${why}, which comes first` : `rule ${later.index} can never fire: ${why} and comes first`;
        issues.push({ rule: later.index, code: 'SHADOWED', severity: 'warning', message, field: 'search', params: { kind, earlier: earlier.index, value: kind === 'covers' ? earlier.search : later.search } });
        break;
      }
    }
  }
  return issues;
}
