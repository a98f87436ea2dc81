import type { CheckTrace, PatternValidation, RuleIssue } from '../../../shared/api/rules';
import type { NumberFormat } from '../../../shared/model/rules';
import { compileRules, formatNumber, traceNumber, type CompiledRule, type FormatOptions, type FormatResult, type RuleInput } from './formatter';
import { lintRules } from './lint';
import { compilePattern } from './pattern';

export { parsePattern, tryParsePattern, MAX_GROUPS, type PatternError, type ParsedPattern } from './dialect';
export { compilePattern, search, test, type CompiledPattern, type Match } from './pattern';
export { compileRules, formatNumber, traceNumber, normaliseNumber, type CompiledRule, type RuleInput, type FormatOptions, type FormatResult } from './formatter';
export { lintRules } from './lint';
export { runRuleTests, checkBulk, parseBulkText } from './rule-tests';
export { parseRuleFile, exportRuleFile, type RuleFileError, type RuleFileResult } from './rule-file';
export { parseTemplate, expandTemplate } from './template';

/** A rule list compiled and linted once. Both are read-only, so repeated calls can share them. */
export interface PreparedRules {
  compiled: CompiledRule[];
  lint: RuleIssue[];
}

// The console sends the same list again for every number the admin types: keep the last few lists.
const prepared = new Map<string, PreparedRules>();
const PREPARED_SIZE = 32;

export function prepareRules(rules: readonly RuleInput[], options: FormatOptions = {}): PreparedRules {
  const key = `${options.normalise === false ? 0 : 1}\u0002${rules.map((r) => `${r.enabled === false ? 0 : 1}${r.mode ?? 'regex'}\u0000${r.search}\u0000${r.replace}`).join('\u0001')}`;
  let hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit);
    return hit;
  }
  const compiled = compileRules(rules);
  hit = { compiled, lint: lintRules(compiled, options) };
  if (prepared.size >= PREPARED_SIZE) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, hit);
  return hit;
}

/** Compile, lint and trace one number in one call (the console's live check). */
export function checkNumber(rules: readonly RuleInput[], input: string, options: FormatOptions = {}): CheckTrace {
  const { compiled, lint } = prepareRules(rules, options);
  return traceNumber(compiled, input, lint, options);
}

/** Is this a valid search pattern, how many groups has it, and what would the lint say about it. */
export function validatePattern(pattern: string): PatternValidation {
  const c = compilePattern(pattern);
  if (!c.ok) return { valid: false, groupCount: 0, error: c.error, warnings: [] };
  const warnings = lintRules(compileRules([{ search: pattern, replace: '\\0' }])).map((w) => ({ ...w, rule: null }));
  return { valid: true, groupCount: c.pattern.groupCount, warnings };
}

/** The three lists compiled once, for drivers formatting live numbers. */
export interface NumberFormatter {
  incoming(number: string): FormatResult;
  outgoing(number: string): FormatResult;
  dialing(number: string): FormatResult;
}

export function createNumberFormatter(format: NumberFormat, options: FormatOptions = {}): NumberFormatter {
  const incoming = compileRules(format.incoming);
  const outgoing = compileRules(format.outgoing);
  const dialing = compileRules(format.dialing);
  return {
    incoming: (n) => formatNumber(incoming, n, options),
    outgoing: (n) => formatNumber(outgoing, n, options),
    dialing: (n) => formatNumber(dialing, n, options),
  };
}
