import type { RuleIssue } from '../../../shared/api/rules';
import type { Coded } from '../../../shared/problems';
import type { LinesRowProblem } from '../../../shared/api/lines-io';

/**
 * Problems found by the shared schemas and by main arrive as English sentences. Here they become a translation
 * key plus parameters (from the zod issue code and bounds, the rule engine's code and position, or the facts in
 * main's sentence), so the German UI shows German. `text` is main's English, shown when no key fits.
 */
export interface Problem {
  key: string;
  /** A parameter that is itself a Problem (a field name, a pattern error's detail) is translated first. */
  params?: Record<string, string | number | Problem>;
  text: string;
}

const fallback = (text: string): Problem => ({ key: '', text });

/** The part of a zod issue this module reads (zod v4 issues are plain objects). */
export interface IssueLike {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
  expected?: string;
  values?: readonly unknown[];
  params?: unknown;
}

const PORTS = new Set(['port', 'axlPort', 'sipPort', 'cmeSipPort', 'pbxPort', 'tcpPort']);
const SECONDS = new Set(['snapshotInterval', 'monitorRetryInterval', 'updateLinesInterval']);
const FORMATS = new Set(['sessionServerId', 'urlPrefix', 'httpProxy', 'provider']);
const NAMED = new Set(['host', 'pbxHost', 'user', 'name', 'notes', 'password']);

/** A schema issue as a key: ports by range, intervals in seconds, lengths, formats per field. */
export function zodProblem(issue: IssueLike): Problem {
  const field = String([...issue.path].reverse().find((p) => typeof p === 'string') ?? '');
  const what: Problem = { key: NAMED.has(field) ? `what.${field}` : 'what.value', text: field };
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  const text = issue.message;
  const notNumber = issue.code === 'invalid_type' && issue.expected === 'number';
  if (notNumber) return { key: 'validation.notNumber', text };
  if (PORTS.has(field) && ['too_small', 'too_big', 'invalid_type'].includes(issue.code)) {
    return { key: 'validation.port', params: { what: { key: `what.${field}`, text: field } }, text };
  }
  if (SECONDS.has(field)) {
    if (issue.code === 'too_small') return { key: 'validation.secondsMin', params: { minimum: min }, text };
    if (issue.code === 'too_big') return { key: 'validation.secondsMax', params: { maximum: max }, text };
    if (issue.code === 'invalid_type') return { key: 'validation.secondsWhole', text };
  }
  if (FORMATS.has(field) && issue.code === 'invalid_format') return { key: `validation.format_${field}`, text };
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && min <= 1) return { key: 'validation.empty', params: { what }, text };
      if (issue.origin === 'number') return { key: 'validation.min', params: { minimum: min }, text };
      break;
    case 'too_big':
      if (issue.origin === 'string') return { key: 'validation.tooLong', params: { what, maximum: max }, text };
      if (issue.origin === 'number') return { key: 'validation.max', params: { maximum: max }, text };
      break;
    case 'invalid_type':
      if (issue.expected === 'int') return { key: 'validation.whole', text };
      break;
    case 'invalid_value':
      return { key: 'validation.oneOf', params: { values: (issue.values ?? []).join(', ') }, text };
    case 'invalid_format':
      return { key: 'validation.format', text };
    case 'custom': {
      const problem = (issue.params as { problem?: Coded } | undefined)?.problem;
      return problem ? codedProblem(problem) : fallback(text);
    }
  }
  return fallback(text);
}

/** The rule a lint finding is about, to quote the characters its position points at. */
export interface RuleText {
  search: string;
  replace: string;
}

