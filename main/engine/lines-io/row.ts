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

/** A problem with one row (or the whole file, then on line 1), with what the admin needs to fix it. */
export interface RowProblem {
  line: number;
  message: string;
  field?: LineField;
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
