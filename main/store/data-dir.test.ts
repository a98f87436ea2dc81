import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultDataDir } from './data-dir';
import { resolveDataDir } from '../cli/data-dir';

describe('default data directory', () => {
  it('is ~/.config/linekeeper on Linux, following XDG_CONFIG_HOME', () => {
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.config', 'linekeeper'));
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(join('/cfg', 'linekeeper'));
  });

  it('is the roaming application data on Windows and Application Support on macOS', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\a\\AppData\\Roaming', 'Linekeeper'));
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Linekeeper'));
  });

  it('is LINEKEEPER_DATA_DIR when set, and the CLI uses the same default where the machine has no shared directory', () => {
    expect(defaultDataDir({ LINEKEEPER_DATA_DIR: '/data/lk' }, 'linux')).toBe('/data/lk');
    vi.stubEnv('LINEKEEPER_MACHINE_DATA_DIR', join(tmpdir(), 'lk-no-such-machine-dir'));
    try {
      expect(resolveDataDir(undefined)).toBe(resolve(defaultDataDir()));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
