import type { Line } from '../../../shared/model/line';

export const LINES_FORMATS = ['text', 'cme', 'csv'] as const;
export type LinesFormat = (typeof LINES_FORMATS)[number];

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

/**
 * The one stored form of a line: optional fields that are empty are left out, so `deviceId: ''`, an empty
 * button list and an absent field all compare equal, whichever format a line came through.
 */
export function canonicalLine(l: Partial<Line> & { number: string }): Line {
  const out: Line = { number: l.number, name: l.name ?? '' };
  if (l.deviceId) out.deviceId = l.deviceId;
  if (l.buttons && l.buttons.length) out.buttons = [...l.buttons];
  if (l.mobile) out.mobile = l.mobile;
  if (l.userId) out.userId = l.userId;
  return out;
}

export function sameLine(a: Line, b: Line): boolean {
  return changedFields(a, b).length === 0;
}

/** Fields whose canonical values differ between two lines. */
export function changedFields(a: Line, b: Line): LineField[] {
  const x = canonicalLine(a);
  const y = canonicalLine(b);
  return LINE_FIELDS.filter((f) => {
    if (f === 'buttons') return (x.buttons ?? []).join('\u0000') !== (y.buttons ?? []).join('\u0000');
    return (x[f] ?? '') !== (y[f] ?? '');
  });
}
