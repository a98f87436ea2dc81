import type { Coded } from '../../../shared/problems';
import type { Line } from '../../../shared/model/line';
import { normalizeLine } from '../../../shared/model/instance';
import type { LinesFormat } from '../../../shared/api/lines-io';

export { LINES_FORMATS, type LinesFormat } from '../../../shared/api/lines-io';

/** The fields of a line, in the order CSV writes them. */
export const LINE_FIELDS = ['number', 'name', 'deviceId', 'buttons', 'mobile', 'userId'] as const;
export type LineField = (typeof LINE_FIELDS)[number];

/**
 * One row of an import file. A key present in `values` was given by the file (even if empty, which clears
 * it); a missing key was not, and the line's current value stays.
 */
export interface ImportRow {
  /** File line (1-based) the row starts on. */
  line: number;
  values: Partial<Line> & { number: string };
}

/** A row that cannot be read at all (CSV quoting, too many cells): its problem instead of its values. */
export interface BadRow {
  line: number;
  problem: RowProblem;
}

/** What a format reader yields, in file order. */
export type ParsedRow = ImportRow | BadRow;

/**
 * A problem with one row (or the whole file, then on line 1), with what the admin needs to fix it. Problems
 * with a code carry their facts in params, so the console words them in its own language.
 */
export interface RowProblem {
  line: number;
  message: string;
  field?: LineField | 'header';
  code?: string;
  params?: Coded['params'];
}

/** Problem codes of rows (see RowProblem.code). */
export const RowProblemCodes = {
  /** A field holds a control character; params: line, field, character (`U+0000`). */
  controlCharacter: 'LINES_CONTROL_CHARACTER',
} as const;

/**
 * C0 controls except TAB, DEL and C1 controls. Line breaks count: where a format uses them as separators they
 * are gone by the time a value is checked. TAB is whitespace a name may hold (the store keeps it and every
 * format round-trips it). A NUL cuts names short in PBX messages; C1 is what a wrongly decoded file looks like.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

function controlProblem(line: number, field: LineField | 'header', text: string): RowProblem | undefined {
  const m = CONTROL.exec(text);
  if (!m) return undefined;
  const character = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    line,
    field,
    code: RowProblemCodes.controlCharacter,
    params: { line, field, character },
    message: `the ${field === 'header' ? 'header' : field} holds the control character ${character}, which no line field may contain`,
  };
}

/** The first control character in a row's fields, as a problem on its line. */
export function rowControlProblem(row: ImportRow): RowProblem | undefined {
  for (const field of LINE_FIELDS) {
    const value = row.values[field];
    if (value === undefined) continue;
    for (const text of typeof value === 'string' ? [value] : value) {
      const problem = controlProblem(row.line, field, text);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The first control character in a CSV header's cells. */
export function headerControlProblem(line: number, cells: readonly string[]): RowProblem | undefined {
  for (const cell of cells) {
    const problem = controlProblem(line, 'header', cell);
    if (problem) return problem;
  }
  return undefined;
}

/** Fields whose values differ between two lines once both are normalized as the instance store keeps them. */
export function changedFields(a: Line, b: Line): LineField[] {
  const x = normalizeLine(a);
  const y = normalizeLine(b);
  return LINE_FIELDS.filter((f) => {
    if (f === 'buttons') return (x.buttons ?? []).join('\u0000') !== (y.buttons ?? []).join('\u0000');
    return (x[f] ?? '') !== (y[f] ?? '');
  });
}
