import type { RuleIssue } from '../../../shared/api/rules';
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
}

const PORTS = new Set(['port', 'axlPort', 'sipPort', 'cmeSipPort', 'pbxPort', 'tcpPort']);
const SECONDS = new Set(['snapshotInterval', 'monitorRetryInterval', 'updateLinesInterval']);
const FORMATS = new Set(['sessionServerId', 'urlPrefix', 'httpProxy']);
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
    case 'custom':
      return messageProblem(text);
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
  const m = issue.message;
  switch (issue.code) {
    case 'SHADOWED': {
      const same = /rule (\d+) has the same (text|pattern)/.exec(m);
      const all = /rule (\d+) matches every number/.exec(m);
      const already = /rule (\d+) already matches "(.*)"/.exec(m);
      if (same) return { key: `lint.SHADOWED_same_${same[2]}`, params: { ...params, earlier: same[1] }, text };
      if (all) return { key: 'lint.SHADOWED_all', params: { ...params, earlier: all[1] }, text };
      if (already) return { key: 'lint.SHADOWED_already', params: { ...params, earlier: already[1], value: already[2] }, text };
      return fallback(text);
    }
    case 'PATTERN_INVALID': {
      const p = /invalid pattern, (.+?) at position (\d+): (.*); the rule is skipped$/.exec(m);
      return p ? { key: 'lint.PATTERN_INVALID', params: { ...params, driver: p[1], position: p[2], detail: patternDetail(p[3], issue.hint) }, text } : fallback(text);
    }
    case 'GROUP_MISSING': {
      const g = /has (no groups|only (\d+) groups?)/.exec(m);
      return { key: g?.[2] ? 'lint.GROUP_MISSING_only' : 'lint.GROUP_MISSING_none', params: { ...params, count: Number(g?.[2] ?? 0) }, text };
    }
    case 'TEXT_NEVER_MATCHES':
      return { key: 'lint.TEXT_NEVER_MATCHES', params: { ...params, value: rule?.search ?? '' }, text };
    case 'PARTIAL_MATCH': {
      const p = /characters (\d+)\.\.(\d+) of (\d+) \("(.*)"\)/.exec(m);
      return p ? { key: 'lint.PARTIAL_MATCH', params: { ...params, from: p[1], to: p[2], length: p[3], value: p[4] }, text } : fallback(text);
    }
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

/**
 * Main's sentences that carry no code (location, lines, import rows, SIP-filter rules, stored settings), read by
 * their fixed wording. `problems.test.ts` feeds this main's real output, so a reworded sentence fails a test.
 */
const SENTENCES: Array<[RegExp, string, string[]]> = [
  [/^the multiplexer is used with its shipped login admin\/admin: change the password on the multiplexer and here$/, 'warnings.defaultLogin', []],
  [/^GetSwitchingFunctionDevices did not work \((.*)\); the Panasonic device list was asked for instead$/, 'warnings.fallbackEscape', ['detail']],
  [/^the Panasonic device list did not work \((.*)\); the extension ranges were probed with SnapshotDevice$/, 'warnings.fallbackProbe', ['detail']],
  [/^"(.*)" at position (\d+): expected an extension like 300 or a range like 100-199$/, 'location.notRange', ['value', 'position']],
  [/^"(.*)" at position (\d+): extensions have at most (\d+) digits$/, 'location.tooManyDigits', ['value', 'position', 'max']],
  [/^"(.*)" at position (\d+): the range runs backwards; write (.*)$/, 'location.backwards', ['value', 'position', 'fix']],
  [/^"(.*)" at position (\d+) overlaps "(.*)"$/, 'location.overlaps', ['value', 'position', 'other']],
  [/^location "(.*)" is not of the form country\(area\)number, e\.g\. 49\(89\)1234$/, 'location.notLocation', ['value']],
  [/^SIP filter rule (\d+): invalid pattern "(.*)", (.+?) at position (\d+): (.*); the rule is skipped$/, 'sip.invalidPattern', ['rule', 'pattern', 'driver', 'position', 'detail']],
  [/^"(.*)" is not a valid number \(digits, \* and #, optional leading \+, at most 32\)( \(does the file use another format\? see --format\))?$/, 'line.badNumber', ['value']],
  [/^name is longer than (\d+) characters$/, 'line.nameLong', ['max']],
  [/^name must not contain line breaks$/, 'line.nameBreaks', []],
  [/^device IDs exist only on CME lines$/, 'line.deviceIdCme', []],
  [/^"(.*)" is not a MAC address \(12 hex digits, optionally after SEP\)$/, 'line.badMac', ['value']],
  [/^additional line buttons exist only on CME lines$/, 'line.buttonsCme', []],
  [/^line button "(.*)" is not a valid number$/, 'line.badButton', ['value']],
  [/^a Super-Twin mobile address exists only on Panasonic lines$/, 'line.mobilePanasonic', []],
  [/^mobile address "(.*)" is not a valid number$/, 'line.badMobile', ['value']],
  [/^user IDs exist only on BroadWorks lines$/, 'line.userIdBroadworks', []],
  [/^user ID "(.*)" must be 1-128 characters without spaces$/, 'line.badUserId', ['value']],
  [/^number (\S+) appears again \(first on line (\d+)\)$/, 'line.repeated', ['value', 'first']],
  // Duplicates within a list; an import names the file line or the instance's own line instead of the index.
  [/^number (\S+) is already line (?:on file line )?(\d+)$/, 'line.repeated', ['value', 'first']],
  [/^number (\S+) is already line (\d+) of the instance$/, 'line.inInstance', ['value', 'first']],
  [/^number (\S+) on device (\S+) is already line (?:on file line )?(\d+)$/, 'line.repeatedOnDevice', ['value', 'device', 'first']],
  [/^number (\S+) on device (\S+) is already line (\d+) of the instance$/, 'line.inInstanceOnDevice', ['value', 'device', 'first']],
  [/^device (\S+) is already used by line (?:on file line )?(\d+)$/, 'line.deviceUsed', ['device', 'first']],
  [/^device (\S+) is already used by line (\d+) of the instance$/, 'line.deviceInInstance', ['device', 'first']],
  [/^number (\S+) is on (\d+) devices; give the device ID to say which line this row is$/, 'line.manyDevices', ['value', 'count']],
  [/^the file holds no lines$/, 'import.noLines', []],
  [/^a quoted field is never closed \(missing "\)$/, 'import.openQuote', []],
  [/^unexpected text after a closing quote: (.*)$/, 'import.afterQuote', ['value']],
  [/^a quote inside an unquoted field: (.*)$/, 'import.strayQuote', ['value']],
  [/^the file is empty: a CSV import needs a header row/, 'import.noHeader', []],
  [/^column "(.*)" repeats the (\S+) column$/, 'import.repeatedColumn', ['value', 'field']],
  [/^column (\d+) "(.*)" is not a line field and is ignored \(known: (.*)\)$/, 'import.unknownColumn', ['column', 'value', 'known']],
  [/^the header has no number column \(found: (.*)\)$/, 'import.noNumberColumn', ['value']],
  [/^the row has (\d+) cells but the header has (\d+) columns$/, 'import.cellCount', ['cells', 'columns']],
  [/^host must not be empty$/, 'validation.hostEmpty', []],
  [/^name must not be empty$/, 'validation.nameEmpty', []],
  [/^TLS is only available through the CSTA multiplexer$/, 'validation.tlsMux', []],
  [/^an HTTP proxy cannot be used with the CTI connection$/, 'validation.proxyCti', []],
];

/** What is wrong in an invalid search pattern (the part after the driver's short text), with main's likely fix. */
const PATTERN_DETAILS: Array<[RegExp, string, string[]]> = [
  [/^the group opened here is never closed$/, 'pattern.groupOpen', []],
  [/^this "\)" closes no group$/, 'pattern.closesNone', []],
  [/^"(.)" repeats something that can match nothing$/, 'pattern.emptyRepeat', ['op']],
  [/^"(.)" directly follows "(.)"; lazy or possessive repeats do not exist here$/, 'pattern.nested', ['char', 'op']],
  [/^at most (\d+) groups are allowed$/, 'pattern.tooManyGroups', ['max']],
  [/^"(.)" has nothing before it to repeat$/, 'pattern.nothingBefore', ['char']],
  [/^the pattern ends with a lone backslash$/, 'pattern.trailing', []],
  [/^"(.*)" runs backwards$/, 'pattern.rangeBackwards', ['range']],
  [/^the "\[" opened here is never closed$/, 'pattern.bracketOpen', []],
];
const PATTERN_HINTS: Array<[RegExp, string, string[]]> = [
  [/^a literal "(.)" needs a backslash: write (.*) instead of (.*)$/, 'pattern.hintInstead', ['char', 'fix', 'wrong']],
  [/^a literal "(.)" needs a backslash: (.*)$/, 'pattern.hintBackslash', ['char', 'fix']],
  [/^write (.*)$/, 'pattern.hintWrite', ['fix']],
];

function byTable(table: Array<[RegExp, string, string[]]>, text: string): Problem {
  for (const [re, key, names] of table) {
    const m = re.exec(text);
    if (m) return { key, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])), text };
  }
  return fallback(text);
}

function patternDetail(detail: string, hint?: string): Problem {
  const main = byTable(PATTERN_DETAILS, detail);
  if (!hint) return main;
  return { key: 'pattern.withHint', params: { detail: main, hint: byTable(PATTERN_HINTS, hint) }, text: `${detail}; ${hint}` };
}

export function messageProblem(text: string): Problem {
  const p = byTable(SENTENCES, text);
  if (typeof p.params?.detail === 'string') p.params.detail = patternDetail(p.params.detail);
  return p;
}

/** A bad import row: by its code and params when main gives them, else by main's sentence. */
export function linesRowProblem(p: LinesRowProblem): Problem {
  if (!p.code) return messageProblem(p.message);
  const params: Problem['params'] = { ...p.params };
  if (p.params?.field !== undefined) params.field = { key: `import.field.${p.params.field}`, text: String(p.params.field) };
  return { key: `import.${p.code}`, params, text: p.message };
}

/** A stored-settings problem from main (`SETTINGS_INVALID` / `INVALID_INPUT` details): field path plus sentence. */
export function detailProblem(d: { path?: string; message: string }): Problem {
  const p = messageProblem(d.message);
  if (p.key) return p;
  const z = zodProblemFromSentence(d.path ?? '', d.message);
  return z.key ? z : fallback(d.message);
}

/** Main sends schema issues as sentences only; the schemas' own wording names the bound. */
function zodProblemFromSentence(path: string, message: string): Problem {
  const field = path.split('.').pop() ?? '';
  if (/must be 1-65535$/.test(message)) return zodProblem({ code: 'too_big', path: [field], message, origin: 'number' });
  const least = /^must be at least (\d+) seconds$/.exec(message);
  if (least) return zodProblem({ code: 'too_small', path: [field], message, origin: 'number', minimum: Number(least[1]) });
  const most = /^must be at most (\d+) seconds$/.exec(message);
  if (most) return zodProblem({ code: 'too_big', path: [field], message, origin: 'number', maximum: Number(most[1]) });
  return fallback(message);
}

/** Turns a problem into text with a translate function; unknown keys give main's English. */
export function problemText(t: (key: string, params?: Record<string, unknown>) => string, exists: (key: string) => boolean, p: Problem | string): string {
  const problem = typeof p === 'string' ? messageProblem(p) : p;
  const key = `problems.${problem.key}`;
  if (!problem.key || !exists(key)) return problem.text;
  const params: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(problem.params ?? {})) params[n] = typeof v === 'object' ? problemText(t, exists, v) : v;
  return t(key, params);
}
