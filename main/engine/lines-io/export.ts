import type { Family, Line } from '../../../shared/model/line';
import { familySpec } from '../../../shared/families';
import { encodeUtf8 } from './decode';
import { writeCsvFormat } from './csv-format';
import { LINE_FORMATS } from './text-formats';
import type { LinesFormat, RowProblem } from './row';

/** Thrown when a line cannot be written in the chosen format without losing something; nothing is written. */
export class ExportNotLossless extends Error {
  constructor(
    readonly format: LinesFormat,
    readonly problems: RowProblem[],
  ) {
    super(`${problems.length} line${problems.length === 1 ? '' : 's'} cannot be exported as ${format} without loss (first: ${problems[0]?.message})`);
    this.name = 'ExportNotLossless';
  }
}

/**
 * The file for a line list: text and CME as UTF-8 with CRLF line ends, CSV as UTF-8 with a BOM (so Excel
 * reads it as UTF-8). Importing the result into the same lines changes nothing.
 */
export function exportLines(lines: readonly Line[], format: LinesFormat, options: { family?: Family } = {}): Uint8Array {
  if (format === 'csv') return encodeUtf8(writeCsvFormat(lines, options), true);
  const { problems, write } = LINE_FORMATS[format];
  const lossy = problems(lines);
  if (lossy.length) throw new ExportNotLossless(format, lossy);
  return encodeUtf8(write(lines), false);
}

/** The format to use when none is given: `.csv` files are CSV, CME instances use the CME text format, others the plain one. */
export function defaultFormat(fileName: string | undefined, family: Family | undefined): LinesFormat {
  if (fileName && /\.csv$/i.test(fileName)) return 'csv';
  return family ? familySpec(family).capabilities.exportFormat : 'text';
}
