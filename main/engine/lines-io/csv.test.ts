import { describe, expect, it } from 'vitest';
import { detectDelimiter, formatCsvRecord, parseCsv } from './csv';

describe('CSV reading (RFC 4180)', () => {
  it('detects semicolons as the delimiter when the header uses them (German Excel)', () => {
    expect(detectDelimiter('number;name\r\n100;"Doe, Jane"')).toBe(';');
    expect(detectDelimiter('number,name;x\n')).toBe(',');
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
  });

  it('reads quoted fields holding delimiters, doubled quotes and line breaks, numbering records by their first file line', () => {
    const text = 'number,name\r\n100,"Doe, ""JD"" Jane"\r\n101,"two\r\nlines"\r\n102,plain\r\n';
    const { records, problems } = parseCsv(text, ',');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['number', 'name'] },
      { line: 2, fields: ['100', 'Doe, "JD" Jane'] },
      { line: 3, fields: ['101', 'two\r\nlines'] },
      { line: 5, fields: ['102', 'plain'] },
    ]);
  });

  it('accepts LF-only and CR-only line ends, skips blank lines and keeps empty cells', () => {
    expect(parseCsv('a,b\n\n1,\r2,x', ',').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', ''] },
      { line: 4, fields: ['2', 'x'] },
    ]);
  });

  it('reports a quote that is never closed with the line it opens on', () => {
    const { records, problems } = parseCsv('a,b\n1,x\n2,"open\n3,y\n', ',');
    expect(records.map((r) => r.line)).toEqual([1, 2]);
    expect(problems).toMatchObject([{ line: 3, message: expect.stringContaining('never closed') }]);
  });

  it('reports text after a closing quote and a stray quote in an unquoted field, then goes on', () => {
    const { records, problems } = parseCsv('a,b\n1,"x"y\n2,ab"c\n3,ok\n', ',');
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(records.map((r) => r.fields[0])).toEqual(['a', '3']);
  });

  it('quotes only the fields that need it when writing', () => {
    expect(formatCsvRecord(['100', 'Doe, Jane', 'say "hi"', 'a;b', 'x\ny', ''], ',')).toBe('100,"Doe, Jane","say ""hi""","a;b","x\ny",');
  });

  it('reads back what it writes', () => {
    const fields = ['+49 30', 'a,b', '"q"', 'line\r\nbreak', ' spaced ', ''];
    const text = formatCsvRecord(fields, ';') + '\r\n';
    expect(parseCsv(text, ';').records[0].fields).toEqual(fields);
  });
});
