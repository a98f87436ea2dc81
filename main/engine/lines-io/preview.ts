import { coded, type Coded, type ProblemCode } from '../../../shared/problems';
import type { Family, Line } from '../../../shared/model/line';
import { familySpec } from '../../../shared/families';
import { checkLine, checkLines, lineKey, normalizeLine, type LineProblem } from '../../../shared/model/instance';
import { decodeText, type TextEncoding } from './decode';
import { parseCsvFormat } from './csv-format';
import { LINE_FORMATS } from './text-formats';
import { changedFields, rowControlProblem, type ImportRow, type LineField, type LinesFormat, type ParsedRow, type RowProblem } from './row';

export interface ParsedImport {
  format: LinesFormat;
  encoding: TextEncoding;
  delimiter?: ',' | ';';
  /**
   * The rows in file order, read from the text again on every pass: a file of a million rows is never held
   * as rows, only as its text and the lines it makes. Their values are checked by previewImport.
   */
  rows: Iterable<ParsedRow>;
  /** Problems with the file as a whole (the CSV header), by file line. */
  errors: RowProblem[];
  warnings: RowProblem[];
}

/** Reads a file's bytes (encoding detected) in one of the formats; rows are read when previewImport walks them. */
export function parseImport(bytes: Uint8Array, format: LinesFormat): ParsedImport {
  const { text, encoding } = decodeText(bytes);
  if (format === 'csv') {
    const { rows, problems, warnings, delimiter } = parseCsvFormat(text);
    return { format, encoding, delimiter, rows, errors: problems, warnings };
  }
  const { read } = LINE_FORMATS[format];
  return { format, encoding, rows: { [Symbol.iterator]: () => read(text) }, errors: [], warnings: [] };
}

export interface AddedLine {
  line: number;
  after: Line;
}
export interface ChangedLine {
  line: number;
  before: Line;
  after: Line;
  fields: LineField[];
}
export interface UnchangedLine {
  line: number;
  number: string;
}

export interface ImportPreview {
  format: LinesFormat;
  encoding: TextEncoding;
  delimiter?: ',' | ';';
  added: AddedLine[];
  changed: ChangedLine[];
  unchanged: UnchangedLine[];
  /** Every bad row, sorted by file line; a bad row is in none of the lists above. */
  errors: RowProblem[];
  warnings: RowProblem[];
  /** The line list after applying the good rows. */
  result: Line[];
}

const FORMAT_HINT = /[;,]/;

/**
 * What applying the import to `current` would do. A row updates the line with the same key (the number; on
 * CME the number and device, as the instance store counts them) — fields the file gives replace the line's,
 * fields it does not give stay — or adds a line. Lines missing from the file are kept. Each resulting line is
 * checked as the instance store will check it, so a clean preview applies without surprises.
 */
export function previewImport(current: readonly Line[], parsed: ParsedImport, family: Family): ImportPreview {
  const errors: RowProblem[] = [...parsed.errors];
  let bad = new Set<number>();
  for (;;) {
    const outcome = merge(current, parsed.rows, family, bad);
    // Problems only visible in the whole list (a CME device on two lines) mark their rows bad; merge again without them.
    const listProblems = checkLines(family, outcome.result).filter((p) => outcome.lineOfIndex[p.index] > 0);
    if (!listProblems.length) {
      for (const e of outcome.errors) errors.push(e); // no spread: a file may have 100,000 bad rows
      errors.sort((a, b) => a.line - b.line);
      const { format, encoding, delimiter } = parsed;
      const warnings = outcome.rows || errors.length ? parsed.warnings : [...parsed.warnings, { line: 1, ...coded('import.noLines') }];
      return { format, encoding, delimiter, added: outcome.added, changed: outcome.changed, unchanged: outcome.unchanged, errors, warnings, result: outcome.result };
    }
    bad = new Set(bad);
    for (const p of listProblems) {
      const line = outcome.lineOfIndex[p.index];
      if (!bad.has(line)) {
        bad.add(line);
        errors.push({ line, field: p.field as LineField, ...inFileTerms(p, outcome.lineOfIndex) });
      }
    }
  }
}

/** The instance-side wording of a list problem whose earlier line is one the file did not touch. */
const IN_INSTANCE: Partial<Record<string, ProblemCode>> = { 'line.repeated': 'line.inInstance', 'line.repeatedOnDevice': 'line.inInstanceOnDevice', 'line.deviceUsed': 'line.deviceInInstance' };

/**
 * "line 3" of the list means a file line when that list entry came from the file, else the instance's own line:
 * the code says which, `first` is then the file line or the instance's line number.
 */
function inFileTerms(p: LineProblem, lineOfIndex: readonly number[]): Coded {
  const first = Number(p.params?.first ?? 0);
  const line = lineOfIndex[first - 1];
  const message = p.message.replace(/line (\d+)/, () => (line > 0 ? `line on file line ${line}` : `line ${first} of the instance`));
  if (line > 0) return { code: p.code, params: { ...p.params, first: line }, message };
  return { code: IN_INSTANCE[p.code] ?? p.code, params: p.params, message };
}

