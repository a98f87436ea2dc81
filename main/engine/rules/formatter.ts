import type { CheckOutcome, CheckTrace, RuleIssue, RuleStep, Span } from '../../../shared/api/rules';
import type { NumberRule } from '../../../shared/model/rules';
import type { PatternError } from './dialect';
import { compilePattern, searchSlots, type CompiledPattern } from './pattern';
import { expandTemplate, parseTemplate, type TemplatePart } from './template';
import { addPiece, emptyEstimate, runAtOnce, type Steps, type WorkEstimate } from './check-budget';

/** A rule as callers may write it: `enabled` and `mode` default like the stored schema (true, regex). */
export type RuleInput = Partial<Pick<NumberRule, 'enabled' | 'mode' | 'note'>> & Pick<NumberRule, 'search' | 'replace'>;

/** One rule, its pattern compiled once. `error` set = invalid, skipped at run time. */
export interface CompiledRule {
  /** 1-based position in the list. */
  index: number;
  enabled: boolean;
  mode: 'regex' | 'text';
  search: string;
  replace: string;
  pattern: CompiledPattern | null;
  error: PatternError | null;
  parts: TemplatePart[];
}

export interface FormatOptions {
  /** Strip everything except + * # 0-9 first, as the driver does (default true). */
  normalise?: boolean;
}

export interface FormatResult {
  output: string;
  outcome: CheckOutcome;
  rule: number | null;
}

