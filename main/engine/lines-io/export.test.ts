import { describe, expect, it } from 'vitest';
import type { Family, Line } from '../../../shared/model/line';
import { decodeText } from './decode';
import { defaultFormat, ExportNotLossless, exportLines } from './export';
import { applyImport, parseImport } from './preview';
import type { LinesFormat } from './row';

const cmeLines: Line[] = [
  { number: '100', name: 'Alice, "the boss"', deviceId: 'SEP001122AABBCC', buttons: ['200', '201'] },
  { number: '101', name: 'Extension mobility', deviceId: '' },
  { number: '102', name: '' },
  { number: '+4930123', name: 'Zoë Ünal €' },
];
const panasonicLines: Line[] = [
  { number: '100', name: 'Reception', mobile: '9100' },
  { number: '*21#', name: 'Smith, John' },
];
const broadworksLines: Line[] = [{ number: '2001', name: 'Eva', userId: 'eva@example.com' }];

function roundTrip(lines: Line[], format: LinesFormat, family: Family) {
  const file = exportLines(lines, format, { family });
  const { lines: after, preview } = applyImport(lines, parseImport(file, format), family);
  return { after, preview, file };
}

describe('export then import changes nothing', () => {
  const cases: Array<[string, Line[], LinesFormat, Family]> = [
    ['CME lines as CME text', cmeLines, 'cme', 'cme'],
    ['CME lines as CSV', cmeLines, 'csv', 'cme'],
    ['Panasonic lines as text', panasonicLines, 'text', 'panasonic'],
    ['Panasonic lines as CSV', panasonicLines, 'csv', 'panasonic'],
    ['BroadWorks lines as CSV', broadworksLines, 'csv', 'broadworks'],
  ];
  it.each(cases)('%s', (_name, lines, format, family) => {
    const { after, preview } = roundTrip(lines, format, family);
    expect(preview.errors).toEqual([]);
    expect(preview.added).toEqual([]);
    expect(preview.changed).toEqual([]);
    expect(preview.unchanged).toHaveLength(lines.length);
    expect(after).toEqual(lines);
  });

  const perFamily: Array<[Family, Line[]]> = [
    ['cme', cmeLines],
    ['panasonic', panasonicLines],
    ['broadworks', broadworksLines],
  ];
  it.each(perFamily)('CSV into an empty %s instance recreates every field of every line', (family, lines) => {
    const tricky = lines.map((l) => ({ ...l, name: `${l.name} \t"x"; y,z`.trim() }));
    const { lines: after } = applyImport([], parseImport(exportLines(tricky, 'csv', { family }), 'csv'), family);
    expect(after).toEqual(tricky.map((l) => (l.deviceId === '' ? { number: l.number, name: l.name } : l)));
  });
});

describe('CSV export of cells a spreadsheet would run as formulas', () => {
  const formulaLines: Line[] = [
    { number: '100', name: '=HYPERLINK("http://x.test","click")' },
    { number: '101', name: '+1 Sales' },
    { number: '102', name: '-Night' },
    { number: '103', name: '@Desk' },
    { number: '104', name: "'=already quoted" },
    { number: '105', name: "'Tis the office" },
    { number: '+4930123', name: 'Berlin', mobile: '+4930999' },
  ];

  it('writes them with a leading apostrophe, so Excel shows text instead of running them', () => {
    const text = decodeText(exportLines(formulaLines, 'csv', { family: 'panasonic' })).text;
    const cells = text.split('\r\n').slice(1, -1);
    expect(cells).toEqual([
      `100,"'=HYPERLINK(""http://x.test"",""click"")",`,
      "101,'+1 Sales,",
      "102,'-Night,",
      "103,'@Desk,",
      "104,''=already quoted,",
      "105,'Tis the office,",
      "'+4930123,Berlin,'+4930999",
    ]);
    for (const c of cells.flatMap((row) => row.split(','))) expect(c).not.toMatch(/^"?[=+\-@]/);
  });

  it('reads them back as they were', () => {
    const { after, preview } = roundTrip(formulaLines, 'csv', 'panasonic');
    expect(preview.errors).toEqual([]);
    expect(after).toEqual(formulaLines);
    const { lines: fresh } = applyImport([], parseImport(exportLines(formulaLines, 'csv', { family: 'panasonic' }), 'csv'), 'panasonic');
    expect(fresh).toEqual(formulaLines);
  });
});

describe('export files', () => {
  it('writes CSV as UTF-8 with a byte-order mark and a header', () => {
    const file = exportLines(panasonicLines, 'csv', { family: 'panasonic' });
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(decodeText(file).text).toBe('number,name,mobile\r\n100,Reception,9100\r\n*21#,"Smith, John",\r\n');
  });

  it('writes the text formats as the manuals show them', () => {
    expect(decodeText(exportLines(panasonicLines, 'text')).text).toBe('100,Reception\r\n*21#,Smith, John\r\n');
    expect(decodeText(exportLines(cmeLines.slice(0, 3), 'cme')).text).toBe('100;Alice, "the boss";SEP001122AABBCC;200;201\r\n101;Extension mobility;\r\n102;;\r\n');
  });

  it('refuses a CME text export that would lose a name containing ";"', () => {
    expect(() => exportLines([{ number: '100', name: 'a;b' }], 'cme')).toThrow(ExportNotLossless);
    expect(() => exportLines([{ number: '100', name: 'a\nb' }], 'text')).toThrow(/line 100: the name contains a line break/);
  });

  it('chooses CSV for .csv files and the CME format for CME instances', () => {
    expect(defaultFormat('lines.CSV', 'cme')).toBe('csv');
    expect(defaultFormat('lines.txt', 'cme')).toBe('cme');
    expect(defaultFormat(undefined, 'panasonic')).toBe('text');
  });
});
