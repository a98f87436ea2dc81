import { SIP_TRY_LIST_MAX, type RuleIssue, type SipCheckResult, type SipTryResult, type Span } from '../../../shared/api/rules';
import type { SipFilter, SipFilterRule } from '../../../shared/model/rules';
import { DEFAULT_LIMITS, addPiece, compilePattern, emptyEstimate, enforceLimits, runSliced, search, type CompiledPattern, type Steps, type WorkLimits } from '../rules';

/** A filter with its regex rules compiled once (line discovery checks thousands of lines). */
export interface CompiledSipFilter {
  mode: SipFilter['mode'];
  rules: Array<{ index: number; rule: SipFilterRule; pattern: CompiledPattern | null }>;
  /** Invalid regex rules: reported, and skipped when checking. */
  errors: RuleIssue[];
  /** Dialect traps in valid regex rules (`\d`, `{3}` are literal here), as the number format's lint has them. */
  warnings: RuleIssue[];
}

export function compileSipFilter(filter: SipFilter): CompiledSipFilter {
  const errors: RuleIssue[] = [];
  const warnings: RuleIssue[] = [];
  const rules = filter.rules.map((rule, k) => {
    const index = k + 1;
    if (rule.kind === 'nameContains' || rule.kind === 'numberContains') return { index, rule, pattern: null };
    const c = compilePattern(rule.pattern);
    if (c.ok) {
      for (const trap of c.pattern.parsed.literalTraps) {
        const message =
          trap.kind === 'escape'
            ? `SIP filter rule ${index}: "${trap.text}" is the plain letter "${trap.text[1]}" in this dialect, not a character class; use [0-9] for a digit`
            : `SIP filter rule ${index}: "${trap.text}" is plain text in this dialect, not a repeat count; write the item out as often as needed`;
        const code = trap.kind === 'escape' ? 'DIALECT_ESCAPE' : 'DIALECT_BRACE';
        warnings.push({ rule: index, code, severity: 'warning', message, field: 'search', offset: trap.offset, length: trap.length, params: { rule: index, pattern: rule.pattern, text: trap.text } });
      }
      return { index, rule, pattern: c.pattern };
    }
    const issue: RuleIssue = {
      rule: index,
      code: 'PATTERN_INVALID',
      severity: 'error',
      message: `SIP filter rule ${index}: invalid pattern "${rule.pattern}", ${c.error.message}; the rule is skipped`,
      params: { rule: index, pattern: rule.pattern, driver: c.error.driverText, position: c.error.offset + 1, detail: c.error.detail },
      field: 'search',
      offset: c.error.offset,
      length: c.error.length,
    };
    if (c.error.hint) issue.hint = c.error.hint;
    errors.push(issue);
    return { index, rule, pattern: null };
  });
  return { mode: filter.mode, rules, errors, warnings };
}

/** Is this line a SIP line, and which rule says so (the first that matches). Mode `none` detects nothing. */
export function checkSipLine(filter: CompiledSipFilter, line: { name: string; number: string }): SipCheckResult {
  const found = { errors: filter.errors, warnings: filter.warnings };
  if (filter.mode === 'none') return { sip: false, rule: null, ...found };
  for (const { index, rule, pattern } of filter.rules) {
    const field = rule.kind === 'nameContains' || rule.kind === 'nameRegex' ? 'name' : 'number';
    const text = line[field];
    let match: Span | null = null;
    if (rule.kind === 'nameContains' || rule.kind === 'numberContains') {
      const at = text.indexOf(rule.pattern);
      if (at >= 0) match = { start: at, end: at + rule.pattern.length, text: rule.pattern };
    } else if (pattern) {
      const m = search(pattern, text);
      if (m) match = { start: m.start, end: m.end, text: text.slice(m.start, m.end) };
    }
    if (match) return { sip: true, rule: index, kind: rule.kind, pattern: rule.pattern, field, match, ...found };
  }
  return { sip: false, rule: null, ...found };
}

/** Splits discovered lines into those kept and those left out as SIP lines, with the rule for each. */
export function filterSipLines<L extends { name: string; number: string }>(filter: SipFilter | CompiledSipFilter, lines: readonly L[]) {
  const compiled = 'errors' in filter ? filter : compileSipFilter(filter);
  const kept: L[] = [];
  const filtered: Array<{ line: L; rule: number }> = [];
  for (const line of lines) {
    const r = checkSipLine(compiled, line);
    if (r.sip) filtered.push({ line, rule: r.rule! });
    else kept.push(line);
  }
  return { kept, filtered, errors: compiled.errors };
}

/** The matching steps a filter may take on one line at most (each regex rule of the line's field, in full). */
function lineWork(filter: CompiledSipFilter, line: { name: string; number: string }): number {
  let work = 1;
  for (const { rule, pattern } of filter.rules) {
    if (pattern) work += pattern.program.op.length * ((rule.kind === 'nameRegex' ? line.name : line.number).length + 1);
  }
  return work;
}

/**
 * The filter tried on lines an instance has now ("which of my lines would this leave out?"). The work is
 * known before anything runs and refused beyond the limits; the lines are checked in slices.
 */
export async function trySipFilterOnLines(filter: SipFilter, lines: ReadonlyArray<{ name: string; number: string }>, limits: WorkLimits = DEFAULT_LIMITS): Promise<SipTryResult> {
  const compiled = compileSipFilter(filter);
  const estimate = emptyEstimate();
  if (compiled.mode !== 'none') for (const line of lines) addPiece(estimate, lineWork(compiled, line), 0);
  enforceLimits(estimate, limits);
  return runSliced(trySteps(compiled, lines), limits.slice);
}

function* trySteps(filter: CompiledSipFilter, lines: ReadonlyArray<{ name: string; number: string }>): Steps<SipTryResult> {
  const out: SipTryResult = { total: lines.length, leftOut: 0, lines: [], errors: filter.errors, warnings: filter.warnings };
  if (filter.mode === 'none') return out;
  for (const line of lines) {
    const r = checkSipLine(filter, line);
    yield lineWork(filter, line);
    if (!r.sip) continue;
    out.leftOut++;
    if (out.lines.length < SIP_TRY_LIST_MAX) out.lines.push({ number: line.number, name: line.name, rule: r.rule!, kind: r.kind!, pattern: r.pattern! });
  }
  return out;
}
