import type { BulkResult, BulkRow, RuleIssue, RuleTestReport, RuleTestResult } from '../../../shared/api/rules';
import { RULE_LISTS, type NumberFormat, type RuleListName } from '../../../shared/model/rules';
import { compileRules, compileSteps, estimateMatchWork, formatSteps, normaliseNumber, type CompiledRule, type FormatOptions } from './formatter';
import { DEFAULT_LIMITS, emptyEstimate, enforceLimits, runAtOnce, runSliced, type Steps, type WorkLimits } from './check-budget';
import { estimateLintWork, lintRules, lintSteps } from './lint';

type CompiledLists = Partial<Record<RuleListName, CompiledRule[]>>;

const listsOf = (only?: RuleListName) => RULE_LISTS.filter((l) => !only || only === l);
const normalisedFor = (input: string, options: FormatOptions) => (options.normalise === false ? input : normaliseNumber(input));

/** Runs the test cases stored with each list (input → expected output; empty expected = suppressed). */
export function runRuleTests(format: NumberFormat, options: FormatOptions & { list?: RuleListName } = {}): RuleTestReport {
  const compiled: CompiledLists = {};
  for (const list of listsOf(options.list)) compiled[list] = compileRules(format[list]);
  return runAtOnce(ruleTestSteps(format, compiled, options));
}

/** runRuleTests for the API: the work is estimated after compiling and refused beyond the limits; runs in slices. */
export async function runRuleTestsWithin(format: NumberFormat, options: FormatOptions & { list?: RuleListName } = {}, limits: WorkLimits = DEFAULT_LIMITS): Promise<RuleTestReport> {
  const compiled: CompiledLists = {};
  const estimate = emptyEstimate();
  for (const list of listsOf(options.list)) {
    const rules = await runSliced(compileSteps(format[list]), limits.slice);
    compiled[list] = rules;
    estimateLintWork(rules, estimate);
    estimateMatchWork(rules, format.tests[list].map((t) => normalisedFor(t.input, options)), estimate);
  }
  enforceLimits(estimate, limits);
  return runSliced(ruleTestSteps(format, compiled, options), limits.slice);
}

function* ruleTestSteps(format: NumberFormat, compiled: CompiledLists, options: FormatOptions): Steps<RuleTestReport> {
  const results: RuleTestResult[] = [];
  const warnings: RuleIssue[] = [];
  for (const list of RULE_LISTS) {
    const rules = compiled[list];
    if (!rules) continue;
    for (const w of yield* lintSteps(rules, options)) if (w.severity === 'error') warnings.push({ ...w, list });
    for (const [k, t] of format.tests[list].entries()) {
      const r = yield* formatSteps(rules, normalisedFor(t.input, options));
      results.push({ list, test: k + 1, input: t.input, expected: t.expected, actual: r.output, outcome: r.outcome, rule: r.rule, pass: r.output === t.expected });
    }
  }
  const passed = results.filter((r) => r.pass).length;
  return { passed, failed: results.length - passed, results, warnings };
}

/** Splits pasted text into numbers: one per line, optionally `number,expected` (or `;` / tab separated). */
export function parseBulkText(text: string): Array<{ input: string; expected?: string }> {
  const rows: Array<{ input: string; expected?: string }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const sep = line.search(/[,;\t]/);
    if (sep < 0) rows.push({ input: line });
    else rows.push({ input: line.slice(0, sep).trim(), expected: line.slice(sep + 1).trim() });
  }
  return rows;
}

/** Checks many numbers against one list; rows with an expected value get pass/fail. */
export function checkBulk(
  rules: readonly CompiledRule[],
  rows: Array<{ input: string; expected?: string }>,
  options: FormatOptions = {},
  lint: RuleIssue[] = lintRules(rules, options),
): BulkResult {
  return runAtOnce(bulkSteps(rules, rows, options, lint));
}

/** checkBulk rule by rule, yielding the estimated work of each rule tried (for checks run in slices). */
export function* bulkSteps(rules: readonly CompiledRule[], rows: Array<{ input: string; expected?: string }>, options: FormatOptions, lint: RuleIssue[]): Steps<BulkResult> {
  const counts = { rewritten: 0, suppressed: 0, unchanged: 0, passed: 0, failed: 0 };
  const out: BulkRow[] = [];
  for (const { input, expected } of rows) {
    const normalised = options.normalise === false ? input : normaliseNumber(input);
    yield input.length + 1;
    const r = yield* formatSteps(rules, normalised);
    counts[r.outcome]++;
    const row: BulkRow = { input, normalised, output: r.output, outcome: r.outcome, rule: r.rule };
    if (expected !== undefined) {
      row.expected = expected;
      row.pass = r.output === expected;
      if (row.pass) counts.passed++;
      else counts.failed++;
    }
    out.push(row);
  }
  return { rows: out, counts, warnings: [...lint] };
}
