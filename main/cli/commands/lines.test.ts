import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { LINES_IMPORT_MAX_BYTES } from '../../../shared/api/lines-io';

let dir: string;
let data: string;
const cli = (...argv: string[]) => runCliCapture([...argv, '--data-dir', data]);
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-lines-cli-'));
  data = join(dir, 'data');
  expect((await cli('instances', 'create', '--family', 'panasonic', '--name', 'Office')).code).toBe(0);
  expect((await cli('instances', 'create', '--family', 'cme', '--name', 'Berlin')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linekeeper lines import', () => {
  it('prints the preview and imports the Panasonic text format', async () => {
    const r = await cli('lines', 'import', '--instance', 'Office', file('office.txt', '100,Reception\n101,Sales\n'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('added: 2, changed: 0, unchanged: 0, errors: 0');
    expect(r.stdout).toContain('+ line 1: 100 "Reception"');
    expect(r.stdout).toContain('"Office" now has 2 lines');
  });

  it('--dry-run prints added, changed and unchanged with file lines and changes nothing', async () => {
    const r = await cli('lines', 'import', '--instance', 'Office', '--dry-run', file('dry.txt', '100,Reception\n101,Sales team\n102,Store\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added: 1, changed: 1, unchanged: 1, errors: 0');
    expect(r.stdout).toContain('~ line 2: 101: name "Sales" -> "Sales team"');
    expect(r.stdout).toContain('+ line 3: 102 "Store"');
    expect(r.stdout).toContain('dry run: nothing was changed');
    expect((await cli('lines', 'export', '--instance', 'Office')).stdout).toBe('100,Reception\r\n101,Sales\r\n');
  });

  it('with a bad row imports nothing, names the file line and exits 1', async () => {
    const r = await cli('lines', 'import', '--instance', 'Office', file('bad.txt', '103,New\n\n10x,Broken\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('! line 3: "10x" is not a valid number');
    expect(r.stderr).toContain('nothing imported');
    expect((await cli('lines', 'export', '--instance', 'Office')).stdout).not.toContain('103');
  });

  it('--dry-run with a bad row also exits 1', async () => {
    expect((await cli('lines', 'import', '--instance', 'Office', '--dry-run', join(dir, 'bad.txt'))).code).toBe(1);
  });

  it('--skip-bad imports the good rows', async () => {
    const r = await cli('lines', 'import', '--instance', 'Office', '--skip-bad', join(dir, 'bad.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 added, 0 changed, 1 bad row skipped');
  });

  it('imports a Windows-1252 CSV with ";" and a quoted name', async () => {
    const bytes = new Uint8Array([...Buffer.from('Nummer;Name\r\n104;"M'), 0xfc, ...Buffer.from('ller; Hans"\r\n')]);
    const r = await cli('lines', 'import', '--instance', 'Office', file('excel.csv', bytes));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(csv, windows-1252, delimiter ";")');
    expect(r.stdout).toContain('+ line 2: 104 "Müller; Hans"');
  });

  it('imports the CME format by default into a CME instance', async () => {
    const r = await cli('lines', 'import', '--instance', 'Berlin', file('cme.txt', '200;Alice;SEP001122334455;201\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ line 1: 200 "Alice" (device SEP001122334455, buttons 201)');
  });

  it('refuses a wrong format, a missing file, an unknown instance and a missing FILE', async () => {
    expect(await cli('lines', 'import', '--instance', 'Office', '--format', 'xml', 'x.txt')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of text|cme|csv') });
    expect(await cli('lines', 'import', '--instance', 'Office', join(dir, 'missing.txt'))).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
    expect(await cli('lines', 'import', '--instance', 'Nope', join(dir, 'bad.txt'))).toMatchObject({ code: 1, stderr: expect.stringContaining('Nope') });
    expect(await cli('lines', 'import', '--instance', 'Office')).toMatchObject({ code: 2, stderr: expect.stringContaining('missing the FILE') });
    expect(await cli('lines', 'import', join(dir, 'bad.txt'))).toMatchObject({ code: 2, stderr: expect.stringContaining('--instance') });
  });
});

describe('linekeeper lines import: limits', () => {
  it('refuses a file over the size limit by its size, naming the limit, and imports nothing', async () => {
    // A sparse file: refusing it must not depend on reading it.
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, LINES_IMPORT_MAX_BYTES + 1);
    closeSync(fd);
    const r = await cli('lines', 'import', '--instance', 'Office', big);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('LINES_FILE_TOO_LARGE') });
    expect(r.stderr).toContain(String(LINES_IMPORT_MAX_BYTES));
  });

  it('refuses NUL, DEL and C1 characters with the file line, and imports nothing', async () => {
    const before = (await cli('lines', 'export', '--instance', 'Office')).stdout;
    const r = await cli('lines', 'import', '--instance', 'Office', file('ctl.txt', '120,Ok\n121,Nul\u0000here\n122,Del\u007f\n123\u0085,C1\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('! line 2: the name holds the control character U+0000');
    expect(r.stdout).toContain('! line 3: the name holds the control character U+007F');
    expect(r.stdout).toContain('! line 4: the number holds the control character U+0085');
    expect((await cli('lines', 'export', '--instance', 'Office')).stdout).toBe(before);
  });
});

describe('linekeeper lines export', () => {
  it('writes CSV with a BOM to --out, and importing it back changes nothing', async () => {
    const out = join(dir, 'berlin.csv');
    const r = await cli('lines', 'export', '--instance', 'Berlin', '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(bytes.subarray(3).toString()).toBe('number,name,deviceId,buttons\r\n200,Alice,SEP001122334455,201\r\n');
    const back = await cli('lines', 'import', '--instance', 'Berlin', out);
    expect(back.stdout).toContain('added: 0, changed: 0, unchanged: 1, errors: 0');
  });

  it('prints to standard output without --out, with the BOM for CSV', async () => {
    const r = await cli('lines', 'export', '--instance', 'Berlin', '--format', 'csv');
    expect(r.stdout.startsWith('\uFEFFnumber,name')).toBe(true);
  });

  it('refuses a text export that would lose a name, and writes no file', async () => {
    await cli('lines', 'import', '--instance', 'Berlin', '--format', 'csv', file('semi.csv', 'number,name,deviceId\n205,"a;b",SEP001122334466\n'));
    const out = join(dir, 'lossy.txt');
    const r = await cli('lines', 'export', '--instance', 'Berlin', '--format', 'cme', '--out', out);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('LINES_EXPORT_LOSSY') });
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('linekeeper lines list', () => {
  it('lists the lines, with the canonical number each is shown as when the location is used and shown canonical', async () => {
    expect((await cli('instances', 'create', '--family', 'panasonic', '--name', 'Munich')).code).toBe(0);
    expect(await cli('lines', 'list', '--instance', 'Munich')).toMatchObject({ code: 0, stdout: '"Munich" has no lines\n' });
    expect((await cli('lines', 'import', '--instance', 'Munich', file('munich.txt', '100,Reception\n2050,Sales\n'))).code).toBe(0);
    expect(await cli('lines', 'list', '--instance', 'Munich')).toMatchObject({ code: 0, stdout: 'NUMBER  NAME\n100     Reception\n2050    Sales\n' });
    const set = await cli('instances', 'set', '--name', 'Munich', 'location.useLocation=true', 'location.location=49(89)1234', 'location.ranges=100-199,2000-2099', 'location.display=canonical');
    expect(set, set.stderr).toMatchObject({ code: 0 });
    expect((await cli('lines', 'list', '--instance', 'Munich')).stdout).toBe('NUMBER  SHOWN AS          NAME\n100     +49(89)1234-100   Reception\n2050    +49(89)1234-2050  Sales\n');
    const json = JSON.parse((await cli('lines', 'list', '--instance', 'Munich', '--json')).stdout);
    expect(json).toEqual({ instance: 'Munich', total: 2, lines: [{ number: '100', name: 'Reception' }, { number: '2050', name: 'Sales' }], shownAs: { '100': '+49(89)1234-100', '2050': '+49(89)1234-2050' } });
    // Shown internal (the console's choice) or no location in use: the numbers as they are, as the API lists them.
    expect((await cli('instances', 'set', '--name', 'Munich', 'location.display=internal')).code).toBe(0);
    expect(JSON.parse((await cli('lines', 'list', '--instance', 'Munich', '--json')).stdout).shownAs).toBeNull();
    expect((await cli('lines', 'list', '--instance', 'Munich')).stdout).toBe('NUMBER  NAME\n100     Reception\n2050    Sales\n');
  });

  it('shows the family fields some line has, and fails for an unknown instance', async () => {
    expect((await cli('instances', 'create', '--family', 'cme', '--name', 'Hamburg')).code).toBe(0);
    const imported = await cli('lines', 'import', '--instance', 'Hamburg', '--format', 'csv', file('hamburg.csv', 'number,name,deviceId\n200,Front,SEP001122334455\n201,,\n'));
    expect(imported, imported.stderr).toMatchObject({ code: 0 });
    expect((await cli('lines', 'list', '--instance', 'Hamburg')).stdout).toBe('NUMBER  DEVICE           NAME\n200     SEP001122334455  Front\n201     -                -\n');
    expect(await cli('lines', 'list', '--instance', 'Nowhere')).toMatchObject({ code: 1, stderr: expect.stringContaining('Nowhere') });
  });
});
