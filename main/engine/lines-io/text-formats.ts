import type { Line } from '../../../shared/model/line';
import type { ImportRow, RowProblem } from './row';

/** The text's non-blank lines with 1-based numbers, found one at a time (no array of a million lines). */
function* nonBlankLines(text: string): Generator<[number, string]> {
  let line = 0;
  let start = 0;
  while (start < text.length) {
    line++;
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const raw = text.slice(start, end);
    if (raw.trim() !== '') yield [line, raw];
    start = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
  }
}

/**
 * The Panasonic/BroadWorks text format: each line starts with the number, optionally followed by `,name`.
 * Everything after the first comma is the name, so names may contain commas. Spaces around fields are trimmed.
 */
export function* readTextFormat(text: string): Generator<ImportRow> {
  for (const [line, raw] of nonBlankLines(text)) {
    const comma = raw.indexOf(',');
    const values: ImportRow['values'] = comma < 0 ? { number: raw.trim() } : { number: raw.slice(0, comma).trim(), name: raw.slice(comma + 1).trim() };
    yield { line, values };
  }
}

/**
 * The CME text format: `number;name;device-ID;button;button…`. Fields after the number are optional; a field
 * that is present but empty clears it (an empty device ID is an extension mobility user).
 */
export function* readCmeFormat(text: string): Generator<ImportRow> {
  for (const [line, raw] of nonBlankLines(text)) {
    const parts = raw.split(';').map((p) => p.trim());
    const values: ImportRow['values'] = { number: parts[0] };
    if (parts.length > 1) values.name = parts[1];
    if (parts.length > 2) values.deviceId = parts[2];
    if (parts.length > 3) values.buttons = parts.slice(3).filter((b) => b !== '');
    yield { line, values };
  }
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

/** The line-per-row formats by name: how each is read, checked for a lossless export, and written. */
export const LINE_FORMATS = {
  text: { read: readTextFormat, problems: textFormatProblems, write: writeTextFormat },
  cme: { read: readCmeFormat, problems: cmeFormatProblems, write: writeCmeFormat },
} as const;
