import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'lk-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function validate(file: string): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  const yaml = require('js-yaml');
  await validateConfiguration(yaml.load(readFileSync(file, 'utf8')), new DebugLogger(false));
}

describe('packaging', () => {
  it('the electron-builder configurations pass its schema, offline', async () => {
    await validate(join(root, 'electron-builder.yml'));
    await validate(join(root, 'electron-builder.release.yml'));
    const bad = join(work, 'bad.yml');
    writeFileSync(bad, 'appId: x\nlinux:\n  target: 42\n  nonsense: true\n');
    await expect(validate(bad)).rejects.toThrow(/configuration\.linux/);
  }, 60_000);

  it('the configuration targets NSIS, MSI, AppImage, deb and dmg with icon and app id', () => {
    const cfg = require('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
    expect(cfg.appId).toBe('org.linekeeper.console');
    expect(cfg.productName).toBe('Linekeeper');
    expect(cfg.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis', 'msi']);
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg']);
    expect(readFileSync(join(root, cfg.linux.icon)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a --dir build with a stand-in Electron holds the built main, preload and renderer and no tests or sources', () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
    const dist = join(work, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho stand-in electron\n');
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), require('electron/package.json').version);
    const out = join(work, 'release');
    const pack = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    expect(pack.status, `electron-builder failed:\n${pack.stdout}\n${pack.stderr}`).toBe(0);
    const asarPath = join(out, 'linux-unpacked', 'resources', 'app.asar');
    const asar = require('@electron/asar');
    const files: string[] = asar.listPackage(asarPath).map((f: string) => f.replaceAll('\\', '/'));
    for (const f of ['/out/main/main.mjs', '/out/preload/preload.cjs', '/out/renderer/index.html', '/package.json']) expect(files).toContain(f);
    expect(files.filter((f) => /\.(test|spec)\.[cm]?[tj]sx?$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^\/(main|renderer\/src|e2e|test|bench|shared)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString());
    expect(pkg.main).toBe('out/main/main.mjs');
  }, 240_000);
});
