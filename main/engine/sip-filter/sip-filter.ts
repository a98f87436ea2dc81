import type { RuleIssue, SipCheckResult, Span } from '../../../shared/api/rules';
import type { SipFilter, SipFilterRule } from '../../../shared/model/rules';
import { compilePattern, search, type CompiledPattern } from '../rules';

/** A filter with its regex rules compiled once (line discovery checks thousands of lines). */
export interface CompiledSipFilter {
  mode: SipFilter['mode'];
  rules: Array<{ index: number; rule: SipFilterRule; pattern: CompiledPattern | null }>;
  /** Invalid regex rules: reported, and skipped when checking. */
  errors: RuleIssue[];
}

export function compileSipFilter(filter: SipFilter): CompiledSipFilter {
  const errors: RuleIssue[] = [];
  const rules = filter.rules.map((rule, k) => {
    const index = k + 1;
    if (rule.kind === 'nameContains' || rule.kind === 'numberContains') return { index, rule, pattern: null };
    const c = compilePattern(rule.pattern);
    if (c.ok) return { index, rule, pattern: c.pattern };
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
  return { mode: filter.mode, rules, errors };
}

/** Is this line a SIP line, and which rule says so (the first that matches). Mode `none` detects nothing. */
export function checkSipLine(filter: CompiledSipFilter, line: { name: string; number: string }): SipCheckResult {
  if (filter.mode === 'none') return { sip: false, rule: null, errors: filter.errors };
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
    if (match) return { sip: true, rule: index, kind: rule.kind, pattern: rule.pattern, field, match, errors: filter.errors };
  }
  return { sip: false, rule: null, errors: filter.errors };
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