function merge(current: readonly Line[], rows: Iterable<ParsedRow>, family: Family, skip: Set<number>) {
  // Families whose lines are a number on a device (CME shared lines): a number alone may name several lines.
  const byDevice = familySpec(family).lineFields.includes('deviceId');
  const result = current.map((l) => l);
  const indexByKey = new Map<string, number>();
  // Only CME needs numbers mapped to their lines (a number may sit on several devices there).
  const indexesByNumber = new Map<string, number[]>();
  const noteNumber = (number: string, i: number) => {
    if (!byDevice) return;
    const list = indexesByNumber.get(number);
    if (list) list.push(i);
    else indexesByNumber.set(number, [i]);
  };
  current.forEach((l, i) => {
    indexByKey.set(lineKey(family, l), i);
    noteNumber(l.number, i);
  });
  const errors: RowProblem[] = [];
  const added: AddedLine[] = [];
  const changed: ChangedLine[] = [];
  const unchanged: UnchangedLine[] = [];
  // The file line each list entry came from (0: not from the file); numbers only, so no row outlives its pass.
  const lineOfIndex: number[] = new Array<number>(current.length).fill(0);
  let count = 0;
  for (const row of rows) {
    count++;
    if ('problem' in row) {
      errors.push(row.problem);
      continue;
    }
    if (skip.has(row.line)) continue;
    const control = rowControlProblem(row);
    if (control) {
      errors.push(control);
      continue;
    }
    const number = row.values.number;
    let index: number | undefined;
    if (byDevice && row.values.deviceId === undefined) {
      // A row without a device (plain text format, or a CME row with the number only) matches the number's one line.
      const candidates = indexesByNumber.get(number) ?? [];
      if (candidates.length > 1) {
        errors.push({ line: row.line, field: 'deviceId', ...coded('line.manyDevices', { value: number, count: candidates.length }) });
        continue;
      }
      index = candidates[0];
    } else {
      index = indexByKey.get(lineKey(family, { number, deviceId: row.values.deviceId, userId: row.values.userId }));
    }
    const earlier = index === undefined ? 0 : lineOfIndex[index];
    if (earlier) {
      errors.push({ line: row.line, field: 'number', ...coded('line.appearsAgain', { value: number, first: earlier }) });
      continue;
    }
    const before = index === undefined ? undefined : current[index];
    const after = mergeRow(before, row.values);
    const problems = checkLine(family, after);
    if (problems.length) {
      for (const p of problems) {
        const hint = p.field === 'number' && FORMAT_HINT.test(number) ? ' (does the file use another format? see --format)' : '';
        errors.push({ line: row.line, field: p.field as LineField, code: p.code, ...(p.params ? { params: p.params } : {}), message: p.message + hint });
      }
      continue;
    }
    if (before === undefined || index === undefined) {
      const key = lineKey(family, after);
      const sameNew = indexByKey.get(key);
      if (sameNew !== undefined) {
        errors.push({ line: row.line, field: 'number', ...coded('line.appearsAgain', { value: number, first: lineOfIndex[sameNew] }) });
        continue;
      }
      const at = result.push(after) - 1;
      lineOfIndex.push(row.line);
      indexByKey.set(key, at);
      noteNumber(after.number, at);
      added.push({ line: row.line, after });
      continue;
    }
    lineOfIndex[index] = row.line;
    const fields = changedFields(before, after);
    if (fields.length) {
      result[index] = after;
      changed.push({ line: row.line, before, after, fields });
    } else unchanged.push({ line: row.line, number });
  }
  return { result, errors, added, changed, unchanged, lineOfIndex, rows: count };
}

/** The row's fields over the line's (a field the row does not give stays), in one fixed object shape. */
function mergeRow(before: Line | undefined, v: ImportRow['values']): Line {
  return normalizeLine({
    number: v.number,
    name: v.name ?? before?.name ?? '',
    deviceId: 'deviceId' in v ? v.deviceId : before?.deviceId,
    buttons: 'buttons' in v ? v.buttons : before?.buttons,
    mobile: 'mobile' in v ? v.mobile : before?.mobile,
    userId: 'userId' in v ? v.userId : before?.userId,
  });
}

/** Thrown by applyImport when the file has errors and skipping bad rows was not chosen; nothing is applied. */
export class ImportHasErrors extends Error {
  constructor(readonly errors: RowProblem[]) {
    const first = errors[0];
    super(`the file has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${first?.line}: ${first?.message}); nothing was imported`);
    this.name = 'ImportHasErrors';
  }
}

/**
 * The line list after the import: changed lines replaced in place, added lines appended in file order.
 * All or nothing: with any error and `skipBad` false it throws ImportHasErrors and returns nothing.
 */
export function applyImport(current: readonly Line[], parsed: ParsedImport, family: Family, options: { skipBad?: boolean } = {}): { lines: Line[]; preview: ImportPreview } {
  const preview = previewImport(current, parsed, family);
  if (preview.errors.length && !options.skipBad) throw new ImportHasErrors(preview.errors);
  return { lines: preview.result, preview };
}
