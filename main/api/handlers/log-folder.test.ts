import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../app/services';
import { createApi } from '../index';
import { useApiHarness } from './api-harness';

const harness = useApiHarness('lk-log-folder-');

const logText = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.log')).map((n) => readFileSync(join(dir, n), 'utf8')).join('');

describe('the log folder', () => {
  it('can be chosen: checked writable first, written to at once and after a restart, and set back to the default', async () => {
    const { dataDir, call } = harness.setup();
    const chosen = join(dataDir, 'elsewhere', 'logs');
    const before = await call('log.settings');
    expect(before).toMatchObject({ directory: join(dataDir, 'logs'), defaultDirectory: join(dataDir, 'logs') });
    expect(await call('log.configure', { directory: chosen })).toMatchObject({ directory: chosen, defaultDirectory: join(dataDir, 'logs') });
    await call('log.reportError', { message: 'written to the chosen folder' });
    expect(logText(chosen)).toContain('written to the chosen folder');

    // a restart keeps writing there
    await harness.services().dispose();
    const again = harness.track(createServices({ dataDir, transport: 'websocket' }));
    const api = createApi(again);
    await new Promise((r) => setTimeout(r, 100));
    expect(await api('log.settings', {})).toMatchObject({ ok: true, result: { directory: chosen } });
    await api('log.reportError', { message: 'after the restart' });
    expect(logText(chosen)).toContain('after the restart');

    expect(await api('log.configure', { directory: '' })).toMatchObject({ ok: true, result: { directory: join(dataDir, 'logs') } });
  });

  it('refuses a folder it cannot write, or a relative one, with a coded reason, and changes nothing', async () => {
    const { dataDir, call, fail } = harness.setup();
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a folder');
    const blocked = join(file, 'logs');
    expect(await fail('log.configure', { directory: blocked, level: 'debug' })).toMatchObject({ code: 'LOG_DIRECTORY_NOT_WRITABLE', details: { directory: blocked, cause: 'ENOTDIR' } });
    expect(await fail('log.configure', { directory: 'logs/here' })).toMatchObject({ code: 'LOG_DIRECTORY_NOT_ABSOLUTE', details: { directory: 'logs/here' } });
    expect(await call('log.settings')).toMatchObject({ directory: join(dataDir, 'logs'), level: 'info' });
    expect(existsSync(join(dataDir, 'logs/here'))).toBe(false);
  });

  it('is opened by the desktop app and named to the browser, which cannot open it', async () => {
    const { dataDir, fail } = harness.setup();
    expect(await fail('log.openFolder', {})).toMatchObject({ code: 'LOG_FOLDER_NOT_OPENED', details: { directory: join(dataDir, 'logs'), cause: 'browser' } });
    const opened: string[] = [];
    const desktop = harness.track(createServices({ dataDir, transport: 'electron', openFolder: async (d) => (opened.push(d), '') }));
    expect(await createApi(desktop)('log.openFolder', {})).toMatchObject({ ok: true, result: { directory: join(dataDir, 'logs') } });
    expect(opened).toEqual([join(dataDir, 'logs')]);
  });
});
