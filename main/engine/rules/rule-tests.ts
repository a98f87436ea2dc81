import type { BulkResult, BulkRow, RuleIssue, RuleTestReport, RuleTestResult } from '../../../shared/api/rules';
import { RULE_LISTS, type NumberFormat, type RuleListName } from '../../../shared/model/rules';
import { compileRules, formatNumber, normaliseNumber, type CompiledRule, type FormatOptions } from './formatter';
import { lintRules } from './lint';

/** Runs the test cases stored with each list (input → expected output; empty expected = suppressed). */
export function runRuleTests(format: NumberFormat, options: FormatOptions & { list?: RuleListName } = {}): RuleTestReport {
  const results: RuleTestResult[] = [];
  const warnings: RuleIssue[] = [];
  for (const list of RULE_LISTS) {
    if (options.list && options.list !== list) continue;
    const compiled = compileRules(format[list]);
    for (const w of lintRules(compiled, options)) if (w.severity === 'error') warnings.push({ ...w, list });
    format.tests[list].forEach((t, k) => {
      const r = formatNumber(compiled, t.input, options);
      results.push({ list, test: k + 1, input: t.input, expected: t.expected, actual: r.output, outcome: r.outcome, rule: r.rule, pass: r.output === t.expected });
    });
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
  const counts = { rewritten: 0, suppressed: 0, unchanged: 0, passed: 0, failed: 0 };
  const out: BulkRow[] = rows.map(({ input, expected }) => {
    const r = formatNumber(rules, input, options);
    counts[r.outcome]++;
    const normalised = options.normalise === false ? input : normaliseNumber(input);
    const row: BulkRow = { input, normalised, output: r.output, outcome: r.outcome, rule: r.rule };
    if (expected !== undefined) {
      row.expected = expected;
      row.pass = r.output === expected;
      if (row.pass) counts.passed++;
      else counts.failed++;
    }
    return row;
  });
  return { rows: out, counts, warnings: [...lint] };
}
