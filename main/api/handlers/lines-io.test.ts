import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('applies an import from a file path and reports added, changed and unchanged', async () => {
    const file = join(dir, 'pbx.txt');
    writeFileSync(file, '100,Reception\n101,Sales\n');
    expect(await ok('lines.importApply', { instanceId: pbx, path: file })).toMatchObject({ applied: true, lineCount: 2 });
    writeFileSync(file, '100,Reception\n101,Sales team\n102,Store\n');
    const result = await ok('lines.importApply', { instanceId: pbx, path: file });
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
    const out = join(dir, 'cme.csv');
    expect(await ok('lines.export', { instanceId: cme, format: 'csv', path: out })).toMatchObject({ format: 'csv', lineCount: 2, path: out });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const again = await ok('lines.importPreview', { instanceId: cme, path: out });
    expect(again).toMatchObject({ format: 'csv', added: [], changed: [], errors: [], unchanged: [{ line: 2 }, { line: 3 }] });
  });

  it('exports the CME text format by default for CME instances, as base64 without a path', async () => {
    const result = await ok('lines.export', { instanceId: cme });
    expect(result).toMatchObject({ format: 'cme', fileName: 'CME_Berlin-lines.txt' });
    expect(Buffer.from(result.data, 'base64').toString()).toBe('200;Alice;SEP001122334455;201;202\r\n210;Mobility user;\r\n');
  });

  it('refuses to export a name the CME text format cannot hold, and writes no file', async () => {
    await ok('lines.add', { instanceId: cme, line: { number: '220', name: 'Sales; Team', deviceId: 'SEP001122334499' } });
    const out = join(dir, 'lossy.txt');
    expect(await api('lines.export', { instanceId: cme, format: 'cme', path: out })).toMatchObject({ ok: false, error: { code: 'LINES_EXPORT_LOSSY', message: expect.stringContaining('line 220') } });
    expect(existsSync(out)).toBe(false);
    expect(await ok('lines.export', { instanceId: cme, format: 'csv' })).toMatchObject({ lineCount: 3 });
  });

  it('refuses bad input with a clear error: missing file, no source, two sources, unknown instance', async () => {
    expect(await api('lines.importPreview', { instanceId: pbx, path: join(dir, 'missing.txt') })).toMatchObject({ ok: false, error: { code: 'LINES_FILE_UNREADABLE', message: expect.stringContaining('no such file') } });
    expect(await api('lines.importPreview', { instanceId: pbx })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await api('lines.importPreview', { instanceId: pbx, path: 'a', data: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await api('lines.export', { instanceId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await api('lines.export', { instanceId: pbx, format: 'xml' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
