import { coded, type Coded } from '../../../shared/problems';
/** One CSV record and the file line (1-based) it starts on; a quoted field may span several lines. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvProblem extends Coded {
  line: number;
}

export type CsvDelimiter = ',' | ';';

/** Picks `,` or `;` by counting both outside quotes on the header line; a tie (a one-column file) means `,`. */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** A record, or a record that cannot be read (its problem instead of its fields). */
export type CsvItem = CsvRecord | CsvProblem;

/**
 * RFC 4180 reader, one record at a time so a million-row file is never held as records: fields in double
 * quotes may hold the delimiter, line breaks and `""` for a quote; records end at CRLF, LF or CR. Blank lines
 * are skipped. Text after a closing quote or a quote inside an unquoted field makes that record a problem, and
 * reading goes on; a quote that is never closed is a problem with the line it opens on, and reading stops.
 */
export function* readCsv(text: string, delimiter: CsvDelimiter): Generator<CsvItem> {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let bad: CsvProblem | undefined;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        let closed = false;
        while (i < n) {
          const q = text.indexOf('"', i);
          if (q < 0) break;
          const chunk = text.slice(i, q);
          line += countBreaks(chunk);
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          yield { line: quoteLine, ...coded('import.openQuote') };
          return;
        }
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          bad ??= { line, ...coded('import.afterQuote', { value: JSON.stringify(text.slice(i, i + 20)) }) };
          while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
        value = text.slice(start, i);
        if (!bad && value.includes('"')) bad = { line, ...coded('import.strayQuote', { value: JSON.stringify(value) }) };
      }
      fields.push(value);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (bad) yield bad;
    else if (!(fields.length === 1 && fields[0].trim() === '')) yield { line: recordLine, fields };
  }
}

/** All records and problems of a text at once (for small texts; imports use readCsv). */
export function parseCsv(text: string, delimiter: CsvDelimiter): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  for (const item of readCsv(text, delimiter)) {
    if ('message' in item) problems.push(item);
    else records.push(item);
  }
  return { records, problems };
}

function countBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n') count++;
    else if (s[i] === '\r' && s[i + 1] !== '\n') count++;
  }
  return count;
}

const NEEDS_QUOTES = /[",;\r\n]/;

/** One CSV record: a field is quoted when it holds a quote, either delimiter or a line break. */
export function formatCsvRecord(fields: readonly string[], delimiter: CsvDelimiter): string {
  return fields.map((f) => (NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(delimiter);
}
