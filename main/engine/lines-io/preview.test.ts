import { describe, expect, it } from 'vitest';
import type { Family, Line } from '../../../shared/model/line';
import { encodeUtf8 } from './decode';
import { applyImport, ImportHasErrors, parseImport, previewImport } from './preview';
import type { LinesFormat } from './row';

const bytes = (s: string) => encodeUtf8(s, false);
const preview = (text: string | Uint8Array, format: LinesFormat, family: Family, current: Line[] = []) =>
  previewImport(current, parseImport(typeof text === 'string' ? bytes(text) : text, format), family);

describe('importing the Panasonic/BroadWorks text format', () => {
  it('reads a number per line with an optional name after the first comma', () => {
    const p = parseImport(bytes('100,Reception\n101\r\n\n  102 , Smith, John  \n'), 'text');
    expect([...p.rows]).toEqual([
      { line: 1, values: { number: '100', name: 'Reception' } },
      { line: 2, values: { number: '101' } },
      { line: 4, values: { number: '102', name: 'Smith, John' } },
    ]);
  });

  it('names the file line of a bad number and of a duplicate', () => {
    const p = preview('100,A\nabc,B\n\n100,C\n', 'text', 'panasonic');
    expect(p.added.map((a) => a.line)).toEqual([1]);
    expect(p.errors).toMatchObject([
      { line: 2, field: 'number', message: expect.stringContaining('"abc" is not a valid number') },
      { line: 4, field: 'number', message: 'number 100 appears again (first on line 1)' },
    ]);
  });

  it('hints at the format when a CME file is read as plain text', () => {
    expect(preview('100;Alice;SEP001122334455\n', 'text', 'cme').errors[0].message).toContain('--format');
  });
});

describe('importing the CME text format', () => {
  it('reads number;name;device-ID;buttons… and an empty device ID for extension mobility users', () => {
    const p = parseImport(bytes('100;Alice;SEP001122AABBCC;200;201\n101;Bob;\n102\n'), 'cme');
    expect([...p.rows].map((r) => 'values' in r && r.values)).toEqual([
      { number: '100', name: 'Alice', deviceId: 'SEP001122AABBCC', buttons: ['200', '201'] },
      { number: '101', name: 'Bob', deviceId: '' },
      { number: '102' },
    ]);
    expect(previewImport([], p, 'cme').errors).toEqual([]);
  });

  it('refuses a device ID that is not a MAC address and a bad line button, naming the line', () => {
    expect(preview('100;Alice;SEP0011\n101;Bob;001122334455;20x\n', 'cme', 'cme').errors).toMatchObject([
      { line: 1, field: 'deviceId', message: expect.stringContaining('not a MAC address') },
      { line: 2, field: 'buttons', message: expect.stringContaining('line button "20x"') },
    ]);
  });

  it('a shared line (same number on two phones) is two lines; a row without device must then say which', () => {
    const p = preview('100;Alice;SEP001122334455\n100;Alice;SEP001122334466\n', 'cme', 'cme');
    expect(p.errors).toEqual([]);
    expect(p.added).toHaveLength(2);
    const ambiguous = preview('100,Renamed\n', 'text', 'cme', p.result);
    expect(ambiguous.errors).toMatchObject([{ line: 1, field: 'deviceId', message: expect.stringContaining('on 2 devices') }]);
  });

  it('refuses a device used by two different numbers', () => {
    const p = preview('100;A;SEP001122334455\n101;B;SEP001122334455\n', 'cme', 'cme');
    expect(p.errors).toMatchObject([{ line: 2, field: 'deviceId', message: expect.stringContaining('already used by line on file line 1') }]);
    expect(p.added.map((a) => a.after.number)).toEqual(['100']);
  });

  it('refuses fields the family does not have (a device ID on a Panasonic line)', () => {
    expect(preview('100;A;SEP001122334455\n', 'cme', 'panasonic').errors[0]).toMatchObject({ line: 1, field: 'deviceId' });
  });
});

