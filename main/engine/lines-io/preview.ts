import type { Line } from '../../../shared/model/line';
import { decodeText, type TextEncoding } from './decode';
import { parseCsvFormat } from './csv-format';
import { parseCmeFormat, parseTextFormat } from './text-formats';
import { canonicalLine, changedFields, type ImportRow, type LineField, type LinesFormat, type RowProblem } from './row';
import { validateRow } from './validate';

export interface ParsedImport {
  format: LinesFormat;
  encoding: TextEncoding;
  delimiter?: ',' | ';';
  /** Rows that passed validation, in file order. */
  rows: ImportRow[];
  /** Every problem, sorted by file line; a row with a problem is not in `rows`. */
  errors: RowProblem[];
  warnings: RowProblem[];
}

/** Reads a file's bytes in one of the formats, validates every row and reports duplicates within the file. */
export function parseImport(bytes: Uint8Array, format: LinesFormat): ParsedImport {
  const { text, encoding } = decodeText(bytes);
  let rows: ImportRow[];
  let errors: RowProblem[] = [];
  let warnings: RowProblem[] = [];
  let delimiter: ParsedImport['delimiter'];
  if (format === 'csv') {
    const csv = parseCsvFormat(text);
    ({ rows, warnings, delimiter } = csv);
    errors = csv.problems;
  } else {
    rows = format === 'cme' ? parseCmeFormat(text) : parseTextFormat(text);
  }
  const good: ImportRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const problems = validateRow(row);
    const earlier = firstLineOf.get(row.values.number);
    if (earlier !== undefined) problems.push({ line: row.line, field: 'number', message: `number ${row.values.number} appears again (first on line ${earlier})` });
    if (problems.length) errors.push(...problems);
    else {
      firstLineOf.set(row.values.number, row.line);
      good.push(row);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { format, encoding, delimiter, rows: good, errors, warnings };
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
  errors: RowProblem[];
  warnings: RowProblem[];
}

/**
 * What applying the import to `current` would do. Rows merge into lines by number: fields the file gives
 * replace the line's, fields it does not give stay. Lines missing from the file are kept.
 */
export function previewImport(current: readonly Line[], parsed: ParsedImport): ImportPreview {
  const byNumber = new Map(current.map((l) => [l.number, l]));
  const added: AddedLine[] = [];
  const changed: ChangedLine[] = [];
  const unchanged: UnchangedLine[] = [];
  for (const row of parsed.rows) {
    const before = byNumber.get(row.values.number);
    if (!before) {
      added.push({ line: row.line, after: canonicalLine(row.values) });
      continue;
    }
    const after = canonicalLine({ ...before, ...row.values });
    const fields = changedFields(before, after);
    if (fields.length) changed.push({ line: row.line, before, after, fields });
    else unchanged.push({ line: row.line, number: before.number });
  }
  const { format, encoding, delimiter, errors, warnings } = parsed;
  return { format, encoding, delimiter, added, changed, unchanged, errors, warnings };
}

/** Thrown by applyImport when the file has errors and skipping bad rows was not chosen; nothing is applied. */
export class ImportHasErrors extends Error {
  constructor(readonly errors: RowProblem[]) {
    const first = errors[0];
    super(`the file has ${errors.length} bad row${errors.length === 1 ? '' : 's'} (first: line ${first?.line}: ${first?.message}); nothing was imported`);
    this.name = 'ImportHasErrors';
  }
}

/**
 * The line list after the import: changed lines replaced in place, added lines appended in file order.
 * All or nothing: with any error and `skipBad` false it throws ImportHasErrors and returns nothing.
 */
export function applyImport(current: readonly Line[], parsed: ParsedImport, options: { skipBad?: boolean } = {}): { lines: Line[]; preview: ImportPreview } {
  const preview = previewImport(current, parsed);
  if (preview.errors.length && !options.skipBad) throw new ImportHasErrors(preview.errors);
  const replaced = new Map(preview.changed.map((c) => [c.before.number, c.after]));
  const lines = current.map((l) => replaced.get(l.number) ?? l);
  for (const a of preview.added) lines.push(a.after);
  return { lines, preview };
}
