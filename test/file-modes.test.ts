import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { prepareDataDir } from '../main/store';

// Runs on every platform; on POSIX (this build machine is Linux) it checks the modes, on Windows that nothing is changed.
const POSIX = process.platform !== 'win32';

let root: string;
let services: Services | undefined;
afterEach(async () => {
  await services?.dispose();
  services = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** Every file and folder under dir with its permission bits (symbolic links left out), relative names. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) continue;
      out[relative(dir, p)] = (lstatSync(p).mode & 0o7777).toString(8);
      if (e.isDirectory()) walk(p);
    }
  };
  out['.'] = (lstatSync(dir).mode & 0o7777).toString(8);
  walk(dir);
  return out;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('files of the data directory are readable by the user alone', () => {
  it('a full start creates folders 0700 and files 0600: documents, backup copies, secrets, key, logs, backups, licence journals', async () => {
    root = mkdtempSync(join(tmpdir(), 'lk-modes-'));
    const dataDir = join(root, 'data');
    services = createServices({ dataDir, transport: 'websocket' });
    const api = createApi(services);
    const created = await api('instances.create', { family: 'panasonic', name: 'Office' });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.result as { id: string }).id;
    expect(await api('lines.importApply', { instanceId: id, data: b64('100,Reception\n') })).toMatchObject({ ok: true });
    expect(await api('lines.importApply', { instanceId: id, data: b64('100,Reception desk\n') })).toMatchObject({ ok: true });
    await services.secrets.set('test/secret', 'hunter2');
    services.logger.child('test').info('a line for the log file');
    await services.licences.pool.lease(id, '100');
    const backup = await api('config.backup', {});
    if (!backup.ok) throw new Error(backup.error.message);
    expect(await api('config.restore', { backup: (backup.result as { backup: unknown }).backup })).toMatchObject({ ok: true });

    const all = modes(dataDir);
    // Each kind of file the issue names is there, so the modes below are about real files.
    const names = Object.keys(all);
    for (const want of [/^config\/instance-.*\.json$/, /^config\/instance-.*\.json\.bak$/, /^secrets\/secret\.key$/, /^secrets\/secrets\.json$/, /^logs\/linekeeper-.*\.log$/, /^backups\/before-restore-.*\.json$/, /^run\/licence-leases\/.*\.log$/]) {
      expect(names.some((n) => want.test(n)), `no file like ${want}`).toBe(true);
    }
    if (!POSIX) return;
    const loose = Object.entries(all).filter(([name, mode]) => {
      const isDir = lstatSync(join(dataDir, name)).isDirectory();
      return mode !== (isDir ? '700' : '600');
    });
    expect(loose).toEqual([]);
  });

  it('a start tightens what an older version or a loose umask left readable, names it in the log, and leaves symbolic links alone', async () => {
    root = mkdtempSync(join(tmpdir(), 'lk-modes-'));
    const dataDir = join(root, 'data');
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'not ours');
    chmodSync(outside, 0o644);
    for (const d of ['', 'config', 'secrets', 'logs', 'backups', 'run/licence-leases']) mkdirSync(join(dataDir, d), { recursive: true, mode: 0o755 });
    const files = ['config/settings.json', 'logs/linekeeper-2026-01-01.log', 'backups/before-restore-old.json', 'run/licence-leases/1-x.log'];
    for (const f of files) writeFileSync(join(dataDir, f), f.endsWith('.json') ? '{}' : 'x', { mode: 0o644 });
    symlinkSync(outside, join(dataDir, 'logs', 'link.log'));
    if (POSIX) for (const d of ['', 'config', 'secrets', 'logs', 'backups', 'run', 'run/licence-leases']) chmodSync(join(dataDir, d), 0o755);

    services = createServices({ dataDir, transport: 'websocket' });
    if (!POSIX) {
      expect(prepareDataDir(dataDir)).toEqual([]);
      return;
    }
    const loose = Object.entries(modes(dataDir)).filter(([name, mode]) => mode !== (lstatSync(join(dataDir, name)).isDirectory() ? '700' : '600'));
    expect(loose).toEqual([]);
    expect(lstatSync(outside).mode & 0o777).toBe(0o644);
    const log = readdirSync(join(dataDir, 'logs')).filter((f) => f.startsWith('linekeeper-') && !f.includes('2026-01-01'));
    expect(log.map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('')).toMatch(/other users could read \d+ files or folders of the data directory; they are now private/);
  });

  it('in a shared data directory (setgid, for the service group) the group keeps its access and others lose theirs', () => {
    root = mkdtempSync(join(tmpdir(), 'lk-modes-'));
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'config'), { recursive: true });
    writeFileSync(join(dataDir, 'config', 'settings.json'), '{}');
    if (!POSIX) {
      expect(prepareDataDir(dataDir)).toEqual([]);
      return;
    }
    chmodSync(dataDir, 0o2775);
    chmodSync(join(dataDir, 'config'), 0o2775);
    chmodSync(join(dataDir, 'config', 'settings.json'), 0o664);
    expect(prepareDataDir(dataDir).map((p) => relative(dataDir, p) || '.')).toEqual(['.', 'config', 'config/settings.json']);
    const m = modes(dataDir);
    expect(m).toMatchObject({ '.': '2770', config: '2770', 'config/settings.json': '660', logs: '2770', secrets: '2770', run: '2770', backups: '2770' });
    expect(existsSync(join(dataDir, 'logs'))).toBe(true);
  });
});