/** A lint or check finding by its code; positions are shown 1-based, quoted characters come from the rule. */
export function ruleIssueProblem(issue: RuleIssue, rule?: RuleText): Problem {
  const text = issue.hint ? `${issue.message} ${issue.hint}` : issue.message;
  const at = (issue.offset ?? 0) + 1;
  const quoted = rule && issue.offset !== undefined ? (issue.field === 'replace' ? rule.replace : rule.search).slice(issue.offset, issue.offset + (issue.length ?? 1)) : '';
  const params: Record<string, string | number | Problem> = { rule: issue.rule ?? '', position: at, quoted };
  const f = issue.params ?? {};
  switch (issue.code) {
    case 'SHADOWED':
      return f.kind ? { key: `lint.SHADOWED_${f.kind}`, params: { ...params, earlier: f.earlier as number, value: f.value as string }, text } : fallback(text);
    case 'PATTERN_INVALID': {
      if (typeof f.detail !== 'object') return fallback(text);
      const detail = codedProblem(f.detail);
      const withHint: Problem = typeof f.hint === 'object' ? { key: 'pattern.withHint', params: { detail, hint: codedProblem(f.hint) }, text: `${detail.text}; ${f.hint.message}` } : detail;
      return { key: 'lint.PATTERN_INVALID', params: { ...params, driver: f.driver as string, position: f.position as number, detail: withHint }, text };
    }
    case 'GROUP_MISSING': {
      const count = Number(f.count ?? 0);
      return { key: count ? 'lint.GROUP_MISSING_only' : 'lint.GROUP_MISSING_none', params: { ...params, count }, text };
    }
    case 'TEXT_NEVER_MATCHES':
      return { key: 'lint.TEXT_NEVER_MATCHES', params: { ...params, value: rule?.search ?? '' }, text };
    case 'PARTIAL_MATCH':
      return f.from === undefined ? fallback(text) : { key: 'lint.PARTIAL_MATCH', params: { ...params, from: f.from as number, to: f.to as number, length: f.length as number, value: f.value as string }, text };
    case 'SUPPRESSES':
    case 'TEXT_LITERAL_GROUP':
    case 'REPLACE_BACKSLASH':
    case 'DIALECT_ESCAPE':
    case 'DIALECT_BRACE':
    case 'BACKTRACKING':
    case 'MATCHES_EMPTY':
    case 'UNANCHORED_START':
    case 'UNANCHORED_END':
    case 'EMPTY_OUTPUT':
      return { key: `lint.${issue.code}`, params, text };
  }
  return fallback(text);
}

/** A problem main sent with its code: the code is the translation key, nested coded facts are translated too. */
export function codedProblem(c: Coded): Problem {
  const params: NonNullable<Problem['params']> = {};
  for (const [n, v] of Object.entries(c.params ?? {})) params[n] = typeof v === 'object' ? codedProblem(v) : v;
  return { key: c.code, params, text: c.message };
}

/** A bad import row by its code and params; row codes of their own (`LINES_CONTROL_CHARACTER`) live under import. */
export function linesRowProblem(p: LinesRowProblem): Problem {
  if (!p.code) return fallback(p.message);
  const problem = codedProblem({ code: p.code.includes('.') ? p.code : `import.${p.code}`, params: p.params, message: p.message });
  if (p.code === 'LINES_CONTROL_CHARACTER' && p.params?.field !== undefined) problem.params!.field = { key: `import.field.${p.params.field}`, text: String(p.params.field) };
  return problem;
}

/**
 * A field problem from main (`SETTINGS_INVALID` / `INVALID_INPUT` issues, `LINES_INVALID` problems): by its coded
 * problem, its own code, or zod's code and bounds.
 */
export function detailProblem(d: { path?: string; message: string; code?: string; params?: Coded['params']; problem?: Coded; issue?: Omit<IssueLike, 'path' | 'message'> }): Problem {
  if (d.problem) return codedProblem(d.problem);
  if (d.code?.includes('.')) return codedProblem({ code: d.code, params: d.params, message: d.message });
  if (d.issue) return zodProblem({ ...d.issue, path: (d.path ?? '').split('.'), message: d.message });
  return fallback(d.message);
}

/** Turns a problem into text with a translate function; unknown keys give main's English. */
export function problemText(t: (key: string, params?: Record<string, unknown>) => string, exists: (key: string) => boolean, p: Problem | Coded | string): string {
  const problem = typeof p === 'string' ? fallback(p) : 'key' in p ? p : codedProblem(p);
  const key = `problems.${problem.key}`;
  if (!problem.key || !exists(key)) return problem.text;
  const params: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(problem.params ?? {})) params[n] = typeof v === 'object' ? problemText(t, exists, v) : v;
  return t(key, params);
}
