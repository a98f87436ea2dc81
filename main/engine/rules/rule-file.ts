import { numberFormatSchema, RULE_LISTS, type NumberFormat } from '../../../shared/model/rules';
import { compileRules } from './formatter';
import { jsonErrorOffset } from './json-position';

/** Why a rule file cannot be used: where (line/column in the text, or list and rule) and what. */
export interface RuleFileError {
  code: 'RULE_FILE_JSON' | 'RULE_FILE_SCHEMA' | 'RULE_PATTERN_INVALID';
  message: string;
  line?: number;
  column?: number;
  /** JSON path of the offending value, e.g. `incoming.0.search`. */
  path?: string;
  list?: string;
  /** 1-based rule index. */
  rule?: number;
  /** 1-based position in the pattern. */
  position?: number;
}

export type RuleFileResult = { ok: true; format: NumberFormat } | { ok: false; errors: RuleFileError[] };

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Reads the JSON rule-set format (docs/rules.md). `mode` defaults to regex and `enabled` to true;
 * unknown top-level keys are rejected so that a typo does not silently lose rules.
 * With `checkPatterns`, an invalid pattern is an error too (the CLI refuses such files).
 */
export function parseRuleFile(text: string, options: { checkPatterns?: boolean } = {}): RuleFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const where = lineColumn(text, jsonErrorOffset(text));
    return { ok: false, errors: [{ code: 'RULE_FILE_JSON', message: `not valid JSON at line ${where.line}, column ${where.column}: ${(e as Error).message}`, ...where }] };
  }
  const parsed = numberFormatSchema.strict().safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const path = i.path.join('.');
        const err: RuleFileError = { code: 'RULE_FILE_SCHEMA', message: `${path || 'file'}: ${i.message}`, path };
        const [list, idx] = i.path;
        if (typeof list === 'string' && (RULE_LISTS as readonly string[]).includes(list) && typeof idx === 'number') {
          err.list = list;
          err.rule = idx + 1;
          err.message = `${list} rule ${idx + 1}: ${i.path.slice(2).join('.') || 'rule'}: ${i.message}`;
        }
        return err;
      }),
    };
  }
  if (options.checkPatterns) {
    const errors: RuleFileError[] = [];
    for (const list of RULE_LISTS) {
      for (const r of compileRules(parsed.data[list])) {
        if (!r.error) continue;
        errors.push({
          code: 'RULE_PATTERN_INVALID',
          message: `${list} rule ${r.index}: pattern "${r.search}": ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}`,
          list,
          rule: r.index,
          position: r.error.offset + 1,
        });
      }
    }
    if (errors.length) return { ok: false, errors };
  }
  return { ok: true, format: parsed.data };
}

/** Writes a rule set in the documented form, every field explicit, tests included. */
export function exportRuleFile(format: NumberFormat): string {
  const rules = (list: NumberFormat['incoming']) =>
    list.map((r) => ({ enabled: r.enabled, mode: r.mode, search: r.search, replace: r.replace, ...(r.note !== undefined ? { note: r.note } : {}) }));
  const tests = (list: NumberFormat['tests']['incoming']) => list.map((t) => ({ input: t.input, expected: t.expected }));
  const out = {
    incoming: rules(format.incoming),
    outgoing: rules(format.outgoing),
    dialing: rules(format.dialing),
    tests: { incoming: tests(format.tests.incoming), outgoing: tests(format.tests.outgoing), dialing: tests(format.tests.dialing) },
  };
  return JSON.stringify(out, null, 2) + '\n';
}
