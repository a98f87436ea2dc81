import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { menuTemplate } from '../main/electron/menu-template';
import { aboutDetail, shellText } from '../main/electron/shell-text';
import { loadWindowState, restoreBounds, saveWindowState, DEFAULT_SIZE } from '../main/electron/window-state';
import { selfUpdating } from '../main/electron/updates';
import { macInstallScript, macRemoveScript } from '../main/electron/mac-setup';
import { UNIT_NAMES } from '../main/services-control/control';
import { PROTOCOL_STACKS, runtimeVersions } from '../main/support/versions';
import { EDITIONS } from '../main/protocols/csta-xml/editions';

const work = mkdtempSync(join(tmpdir(), 'lk-shell-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

const noop = { about() {}, exportSupportBundle() {}, openLogs() {}, installCommand() {}, removeServices() {} };

describe('the Electron shell', () => {
  it('release builds get Linekeeper’s own menu without developer tools or Electron links; development builds keep the tools', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      const release = flatten(menuTemplate({ platform, isPackaged: true, text: shellText('en-US'), actions: noop }));
      expect(release.filter((i) => i.role === 'toggleDevTools' || i.role === 'forceReload')).toEqual([]);
      expect(JSON.stringify(release)).not.toMatch(/electron/i);
      expect(release.map((i) => i.label)).toEqual(expect.arrayContaining(['About Linekeeper', 'Export support bundle…']));
      const dev = flatten(menuTemplate({ platform, isPackaged: false, text: shellText('en-US'), actions: noop }));
      expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
    }
    const german = flatten(menuTemplate({ platform: 'win32', isPackaged: true, text: shellText('de-DE'), actions: noop }));
    expect(german.map((i) => i.label)).toEqual(expect.arrayContaining(['Über Linekeeper', 'Supportpaket exportieren…']));
    // The command offer is a macOS menu item only.
    expect(flatten(menuTemplate({ platform: 'darwin', isPackaged: true, text: shellText('en'), actions: noop })).some((i) => i.label === shellText('en').installCommand)).toBe(true);
    expect(flatten(menuTemplate({ platform: 'linux', isPackaged: true, text: shellText('en'), actions: noop })).some((i) => i.label === shellText('en').installCommand)).toBe(false);
    // So is the way back: removing the daemons and the command.
    for (const lang of ['en', 'de']) {
      const labels = flatten(menuTemplate({ platform: 'darwin', isPackaged: true, text: shellText(lang), actions: noop })).map((i) => i.label);
      expect(labels).toContain(shellText(lang).removeServices);
    }
    expect(shellText('de').removeServices).toBe('Befehl linekeeper und Dienste entfernen…');
    for (const platform of ['win32', 'linux'] as const) {
      expect(flatten(menuTemplate({ platform, isPackaged: true, text: shellText('en'), actions: noop })).some((i) => i.label === shellText('en').removeServices)).toBe(false);
    }
  });

  it('the menu items call their actions', () => {
    const called: string[] = [];
    const actions = { about: () => called.push('about'), exportSupportBundle: () => called.push('bundle'), openLogs: () => called.push('logs'), installCommand: () => called.push('install'), removeServices: () => called.push('remove') };
    for (const item of flatten(menuTemplate({ platform: 'linux', isPackaged: true, text: shellText('en'), actions }))) (item.click as (() => void) | undefined)?.();
    expect([...new Set(called)].sort()).toEqual(['about', 'bundle', 'logs']);
    called.length = 0;
    for (const item of flatten(menuTemplate({ platform: 'darwin', isPackaged: true, text: shellText('en'), actions }))) (item.click as (() => void) | undefined)?.();
    expect([...new Set(called)].sort()).toEqual(['about', 'bundle', 'install', 'logs', 'remove']);
  });

  it('the About box lists the app, Electron, Node, Chromium and the protocol stacks', () => {
    const detail = aboutDetail(runtimeVersions({ ...process.versions, electron: '45.4.1', chrome: '142.0.7444.52' } as NodeJS.ProcessVersions));
    expect(detail).toMatch(/^Linekeeper: \d+\.\d+\.\d+$/m);
    expect(detail).toMatch(/^Electron: 45\.4\.1$/m);
    expect(detail).toMatch(/^Chromium: 142\.0\.7444\.52$/m);
    expect(detail).toMatch(new RegExp(`^Node: ${process.versions.node.replaceAll('.', '\\.')}$`, 'm'));
    expect(detail).toMatch(/^CSTA Phase III: .*BER/m);
    expect(detail).toMatch(/^CSTA multiplexer: /m);
    // Every stack the drivers and servers speak, with the ECMA-323 editions the codec writes.
    expect(detail).toMatch(new RegExp(`^CSTA XML: ECMA-323 ${EDITIONS.join(', ')}, in SIP INFO or NOTIFY$`, 'm'));
    expect(EDITIONS.length).toBeGreaterThan(0);
    expect(detail).toMatch(/^uaCSTA: server for SIP phones/m);
    expect(detail).toMatch(/^SIP: .*TCP and TLS.*MD5 and SHA-256/m);
    expect(detail).toMatch(/^BroadWorks Xsi: Xsi-Actions and Xsi-Events/m);
    expect(detail).toMatch(/^Cisco CME XML API: .*\/ios_xml_app\/cme/m);
    // The same list goes into support bundles and after the runtime versions.
    const keys = Object.keys(runtimeVersions());
    expect(keys.slice(-Object.keys(PROTOCOL_STACKS).length)).toEqual(['CSTA Phase III', 'CSTA multiplexer', 'CSTA XML', 'uaCSTA', 'SIP', 'BroadWorks Xsi', 'Cisco CME XML API']);
  });

  it('the window opens where it was, within today’s displays, at least its minimum size', () => {
    const file = join(work, 'window-state.json');
    expect(restoreBounds(loadWindowState(file), [{ x: 0, y: 0, width: 1920, height: 1040 }])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
    saveWindowState(file, { bounds: { x: 100, y: 50, width: 1500, height: 900 }, maximized: true });
    const displays = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    expect(restoreBounds(loadWindowState(file), displays)).toEqual({ bounds: { x: 100, y: 50, width: 1500, height: 900 }, maximized: true });
    // The second monitor it was on is gone: default position, remembered size within limits.
    expect(restoreBounds({ bounds: { x: 2500, y: 100, width: 1000, height: 700 }, maximized: false }, displays)).toEqual({ bounds: { width: 1000, height: 700 }, maximized: false });
    // Larger than the display's work area, or smaller than the minimum.
    expect(restoreBounds({ bounds: { x: 10, y: 10, width: 4000, height: 300 }, maximized: false }, displays).bounds).toEqual({ x: 10, y: 10, width: 1920, height: 600 });
    writeFileSync(file, '{"bounds":{"x":"a"}}');
    expect(loadWindowState(file)).toBeUndefined();
  });

  it('only NSIS, AppImage and macOS installs update themselves; MSI and deb are left to the admin’s tools', () => {
    const base = { productName: 'Linekeeper', env: {} as NodeJS.ProcessEnv };
    const nsis = (p: string) => p === 'C:\\Program Files\\Linekeeper/Uninstall Linekeeper.exe' || p.endsWith('Uninstall Linekeeper.exe');
    expect(selfUpdating({ ...base, platform: 'win32', execPath: 'C:\\Program Files\\Linekeeper\\Linekeeper.exe', exists: nsis })).toBe(true);
    expect(selfUpdating({ ...base, platform: 'win32', execPath: 'C:\\Program Files\\Linekeeper\\Linekeeper.exe', exists: () => false })).toBe(false);
    expect(selfUpdating({ ...base, platform: 'linux', execPath: '/tmp/.mount/linekeeper-console', env: { APPIMAGE: '/home/a/Linekeeper.AppImage' } })).toBe(true);
    expect(selfUpdating({ ...base, platform: 'linux', execPath: '/opt/Linekeeper/linekeeper-console' })).toBe(false);
    expect(selfUpdating({ ...base, platform: 'darwin', execPath: '/Applications/Linekeeper.app/Contents/MacOS/Linekeeper' })).toBe(true);
    expect(selfUpdating({ ...base, platform: 'darwin', execPath: '/x', env: { LINEKEEPER_UPDATES: 'off' } })).toBe(false);
  });

  it('the macOS install script is valid shell and installs the command and the daemon from the app it runs in', () => {
    const script = macInstallScript("/Users/o'neil/Apps/Linekeeper.app/Contents/Resources");
    const file = join(work, 'mac-install.sh');
    writeFileSync(file, script);
    expect(spawnSync('sh', ['-n', file]).status).toBe(0);
    expect(script).toContain("ln -sf '/Users/o'\\''neil/Apps/Linekeeper.app/Contents/Resources/bin/linekeeper' /usr/local/bin/linekeeper");
    expect(script).toMatch(/> \/Library\/LaunchDaemons\/org\.linekeeper\.mux\.plist/);
    expect(script).toMatch(/chmod 2770 '\/Library\/Application Support\/Linekeeper'/);
    // The shared secret store gets its protector (the System keychain) while the script runs as root, after the folder exists.
    expect(script.indexOf("Resources/bin/linekeeper' secrets status --data-dir '/Library/Application Support/Linekeeper'")).toBeGreaterThan(script.indexOf('chmod 2770'));
  });

  it('the macOS removal script is valid shell, stops and removes both daemons and our command link, and keeps the data unless asked', () => {
    const keep = macRemoveScript({ removeData: false });
    const purge = macRemoveScript({ removeData: true });
    for (const [name, script] of [['keep', keep], ['purge', purge]]) {
      const file = join(work, `mac-remove-${name}.sh`);
      writeFileSync(file, script);
      expect(spawnSync('sh', ['-n', file]).status).toBe(0);
      // As the menu runs it: one line for AppleScript's do shell script.
      writeFileSync(file, script.replace(/\n/g, '; '));
      expect(spawnSync('sh', ['-n', file]).status).toBe(0);
    }
    for (const { launchd: label } of Object.values(UNIT_NAMES)) {
      expect(keep).toContain(`launchctl bootout system/${label} 2>/dev/null || true\nrm -f /Library/LaunchDaemons/${label}.plist`);
      // What the install script put there is what is removed.
      expect(macInstallScript('/Applications/Linekeeper.app/Contents/Resources')).toContain(`> /Library/LaunchDaemons/${label}.plist`);
    }
    // Only a symlink is removed: a linekeeper someone else installed in /usr/local/bin stays.
    expect(keep).toContain('if [ -L /usr/local/bin/linekeeper ]; then rm -f /usr/local/bin/linekeeper; fi');
    expect(keep).not.toMatch(/Application Support|security|rm -rf/);
    expect(purge).toContain("rm -rf '/Library/Application Support/Linekeeper' /Library/Logs/Linekeeper");
    expect(purge).toContain('/usr/bin/security delete-generic-password -s org.linekeeper.secret-store /Library/Keychains/System.keychain');
  });

  it('the removal script run against a stand-in launchctl and root removes the link and keeps other files', () => {
    // The script's absolute paths moved under a temporary root; launchctl is a stand-in that records its calls.
    const root = mkdtempSync(join(work, 'mac-root-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'launchctl'), `#!/bin/sh\necho "$@" >> '${root}/launchctl.log'\n`);
    chmodSync(join(bin, 'launchctl'), 0o755);
    mkdirSync(join(root, 'Library', 'LaunchDaemons'), { recursive: true });
    mkdirSync(join(root, 'Library', 'Application Support', 'Linekeeper'), { recursive: true });
    mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
    for (const { launchd } of Object.values(UNIT_NAMES)) writeFileSync(join(root, 'Library', 'LaunchDaemons', `${launchd}.plist`), '<plist/>');
    writeFileSync(join(root, 'Library', 'LaunchDaemons', 'com.other.plist'), '<plist/>');
    writeFileSync(join(root, 'Library', 'Application Support', 'Linekeeper', 'settings.json'), '{}');
    symlinkSync('/Applications/Linekeeper.app/Contents/Resources/bin/linekeeper', join(root, 'usr', 'local', 'bin', 'linekeeper'));
    const script = macRemoveScript({ removeData: false }).replace(/(?<=[\s'])\/(Library|usr)\//g, `${root}/$1/`);
    const run = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(join(root, 'Library', 'LaunchDaemons'))).toEqual(['com.other.plist']);
    expect(existsSync(join(root, 'usr', 'local', 'bin', 'linekeeper'))).toBe(false);
    expect(readFileSync(join(root, 'Library', 'Application Support', 'Linekeeper', 'settings.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(root, 'launchctl.log'), 'utf8').trim().split('\n')).toEqual(Object.values(UNIT_NAMES).map((u) => `bootout system/${u.launchd}`));
    // A plain file in its place is not ours: it stays.
    writeFileSync(join(root, 'usr', 'local', 'bin', 'linekeeper'), 'someone else');
    expect(spawnSync('sh', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }).status).toBe(0);
    expect(readFileSync(join(root, 'usr', 'local', 'bin', 'linekeeper'), 'utf8')).toBe('someone else');
  });
});
