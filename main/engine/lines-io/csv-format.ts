import { coded } from '../../../shared/problems';
import { guardFormula, unguardFormula } from '../../../shared/csv-cells';
import type { Family, Line } from '../../../shared/model/line';
import { familySpec } from '../../../shared/families';
import { detectDelimiter, formatCsvRecord, readCsv, type CsvDelimiter } from './csv';
import { headerControlProblem, LINE_FIELDS, type ImportRow, type LineField, type ParsedRow, type RowProblem } from './row';

/** Header names we accept for each field, compared without case, spaces, dashes or underscores. */
const HEADER_ALIASES: Record<LineField, string[]> = {
  number: ['number', 'nummer', 'rufnummer', 'extension', 'ext', 'line', 'leitung'],
  name: ['name', 'linename', 'displayname'],
  deviceId: ['deviceid', 'device', 'mac', 'macaddress', 'geraeteid', 'gerateid'],
  buttons: ['buttons', 'linebuttons', 'additionalbuttons', 'leitungstasten', 'tasten'],
  mobile: ['mobile', 'mobileaddress', 'supertwin', 'supertwinmobile', 'mobil'],
  userId: ['userid', 'user', 'benutzerid', 'benutzer'],
};

function headerKey(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_\-.]/g, '').replace('ä', 'a').replace('ü', 'u');
}

function fieldForHeader(h: string): LineField | undefined {
  const key = headerKey(h);
  return LINE_FIELDS.find((f) => HEADER_ALIASES[f].includes(key));
}

/** Line buttons share one cell, separated by spaces (commas, semicolons and `|` are accepted too). */
function splitButtons(cell: string): string[] {
  return cell.split(/[\s,;|]+/).filter((b) => b !== '');
}

export interface CsvImport {
  /** The data rows, read again from the text on every pass over them. */
  rows: Iterable<ParsedRow>;
  /** Problems with the header; the file then has no rows. */
  problems: RowProblem[];
  warnings: RowProblem[];
  delimiter: CsvDelimiter;
}

/**
 * CSV with a header row naming the columns (see HEADER_ALIASES). Every column present sets its field on every
 * row, an empty cell clearing it; unknown columns are ignored with a warning. Cells keep their spaces,
 * except the number, which is trimmed. Only the header is read here; the rows are read as they are used.
 */
export function parseCsvFormat(text: string): CsvImport {
  // Excel may put a `sep=;` line before the header to name the delimiter.
  const sep = /^sep=([,;])[ \t]*(\r\n|\n|\r|$)/i.exec(text);
  const delimiter = sep ? (sep[1] as CsvDelimiter) : detectDelimiter(text);
  const problems: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const none = { rows: [], problems, warnings, delimiter };
  const records = readCsv(text, delimiter);
  if (sep) records.next();
  const first = records.next();
  if (first.done) {
    problems.push({ line: 1, ...coded('import.noHeader') });
    return none;
  }
  const header = first.value;
  if ('message' in header) {
    problems.push(header);
    return none;
  }
  const control = headerControlProblem(header.line, header.fields);
  if (control) {
    problems.push(control);
    return none;
  }
  const columns: Array<LineField | undefined> = [];
  header.fields.forEach((h, i) => {
    const field = fieldForHeader(h);
    if (field && columns.includes(field)) {
      problems.push({ line: header.line, field, ...coded('import.repeatedColumn', { value: h, field }) });
      columns.push(undefined);
      return;
    }
    if (!field) warnings.push({ line: header.line, ...coded('import.unknownColumn', { column: i + 1, value: h, known: LINE_FIELDS.join(', ') }) });
    columns.push(field);
  });
  if (!columns.includes('number')) {
    problems.push({ line: header.line, field: 'number', ...coded('import.noNumberColumn', { value: header.fields.map((h) => JSON.stringify(h)).join(', ') }) });
    return none;
  }
  const skip = sep ? 2 : 1;
  const width = header.fields.length;
  return { rows: { [Symbol.iterator]: () => csvRows(text, delimiter, skip, columns, width) }, problems, warnings, delimiter };
}

function* csvRows(text: string, delimiter: CsvDelimiter, skip: number, columns: Array<LineField | undefined>, width: number): Generator<ParsedRow> {
  let seen = 0;
  for (const rec of readCsv(text, delimiter)) {
    if (seen++ < skip) continue;
    if ('message' in rec) {
      yield { line: rec.line, problem: rec };
      continue;
    }
    if (rec.fields.length > width) {
      yield { line: rec.line, problem: { line: rec.line, ...coded('import.cellCount', { cells: rec.fields.length, columns: width }) } };
      continue;
    }
    const values: ImportRow['values'] = { number: '' };
    columns.forEach((field, i) => {
      if (!field) return;
      const cell = rec.fields[i] ?? '';
      if (field === 'buttons') values.buttons = splitButtons(unguardFormula(cell));
      else if (field === 'number') values.number = unguardFormula(cell.trim());
      else values[field] = unguardFormula(cell);
    });
    yield { line: rec.line, values };
  }
}

/** CSV with a header row; number and name always, other columns when the family uses them or any line fills them. */
export function writeCsvFormat(lines: readonly Line[], options: { family?: Family; delimiter?: CsvDelimiter } = {}): string {
  const delimiter = options.delimiter ?? ',';
  // The family's own fields are columns even when no line fills them.
  const wanted = new Set<LineField>(['number', 'name', ...(options.family ? familySpec(options.family).lineFields : [])]);
  for (const l of lines) {
    if (l.deviceId) wanted.add('deviceId');
    if (l.buttons?.length) wanted.add('buttons');
    if (l.mobile) wanted.add('mobile');
    if (l.userId) wanted.add('userId');
  }
  const columns = LINE_FIELDS.filter((f) => wanted.has(f));
  const out = [formatCsvRecord(columns, delimiter) + '\r\n'];
  for (const l of lines) {
    const cells = columns.map((f) => guardFormula(f === 'buttons' ? (l.buttons ?? []).join(' ') : (l[f] ?? '')));
    out.push(formatCsvRecord(cells, delimiter) + '\r\n');
  }
  return out.join('');
}