describe('importing CSV', () => {
  it('maps header names to fields, detects ";" and reads buttons from one cell', () => {
    const csv = 'Number;Name;Device ID;Line buttons;Notes\r\n100;"Doe; Jane";SEPAABBCCDDEEFF;200 201;x\r\n';
    const p = parseImport(encodeUtf8(csv, true), 'csv');
    expect(p).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';', errors: [] });
    expect(p.warnings).toMatchObject([{ line: 1, message: expect.stringContaining('"Notes" is not a line field') }]);
    expect([...p.rows][0]).toEqual({ line: 2, values: { number: '100', name: 'Doe; Jane', deviceId: 'SEPAABBCCDDEEFF', buttons: ['200', '201'] } });
  });

  it('follows an Excel "sep=" line naming the delimiter, keeping file line numbers', () => {
    const p = parseImport(bytes('sep=;\r\nnumber;name\r\n100;Doe, Jane\r\n'), 'csv');
    expect(p).toMatchObject({ delimiter: ';', errors: [] });
    expect([...p.rows]).toEqual([{ line: 3, values: { number: '100', name: 'Doe, Jane' } }]);
  });

  it('converts a Windows-1252 CSV', () => {
    const p = parseImport(new Uint8Array([...Buffer.from('number,name\n100,J'), 0xfc, ...Buffer.from('rgen\n')]), 'csv');
    expect(p.encoding).toBe('windows-1252');
    expect([...p.rows][0]).toMatchObject({ values: { name: 'Jürgen' } });
  });

  it('refuses a file without a number column, an empty file and rows with too many cells', () => {
    expect(parseImport(bytes('name,mac\nA,B\n'), 'csv').errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('no number column') });
    expect(parseImport(bytes(''), 'csv').errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('empty') });
    expect(preview('number,name\n100,a,b\n', 'csv', 'panasonic').errors[0]).toMatchObject({ line: 2, message: expect.stringContaining('3 cells') });
  });

  it('reports an unclosed quote with its file line and lists every error in line order', () => {
    expect(preview('number,name\nx1,A\n101,"open\n', 'csv', 'panasonic').errors.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('the import preview and apply', () => {
  const current: Line[] = [
    { number: '100', name: 'Reception' },
    { number: '101', name: 'Old name', mobile: '9101' },
    { number: '102', name: 'Kept' },
  ];

  it('sorts rows into added, changed (with the fields) and unchanged, keeping fields the format lacks', () => {
    const p = preview('100,Reception\n101,New name\n103,Added\n', 'text', 'panasonic', current);
    expect(p.added).toEqual([{ line: 3, after: { number: '103', name: 'Added' } }]);
    expect(p.changed).toEqual([{ line: 2, before: current[1], after: { number: '101', name: 'New name', mobile: '9101' }, fields: ['name'] }]);
    expect(p.unchanged).toEqual([{ line: 1, number: '100' }]);
  });

  it('applies changes in place, appends added lines and keeps lines the file does not mention', () => {
    const { lines } = applyImport(current, parseImport(bytes('103,Added\n101,New name\n'), 'text'), 'panasonic');
    expect(lines.map((l) => `${l.number}:${l.name}`)).toEqual(['100:Reception', '101:New name', '102:Kept', '103:Added']);
  });

  it('applies nothing when any row is bad, and says how many and where', () => {
    const parsed = parseImport(bytes('103,Added\nbad,Row\n'), 'text');
    expect(() => applyImport(current, parsed, 'panasonic')).toThrow(ImportHasErrors);
    expect(() => applyImport(current, parsed, 'panasonic')).toThrow(/1 error \(first: line 2/);
  });

  it('applies the good rows when the admin chooses to skip bad ones', () => {
    const { lines, preview: p } = applyImport(current, parseImport(bytes('103,Added\nbad,Row\n'), 'text'), 'panasonic', { skipBad: true });
    expect(lines.map((l) => l.number)).toEqual(['100', '101', '102', '103']);
    expect(p.errors).toHaveLength(1);
  });

  it('on CME a row with an empty device ID is the extension mobility line, not the phone line of the same number', () => {
    const cme: Line[] = [{ number: '100', name: 'A', deviceId: 'SEP001122334455' }];
    const { lines, preview: p } = applyImport(cme, parseImport(bytes('100;A mobility;\n100;A renamed;SEP001122334455\n'), 'cme'), 'cme');
    expect(lines).toEqual([{ number: '100', name: 'A renamed', deviceId: 'SEP001122334455' }, { number: '100', name: 'A mobility' }]);
    expect(p.changed.map((c) => c.fields)).toEqual([['name']]);
  });
});

describe('control characters in an import', () => {
  const codes = (p: { errors: Array<{ line: number; code?: string; params?: object }> }) => p.errors.map((e) => [e.line, e.code, e.params]);

  it('refuses them in any CSV field with the line, field and character; a TAB in a name is kept', () => {
    const p = preview('number,name,mobile\n100,"A\tB",\n101,Bob,9\u001b1\n102,"Two\nlines"\n103,Fine\n', 'csv', 'panasonic');
    expect(codes(p)).toEqual([
      [3, 'LINES_CONTROL_CHARACTER', { line: 3, field: 'mobile', character: 'U+001B' }],
      [4, 'LINES_CONTROL_CHARACTER', { line: 4, field: 'name', character: 'U+000A' }],
    ]);
    expect(p.added.map((a) => a.after.name)).toEqual(['A\tB', 'Fine']);
  });

  it('refuses them in a CSV header, before reading any row', () => {
    const p = parseImport(bytes('number,na\u0000me\n100,A\n'), 'csv');
    expect(codes(p)).toEqual([[1, 'LINES_CONTROL_CHARACTER', { line: 1, field: 'header', character: 'U+0000' }]]);
    expect([...p.rows]).toEqual([]);
  });

  it('refuses C1 characters a Windows-1252 file holds in its undefined bytes, and CME buttons and device IDs', () => {
    const cp1252 = new Uint8Array([...Buffer.from('100,Bad '), 0x81, ...Buffer.from('\n')]);
    expect(codes(preview(cp1252, 'text', 'panasonic'))).toEqual([[1, 'LINES_CONTROL_CHARACTER', { line: 1, field: 'name', character: 'U+0081' }]]);
    expect(codes(preview('200;A;SEP001122334455;20\u007f1\n', 'cme', 'cme'))).toEqual([[1, 'LINES_CONTROL_CHARACTER', { line: 1, field: 'buttons', character: 'U+007F' }]]);
  });
});
