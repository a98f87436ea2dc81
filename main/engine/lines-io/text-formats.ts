import type { Line } from '../../../shared/model/line';
import type { ImportRow, RowProblem } from './row';

/** Splits text into its lines with 1-based numbers, skipping blank ones. */
function* nonBlankLines(text: string): Generator<[number, string]> {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '') yield [i + 1, lines[i]];
  }
}

/**
 * The Panasonic/BroadWorks text format: each line starts with the number, optionally followed by `,name`.
 * Everything after the first comma is the name, so names may contain commas. Spaces around fields are trimmed.
 */
export function parseTextFormat(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const [line, raw] of nonBlankLines(text)) {
    const comma = raw.indexOf(',');
    const values: ImportRow['values'] = comma < 0 ? { number: raw.trim() } : { number: raw.slice(0, comma).trim(), name: raw.slice(comma + 1).trim() };
    rows.push({ line, values });
  }
  return rows;
}

/**
 * The CME text format: `number;name;device-ID;button;button…`. Fields after the number are optional; a field
 * that is present but empty clears it (an empty device ID is an extension mobility user).
 */
export function parseCmeFormat(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const [line, raw] of nonBlankLines(text)) {
    const parts = raw.split(';').map((p) => p.trim());
    const values: ImportRow['values'] = { number: parts[0] };
    if (parts.length > 1) values.name = parts[1];
    if (parts.length > 2) values.deviceId = parts[2];
    if (parts.length > 3) values.buttons = parts.slice(3).filter((b) => b !== '');
    rows.push({ line, values });
  }
  return rows;
}

/** A line the chosen export format cannot hold without changing it; reported instead of writing a lossy file. */
function unrepresentable(lines: readonly Line[], test: (l: Line) => string | undefined): RowProblem[] {
  const problems: RowProblem[] = [];
  lines.forEach((l, i) => {
    const why = test(l);
    if (why) problems.push({ line: i + 1, message: `line ${l.number}: ${why}` });
  });
  return problems;
}

const BREAK = /[\r\n]/;
const EDGE_SPACE = /^\s|\s$/;

export function textFormatProblems(lines: readonly Line[]): RowProblem[] {
  return unrepresentable(lines, (l) => {
    if (BREAK.test(l.name)) return 'the name contains a line break; export as CSV instead';
    if (EDGE_SPACE.test(l.name)) return 'the name starts or ends with a space, which the text format trims; export as CSV instead';
    return undefined;
  });
}

export function cmeFormatProblems(lines: readonly Line[]): RowProblem[] {
  return unrepresentable(lines, (l) => {
    if (BREAK.test(l.name) || l.name.includes(';')) return 'the name contains ";" or a line break, which the CME format cannot hold; export as CSV instead';
    if (EDGE_SPACE.test(l.name)) return 'the name starts or ends with a space, which the CME format trims; export as CSV instead';
    return undefined;
  });
}

export function writeTextFormat(lines: readonly Line[]): string {
  return lines.map((l) => (l.name ? `${l.number},${l.name}` : l.number) + '\r\n').join('');
}

export function writeCmeFormat(lines: readonly Line[]): string {
  return lines.map((l) => [l.number, l.name, l.deviceId ?? '', ...(l.buttons ?? [])].join(';') + '\r\n').join('');
}
