import type { CheckTrace, PatternValidation } from '../../../shared/api/rules';
import type { NumberFormat } from '../../../shared/model/rules';
import { compileRules, formatNumber, traceNumber, type FormatOptions, type FormatResult, type RuleInput } from './formatter';
import { lintRules } from './lint';
import { compilePattern } from './pattern';

export { parsePattern, tryParsePattern, MAX_GROUPS, type PatternError, type ParsedPattern } from './dialect';
export { compilePattern, search, test, type CompiledPattern, type Match } from './pattern';
export { compileRules, formatNumber, traceNumber, normaliseNumber, type CompiledRule, type RuleInput, type FormatOptions, type FormatResult } from './formatter';
export { lintRules } from './lint';
export { runRuleTests, checkBulk, parseBulkText } from './rule-tests';
export { parseRuleFile, exportRuleFile, type RuleFileError, type RuleFileResult } from './rule-file';
export { parseTemplate, expandTemplate } from './template';

/** Compile, lint and trace one number in one call (the console's live check). */
export function checkNumber(rules: readonly RuleInput[], input: string, options: FormatOptions = {}): CheckTrace {
  const compiled = compileRules(rules);
  return traceNumber(compiled, input, lintRules(compiled, options), options);
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
