import { readFileSync } from 'node:fs';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, group, parseOptions, requireOption, UsageError, type CliIO, type Command } from '../command';
import { RULE_LISTS, type NumberFormat, type RuleListName } from '../../../shared/model/rules';
import type { RuleIssue } from '../../../shared/api/rules';
import { compileRules, lintRules, parseRuleFile, runRuleTests, traceNumber } from '../../engine/rules';

/** Reads a file the user named; a missing or unreadable file is bad input (exit 2), reported with its path. */
export function readUserFile(path: string, what: string, io: CliIO): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr(`${path}: cannot read the ${what}: ${err.code ?? err.message}\n`);
    return null;
  }
}

/** Loads and checks a rule file; prints every problem (file, list, rule, position) and returns null on failure. */
function loadRuleFile(path: string, io: CliIO): NumberFormat | null {
  const text = readUserFile(path, 'rule file', io);
  if (text === null) return null;
  const r = parseRuleFile(text, { checkPatterns: true });
  if (r.ok) return r.format;
  for (const e of r.errors) {
    const where = e.line !== undefined ? `${path}:${e.line}:${e.column}` : path;
    io.stderr(`${where}: ${e.message}\n`);
  }
  return null;
}

function parseList(value: string | undefined): RuleListName {
  const list = requireOption(value, '--list');
  if (!(RULE_LISTS as readonly string[]).includes(list)) throw new UsageError(`--list must be one of ${RULE_LISTS.join(', ')}, got "${list}"`);
  return list as RuleListName;
}

const describeIssue = (list: string, i: RuleIssue) => `${i.severity}: ${list} ${i.message}`;

const checkUsage = 'linekeeper rules check --rules FILE --list incoming|outgoing|dialing [--json] NUMBER...';
const check: Command = {
  name: 'check',
  summary: 'format numbers with one list of a rule file (one output per number)',
  usage: checkUsage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { rules: { type: 'string' }, list: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
    const file = requireOption(values.rules, '--rules');
    const list = parseList(values.list);
    if (positionals.length === 0) throw new UsageError('give at least one NUMBER to check');
    const format = loadRuleFile(file, io);
    if (!format) return EXIT_USAGE;
    const compiled = compileRules(format[list]);
    const lint = lintRules(compiled);
    if (!values.json) for (const w of lint) if (w.severity === 'warning') io.stderr(describeIssue(list, w) + '\n');
    for (const number of positionals) {
      const t = traceNumber(compiled, number, lint);
      if (!values.json) {
        io.stdout(t.output + '\n');
        continue;
      }
      // The warnings of every rule this number went through, up to the winner: a skipped invalid rule or a
      // `\d` that never matched matters as much as the winner's own warnings.
      const tried = new Set(t.steps.filter((st) => st.result !== 'not-tried').map((st) => st.rule));
      const warnings = t.warnings.filter((w) => w.rule !== null && tried.has(w.rule)).map((w) => w.message);
      io.stdout(JSON.stringify({ input: number, output: t.output, suppressed: t.suppressed, rule: t.rule, groups: t.groups, warnings }) + '\n');
    }
    return EXIT_OK;
  },
};

const testUsage = 'linekeeper rules test --rules FILE [--list incoming|outgoing|dialing]';
const testCmd: Command = {
  name: 'test',
  summary: 'run the test cases stored in a rule file; exit 1 when any fails',
  usage: testUsage,
  async run(argv, io) {
    const { values } = parseOptions(argv, { rules: { type: 'string' }, list: { type: 'string' } });
    const file = requireOption(values.rules, '--rules');
    const list = values.list === undefined ? undefined : parseList(values.list);
    const format = loadRuleFile(file, io);
    if (!format) return EXIT_USAGE;
    const report = runRuleTests(format, { list });
    for (const r of report.results) {
      if (r.pass) continue;
      const why = r.rule === null ? 'no rule matched' : `rule ${r.rule} matched`;
      io.stdout(`FAIL ${r.list} test ${r.test}: "${r.input}" expected "${r.expected}", got "${r.actual}" (${why})\n`);
    }
    io.stdout(`${report.passed} passed, ${report.failed} failed\n`);
    return report.failed > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

const lintUsage = 'linekeeper rules lint --rules FILE';
const lintCmd: Command = {
  name: 'lint',
  summary: 'print the warnings for every rule of a rule file',
  usage: lintUsage,
  async run(argv, io) {
    const { values } = parseOptions(argv, { rules: { type: 'string' } });
    const file = requireOption(values.rules, '--rules');
    const text = readUserFile(file, 'rule file', io);
    if (text === null) return EXIT_USAGE;
    const r = parseRuleFile(text);
    if (!r.ok) {
      for (const e of r.errors) io.stderr(`${file}${e.line !== undefined ? `:${e.line}:${e.column}` : ''}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    let errors = 0;
    for (const list of RULE_LISTS) {
      for (const i of lintRules(compileRules(r.format[list]))) {
        if (i.severity === 'error') errors++;
        io.stdout(describeIssue(list, i) + '\n');
      }
    }
    return errors > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

export const rulesCommand = group('rules', 'check, test and lint number-format rule files', [check, testCmd, lintCmd]);