const NOT_DIALABLE = /[^+*#0-9]/g;

/** Keeps only the characters a number can hold: + * # 0-9. */
export function normaliseNumber(input: string): string {
  return input.replace(NOT_DIALABLE, '');
}

export function compileRule(r: RuleInput, k: number): CompiledRule {
  const mode = r.mode ?? 'regex';
  const base = { index: k + 1, enabled: r.enabled ?? true, mode, search: r.search, replace: r.replace, pattern: null, error: null };
  if (mode === 'text') return { ...base, parts: [{ kind: 'text', text: r.replace, group: -1, offset: 0, length: r.replace.length }] };
  const compiled = compilePattern(r.search);
  const parts = parseTemplate(r.replace);
  return compiled.ok ? { ...base, pattern: compiled.pattern, parts } : { ...base, error: compiled.error, parts };
}

export function compileRules(rules: readonly RuleInput[]): CompiledRule[] {
  return rules.map(compileRule);
}

/** Compiles rule by rule, reporting the characters of each pattern as its work (compiling is linear in them). */
export function* compileSteps(rules: readonly RuleInput[]): Steps<CompiledRule[]> {
  const out: CompiledRule[] = [];
  for (let k = 0; k < rules.length; k++) {
    out.push(compileRule(rules[k], k));
    yield rules[k].search.length + rules[k].replace.length + 1;
  }
  return out;
}

const WHOLE_INPUT_SLOTS = [0, 0];

/**
 * For each ASCII first character of a number, the live rules that could match it, in list order.
 * Anchored patterns and text rules can only match numbers starting with certain characters, so a
 * long list shrinks to the few candidates; the answer is the same as trying every rule.
 */
const candidateTables = new WeakMap<readonly CompiledRule[], CompiledRule[][]>();

function admits(r: CompiledRule, c: number): boolean {
  if (r.mode === 'text') return r.search.charCodeAt(0) === c;
  const prog = r.pattern!.program;
  return !prog.anchoredStart || prog.firstChars === null || prog.firstChars.ascii[c] === 1;
}

function candidates(rules: readonly CompiledRule[], number: string): readonly CompiledRule[] {
  const c = number.charCodeAt(0);
  if (!(c < 128)) return rules; // empty number or beyond ASCII: try them all
  let table = candidateTables.get(rules);
  if (!table) {
    const live = rules.filter((r) => r.enabled && !r.error);
    table = Array.from({ length: 128 }, (_, ch) => live.filter((r) => admits(r, ch)));
    candidateTables.set(rules, table);
  }
  return table[c];
}

/** Tries one live rule on a normalised number: its capture slots, or null. */
function tryRule(r: CompiledRule, number: string): number[] | null {
  if (r.mode === 'text') return number === r.search ? WHOLE_INPUT_SLOTS : null;
  return searchSlots(r.pattern!, number);
}

function matched(r: CompiledRule, number: string, slots: number[]): FormatResult {
  const output = r.mode === 'text' ? r.replace : expandTemplate(r.parts, number, slots);
  return { output, outcome: output === '' ? 'suppressed' : 'rewritten', rule: r.index };
}

/** The hot path used by drivers: first match wins, no trace. */
export function formatNumber(rules: readonly CompiledRule[], input: string, options: FormatOptions = {}): FormatResult {
  const number = options.normalise === false ? input : normaliseNumber(input);
  for (const r of candidates(rules, number)) {
    if (!r.enabled || r.error) continue;
    const slots = tryRule(r, number);
    if (slots !== null) return matched(r, number, slots);
  }
  return { output: number, outcome: 'unchanged', rule: null };
}

/** formatNumber rule by rule, yielding the estimated work of each rule tried (for checks run in slices). */
export function* formatSteps(rules: readonly CompiledRule[], number: string): Steps<FormatResult> {
  for (const r of candidates(rules, number)) {
    if (!r.enabled || r.error) continue;
    yield ruleWork(r, number);
    const slots = tryRule(r, number);
    if (slots !== null) return matched(r, number, slots);
  }
  return { output: number, outcome: 'unchanged', rule: null };
}

/**
 * Upper bound of the matcher's steps for one rule on one normalised number: the VM visits each
 * instruction at most once per position; the shortcuts (text rules, `^literal(.*)`, first character,
 * literal prefix of an anchored pattern) reject or accept in about one step.
 */
export function ruleWork(r: CompiledRule, number: string): number {
  if (!r.enabled || r.error || r.mode === 'text') return 1;
  const prog = r.pattern!.program;
  if (prog.prefixRest !== null) return 1;
  if (prog.anchoredStart) {
    if (prog.literalPrefix !== '' && !number.startsWith(prog.literalPrefix)) return 1;
    const c = number.charCodeAt(0);
    if (prog.firstChars !== null && (number === '' || (c < 128 ? prog.firstChars.ascii[c] === 0 : !prog.firstChars.nonAscii))) return 1;
  }
  return prog.op.length * (number.length + 1);
}

/** Per first character: the rules that may run the VM on such a number, summed up for the estimate. */
interface WorkRow {
  /** Rules tried (the candidates); each costs a step even when it rejects at once. */
  count: number;
  ops: number;
  maxOps: number;
  maxRule: number;
}
const workTables = new WeakMap<readonly CompiledRule[], { ascii: WorkRow[]; other: WorkRow }>();

function workRow(rules: readonly CompiledRule[]): WorkRow {
  const row = { count: rules.length, ops: 0, maxOps: 0, maxRule: 0 };
  for (const r of rules) {
    if (!r.enabled || r.error || r.mode === 'text' || r.pattern!.program.prefixRest !== null) continue;
    const n = r.pattern!.program.op.length;
    row.ops += n;
    if (n > row.maxOps) {
      row.maxOps = n;
      row.maxRule = r.index;
    }
  }
  return row;
}

/**
 * The steps checking these normalised numbers against the list will take at most, without matching
 * anything: every rule tried costs a step (every rule of the list with `everyRule`, as the trace tries
 * them all; else the candidates for the first character), and each rule that may run the VM on a number
 * with that first character costs its instructions × (length + 1). Linear in the numbers.
 */
export function estimateMatchWork(rules: readonly CompiledRule[], numbers: Iterable<string>, into: WorkEstimate = emptyEstimate(), everyRule = false): WorkEstimate {
  let table = workTables.get(rules);
  if (!table) {
    table = { ascii: Array.from({ length: 128 }, (_, c) => workRow(candidates(rules, String.fromCharCode(c)))), other: workRow(rules) };
    workTables.set(rules, table);
  }
  for (const number of numbers) {
    const c = number.charCodeAt(0);
    const row = c < 128 ? table.ascii[c] : table.other;
    into.work += everyRule ? rules.length : row.count;
    if (row.ops > 0) addPiece(into, row.maxOps * (number.length + 1), row.maxRule);
    into.work += (row.ops - row.maxOps) * (number.length + 1);
  }
  return into;
}

function span(input: string, start: number, end: number): Span {
  return { start, end, text: input.slice(start, end) };
}

/**
 * The same evaluation as formatNumber, recording every rule tried. `lint` is the list's lint
 * (computed once by the caller for a whole batch); warnings about this number are added to it.
 */
export function traceNumber(rules: readonly CompiledRule[], input: string, lint: RuleIssue[], options: FormatOptions = {}): CheckTrace {
  return runAtOnce(traceSteps(rules, input, lint, options));
}

/** traceNumber rule by rule, yielding the estimated work of each rule tried (for checks run in slices). */
export function* traceSteps(rules: readonly CompiledRule[], input: string, lint: RuleIssue[], options: FormatOptions = {}): Steps<CheckTrace> {
  const normalised = options.normalise === false ? input : normaliseNumber(input);
  const steps: RuleStep[] = [];
  const warnings = [...lint];
  let winner: CompiledRule | null = null;
  let output = normalised;
  let groups: Array<string | null> = [];
  for (const r of rules) {
    const step: RuleStep = { rule: r.index, mode: r.mode, search: r.search, replace: r.replace, result: 'not-tried' };
    steps.push(step);
    if (winner) continue;
    if (!r.enabled) {
      step.result = 'disabled';
      continue;
    }
    if (r.error) {
      step.result = 'invalid';
      continue;
    }
    if (r.mode === 'text') {
      if (normalised !== r.search) {
        step.result = 'no-match';
        continue;
      }
      step.result = 'matched';
      step.match = span(normalised, 0, normalised.length);
      step.output = r.replace;
    } else {
      yield ruleWork(r, normalised);
      const slots = searchSlots(r.pattern!, normalised);
      if (!slots) {
        step.result = 'no-match';
        continue;
      }
      step.result = 'matched';
      step.match = span(normalised, slots[0], slots[1]);
      step.groups = [];
      for (let g = 1; g <= r.pattern!.groupCount; g++) {
        const s = slots[2 * g];
        const e = slots[2 * g + 1];
        step.groups.push(s >= 0 && e >= 0 ? span(normalised, s, e) : null);
      }
      step.output = expandTemplate(r.parts, normalised, slots);
      groups = step.groups.map((g) => (g ? g.text : null));
      if (slots[0] > 0 || slots[1] < normalised.length) {
        warnings.push({
          rule: r.index,
          code: 'PARTIAL_MATCH',
          severity: 'warning',
          message: `rule ${r.index} matched only characters ${slots[0] + 1}..${slots[1]} of ${normalised.length} ("${normalised.slice(slots[0], slots[1])}"); everything outside the match is dropped from the output`,
          field: 'search',
          params: { from: slots[0] + 1, to: slots[1], length: normalised.length, value: normalised.slice(slots[0], slots[1]) },
        });
      }
    }
    winner = r;
    output = step.output ?? '';
    if (output === '' && r.replace !== '') {
      warnings.push({
        rule: r.index,
        code: 'EMPTY_OUTPUT',
        severity: 'warning',
        message: `rule ${r.index} produced an empty output because the groups it uses matched nothing, so this number is suppressed`,
        field: 'replace',
      });
    }
  }
  const outcome: CheckOutcome = winner === null ? 'unchanged' : output === '' ? 'suppressed' : 'rewritten';
  return {
    input,
    normalised,
    output,
    outcome,
    suppressed: outcome === 'suppressed',
    emptyInput: normalised === '',
    rule: winner ? winner.index : null,
    groups,
    steps,
    warnings,
  };
}
