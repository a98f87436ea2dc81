import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'lk-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm start', () => {
  it('starts Electron on the main file the build writes, where an Electron binary is installed', () => {
    // A stand-in Electron: reports what it was given and whether package.json's main exists, as Electron needs.
    const dist = join(work, 'electron-dist');
    spawnSync('mkdir', ['-p', dist]);
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nmain=$("${process.execPath}" -p "require('./package.json').main")\nif [ -f "$main" ]; then echo "stand-in electron: $* main=$main"; else echo "main $main is missing" >&2; exit 3; fi\n`);
    chmodSync(join(dist, 'electron'), 0o755);
    const dataDir = join(work, 'data');
    const run = spawnSync(process.execPath, ['scripts/start.mjs', `--data-dir=${dataDir}`], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist }, timeout: 180_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`stand-in electron: . --demo --data-dir=${dataDir} main=out/main/main.mjs`);
  }, 200_000);

  it('falls back to the console in the browser where Electron is not installed', async () => {
    // An Electron folder without the binary, as after an offline `npm ci`.
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(work, 'no-electron-')) };
    const child = spawn(process.execPath, ['scripts/start.mjs', `--data-dir=${join(work, 'browser-data')}`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      for (let i = 0; i < 1800 && !/Linekeeper console: http:\/\/127\.0\.0\.1:\d+/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/starts in your browser instead/);
      expect(out).toMatch(/Linekeeper console: http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 200_000);
});
