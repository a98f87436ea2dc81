import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--data-dir`, else LINEKEEPER_DATA_DIR, else the per-user data directory of the platform. */
export function resolveDataDir(flag: string | undefined): string {
  if (flag) return resolve(flag);
  if (process.env.LINEKEEPER_DATA_DIR) return resolve(process.env.LINEKEEPER_DATA_DIR);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Linekeeper');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Linekeeper');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'linekeeper');
}
