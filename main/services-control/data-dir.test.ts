import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleDataDir, machineDataDir } from './data-dir';

describe('the data directory console and services share', () => {
  it('is the one the installers create for the services, per platform', () => {
    expect(machineDataDir('linux', {})).toBe('/var/lib/linekeeper');
    expect(machineDataDir('win32', { ProgramData: 'D:\\PD' })).toBe(join('D:\\PD', 'Linekeeper'));
    expect(machineDataDir('darwin', {})).toBe('/Library/Application Support/Linekeeper');
  });

  it('the console takes an explicit choice, else the machine directory it may write, else its per-user folder', () => {
    const machine = mkdtempSync(join(tmpdir(), 'lk-machine-'));
    const home = mkdtempSync(join(tmpdir(), 'lk-home-'));
    const env = { XDG_CONFIG_HOME: home };
    expect(consoleDataDir({ override: '/x', env, machineDir: machine, platform: 'linux' })).toEqual({ dir: '/x', shared: false });
    expect(consoleDataDir({ env: { ...env, LINEKEEPER_DATA_DIR: '/y' }, machineDir: machine, platform: 'linux' })).toEqual({ dir: '/y', shared: false });
    expect(consoleDataDir({ env, machineDir: machine, platform: 'linux' })).toEqual({ dir: machine, shared: true });
    // Finding out leaves nothing behind in the shared folder.
    expect(readdirSync(machine)).toEqual([]);
    const notDir = join(machine, 'file');
    writeFileSync(notDir, '');
    expect(consoleDataDir({ env, machineDir: notDir, platform: 'linux' }).shared).toBe(false);
    // No installer ran: the per-user folder, as before.
    expect(consoleDataDir({ env, machineDir: join(machine, 'absent'), platform: 'linux' })).toEqual({ dir: join(home, 'linekeeper'), shared: false });
  });
});
