import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI and serve mode keep the configuration when no `--data-dir` is given: LINEKEEPER_DATA_DIR, else
 * the platform's per-user application data folder (`~/.config/linekeeper` on Linux).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LINEKEEPER_DATA_DIR) return env.LINEKEEPER_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'Linekeeper');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Linekeeper');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'linekeeper');
}
