import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '..';
import { createServices, type Services } from '../../app/services';

let dir: string;
let services: Services;
let api: Dispatch;
let pbx: string;
let cme: string;

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const reply = await api(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as T;
}
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const lines = async (instanceId: string) => (await ok('lines.list', { instanceId })).lines;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-lines-api-'));
  services = createServices({ dataDir: join(dir, 'data'), transport: 'websocket' });
  api = createApi(services);
  pbx = (await ok('instances.create', { family: 'panasonic', name: 'Office PBX' })).id;
  cme = (await ok('instances.create', { family: 'cme', name: 'CME Berlin' })).id;
});
afterAll(async () => {
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('line import and export through the API', () => {
  it('previews an uploaded file without changing the lines', async () => {
    const preview = await ok('lines.importPreview', { instanceId: pbx, data: b64('100,Reception\n101,Sales\n') });
    expect(preview).toMatchObject({ format: 'text', encoding: 'utf-8', added: [{ line: 1 }, { line: 2 }], changed: [], errors: [] });
    expect(await lines(pbx)).toEqual([]);
  });

  it('applies an uploaded file and reports added, changed and unchanged', async () => {
    expect(await ok('lines.importApply', { instanceId: pbx, data: b64('100,Reception\n101,Sales\n'), fileName: 'pbx.txt' })).toMatchObject({ applied: true, lineCount: 2 });
    const result = await ok('lines.importApply', { instanceId: pbx, data: b64('100,Reception\n101,Sales team\n102,Store\n') });
    expect(result).toMatchObject({ applied: true, lineCount: 3, unchanged: [{ line: 1, number: '100' }], changed: [{ line: 2, fields: ['name'] }], added: [{ line: 3 }] });
    expect(await lines(pbx)).toEqual([
      { number: '100', name: 'Reception' },
      { number: '101', name: 'Sales team' },
      { number: '102', name: 'Store' },
    ]);
  });

  it('a file with a bad row applies nothing and names the file line', async () => {
    const before = await lines(pbx);
    const reply = await api('lines.importApply', { instanceId: pbx, data: b64('103,New\n1x4,Bad\n') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'LINES_IMPORT_HAS_ERRORS', message: expect.stringContaining('line 2'), details: { errors: [{ line: 2, field: 'number' }] } } });
    expect(await lines(pbx)).toEqual(before);
  });

  it('with skipBad the good rows are applied and the bad ones listed', async () => {
    const result = await ok('lines.importApply', { instanceId: pbx, data: b64('103,New\n1x4,Bad\n'), skipBad: true });
    expect(result).toMatchObject({ applied: true, added: [{ line: 1 }], errors: [{ line: 2 }] });
    expect((await lines(pbx)).map((l: any) => l.number)).toContain('103');
  });

  it('exports CSV with a BOM and imports it back unchanged (CME lines with buttons and mobility users)', async () => {
    await ok('lines.importApply', { instanceId: cme, data: b64('200;Alice;SEP001122334455;201;202\n210;Mobility user;\n'), format: 'cme' });
    const out = await ok('lines.export', { instanceId: cme, format: 'csv' });
    expect(out).toMatchObject({ format: 'csv', lineCount: 2, fileName: 'CME_Berlin-lines.csv' });
    const bytes = Buffer.from(out.data, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const again = await ok('lines.importPreview', { instanceId: cme, data: out.data, fileName: out.fileName });
    expect(again).toMatchObject({ format: 'csv', added: [], changed: [], errors: [], unchanged: [{ line: 2 }, { line: 3 }] });
  });

  it('exports the CME text format by default for CME instances, as base64 without a path', async () => {
    const result = await ok('lines.export', { instanceId: cme });
    expect(result).toMatchObject({ format: 'cme', fileName: 'CME_Berlin-lines.txt' });
    expect(Buffer.from(result.data, 'base64').toString()).toBe('200;Alice;SEP001122334455;201;202\r\n210;Mobility user;\r\n');
  });

  it('refuses to export a name the CME text format cannot hold', async () => {
    await ok('lines.add', { instanceId: cme, line: { number: '220', name: 'Sales; Team', deviceId: 'SEP001122334499' } });
    expect(await api('lines.export', { instanceId: cme, format: 'cme' })).toMatchObject({ ok: false, error: { code: 'LINES_EXPORT_LOSSY', message: expect.stringContaining('line 220') } });
    expect(await ok('lines.export', { instanceId: cme, format: 'csv' })).toMatchObject({ lineCount: 3 });
  });

  it('refuses bad input with a clear error: no file, unknown instance, unknown format', async () => {
    expect(await api('lines.importPreview', { instanceId: pbx })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await api('lines.export', { instanceId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await api('lines.export', { instanceId: pbx, format: 'xml' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('never reads a file the caller names: a path is refused and the file is not opened', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, '999,Secret content of another file\n');
    for (const method of ['lines.importPreview', 'lines.importApply']) {
      const reply = await api(method, { instanceId: pbx, path: secret });
      expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(JSON.stringify(reply)).not.toContain('Secret content');
    }
    expect(await api('lines.importPreview', { instanceId: pbx, data: b64('1'), path: secret })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await lines(pbx)).map((l: any) => l.number)).not.toContain('999');
  });

  it('never writes a file the caller names: an export with a path is refused and nothing is written', async () => {
    const target = join(dir, 'written-by-export.txt');
    expect(await api('lines.export', { instanceId: pbx, path: target })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(existsSync(target)).toBe(false);
  });

  it('no method of the contract takes a file path or a folder, except where the admin chooses the log folder', async () => {
    const { methods } = await import('../../../shared/api/contract');
    // The log folder is the manual's "log files in the specified path": main only checks it is absolute and
    // writable, writes and prunes its own linekeeper-*.log files there, and never reads anything from it.
    const chosenFolders = ['log.configure.directory'];
    const pathKeys = /^(path|file|filePath|dir|directory|folder|out|outPath)$/i;
    const keysOf = (name: string) => Object.keys((methods as Record<string, { input: any }>)[name].input.shape ?? {});
    expect(keysOf('lines.export')).toContain('instanceId');
    const offenders = Object.keys(methods).flatMap((name) => keysOf(name).filter((k) => pathKeys.test(k)).map((k) => `${name}.${k}`));
    expect(offenders).toEqual(chosenFolders);
  });

  it('an import error names rows by line but quotes none of the file', async () => {
    const reply = await api('lines.importApply', { instanceId: pbx, data: b64('104,Fine\nroot:x:0:0:root:/root:/bin/bash\n') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'LINES_IMPORT_HAS_ERRORS', message: expect.stringContaining('line 2'), details: { count: 1, errors: [{ line: 2, field: 'number' }] } } });
    expect(JSON.stringify(reply)).not.toContain('root:x');
  });

  it('refuses control characters in any field with the file line, field and character code, and imports nothing', async () => {
    const before = await lines(pbx);
    const preview = await ok('lines.importPreview', { instanceId: pbx, data: b64('105,Bell\u0007\n106,Fine\n107,Nul\u0000name\n'), format: 'text' });
    expect(preview.errors).toEqual([
      { line: 1, field: 'name', code: 'LINES_CONTROL_CHARACTER', params: { line: 1, field: 'name', character: 'U+0007' }, message: expect.stringContaining('U+0007') },
      { line: 3, field: 'name', code: 'LINES_CONTROL_CHARACTER', params: { line: 3, field: 'name', character: 'U+0000' }, message: expect.stringContaining('U+0000') },
    ]);
    expect(await api('lines.importApply', { instanceId: pbx, data: b64('105,Bell\u0007\n') })).toMatchObject({ ok: false, error: { code: 'LINES_IMPORT_HAS_ERRORS', details: { errors: [{ line: 1, code: 'LINES_CONTROL_CHARACTER' }] } } });
    expect(await lines(pbx)).toEqual(before);
  });

  it('refuses a file over the size limit with a coded error naming the limit', async () => {
    const { LINES_IMPORT_MAX_BYTES } = await import('../../../shared/api/lines-io');
    const reply = await api('lines.importPreview', { instanceId: pbx, data: 'A'.repeat(Math.ceil(LINES_IMPORT_MAX_BYTES / 3) * 4 + 8) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'LINES_FILE_TOO_LARGE', message: expect.stringContaining(String(LINES_IMPORT_MAX_BYTES)), details: { limit: LINES_IMPORT_MAX_BYTES } } });
  });

  it('a big import answers with the counts and at most LINES_PREVIEW_LIST_MAX rows of each list, and applies every row', async () => {
    const { LINES_PREVIEW_LIST_MAX } = await import('../../../shared/api/lines-io');
    const n = LINES_PREVIEW_LIST_MAX + 500;
    const big = (await ok('instances.create', { family: 'panasonic', name: 'Big import' })).id;
    const rows = Array.from({ length: n }, (_, i) => `${50000 + i},User ${i}`);
    rows.push('5x,bad', '6x,bad');
    const data = b64(rows.join('\n'));
    const preview = await ok('lines.importPreview', { instanceId: big, data });
    expect(preview.counts).toEqual({ added: n, changed: 0, unchanged: 0, errors: 2, warnings: 0 });
    expect(preview.added).toHaveLength(LINES_PREVIEW_LIST_MAX);
    expect(preview.added[0]).toMatchObject({ line: 1 });
    expect(preview.errors.map((e: any) => e.line)).toEqual([n + 1, n + 2]);
    const applied = await ok('lines.importApply', { instanceId: big, data, skipBad: true });
    expect(applied).toMatchObject({ applied: true, lineCount: n, counts: { added: n, errors: 2 } });
    expect(applied.added).toHaveLength(LINES_PREVIEW_LIST_MAX);
    expect(await lines(big)).toHaveLength(n);
  });
});
