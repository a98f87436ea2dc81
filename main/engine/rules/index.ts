import type { BulkResult, CheckTrace, PatternValidation, RuleIssue } from '../../../shared/api/rules';
import type { NumberFormat } from '../../../shared/model/rules';
import { DEFAULT_LIMITS, enforceLimits, runSliced, type WorkLimits } from './check-budget';
import { compileRules, compileSteps, estimateMatchWork, formatNumber, normaliseNumber, traceNumber, traceSteps, type CompiledRule, type FormatOptions, type FormatResult, type RuleInput } from './formatter';
import { estimateLintWork, lintRules, lintSteps } from './lint';
import { bulkSteps } from './rule-tests';
import { compilePattern } from './pattern';

export { parsePattern, tryParsePattern, MAX_GROUPS, type PatternError, type ParsedPattern } from './dialect';
export { compilePattern, search, test, type CompiledPattern, type Match } from './pattern';
export { compileRules, formatNumber, traceNumber, normaliseNumber, type CompiledRule, type RuleInput, type FormatOptions, type FormatResult } from './formatter';
export { lintRules } from './lint';
export { RulesWorkError, MAX_CHECK_WORK, MAX_STEP_WORK, SLICE_WORK, DEFAULT_LIMITS, addPiece, emptyEstimate, enforceLimits, runSliced, type Steps, type WorkLimits } from './check-budget';
export { runRuleTests, runRuleTestsWithin, checkBulk, parseBulkText } from './rule-tests';
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

function preparedKey(rules: readonly RuleInput[], options: FormatOptions): string {
  return `${options.normalise === false ? 0 : 1}\u0002${rules.map((r) => `${r.enabled === false ? 0 : 1}${r.mode ?? 'regex'}\u0000${r.search}\u0000${r.replace}`).join('\u0001')}`;
}

function recall(key: string): PreparedRules | undefined {
  const hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit);
  }
  return hit;
}

function remember(key: string, p: PreparedRules): PreparedRules {
  if (prepared.size >= PREPARED_SIZE) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, p);
  return p;
}

export function prepareRules(rules: readonly RuleInput[], options: FormatOptions = {}): PreparedRules {
  const key = preparedKey(rules, options);
  const hit = recall(key);
  if (hit) return hit;
  const compiled = compileRules(rules);
  return remember(key, { compiled, lint: lintRules(compiled, options) });
}

/** Compile, lint and trace one number in one call (the console's live check). */
export function checkNumber(rules: readonly RuleInput[], input: string, options: FormatOptions = {}): CheckTrace {
  const { compiled, lint } = prepareRules(rules, options);
  return traceNumber(compiled, input, lint, options);
}

const normalised = (input: string, options: FormatOptions) => (options.normalise === false ? input : normaliseNumber(input));

/**
 * prepareRules for a call that will check these numbers: the work of linting and matching is estimated
 * from the compiled rules before either runs, and the call is refused (RulesWorkError) beyond the limits;
 * compiling and linting run in slices.
 */
async function prepareWithin(rules: readonly RuleInput[], options: FormatOptions, numbers: string[], limits: WorkLimits, trace = false): Promise<PreparedRules> {
  const key = preparedKey(rules, options);
  const hit = recall(key);
  if (hit) {
    enforceLimits(estimateMatchWork(hit.compiled, numbers, undefined, trace), limits);
    return hit;
  }
  const compiled = await runSliced(compileSteps(rules), limits.slice);
  enforceLimits(estimateMatchWork(compiled, numbers, estimateLintWork(compiled), trace), limits);
  return remember(key, { compiled, lint: await runSliced(lintSteps(compiled, options), limits.slice) });
}

/** checkNumber for the API: bounded work, run in slices so the process keeps answering other calls. */
export async function checkNumberWithin(rules: readonly RuleInput[], input: string, options: FormatOptions = {}, limits: WorkLimits = DEFAULT_LIMITS): Promise<CheckTrace> {
  const { compiled, lint } = await prepareWithin(rules, options, [normalised(input, options)], limits, true);
  return runSliced(traceSteps(compiled, input, lint, options), limits.slice);
}

/** checkBulk for the API: bounded work, run in slices. */
export async function checkBulkWithin(
  rules: readonly RuleInput[],
  rows: Array<{ input: string; expected?: string }>,
  options: FormatOptions = {},
  limits: WorkLimits = DEFAULT_LIMITS,
): Promise<BulkResult> {
  const { compiled, lint } = await prepareWithin(
    rules,
    options,
    rows.map((r) => normalised(r.input, options)),
    limits,
  );
  return runSliced(bulkSteps(compiled, rows, options, lint), limits.slice);
}

/** lintRules for the API: bounded work, run in slices. */
export async function lintWithin(rules: readonly RuleInput[], options: FormatOptions = {}, limits: WorkLimits = DEFAULT_LIMITS): Promise<RuleIssue[]> {
  return [...(await prepareWithin(rules, options, [], limits)).lint];
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
