import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../store';

/**
 * The machine-wide data directory the installed services run on (and the installers create): the systemd unit's
 * /var/lib/linekeeper, %ProgramData%\Linekeeper for the Windows service, /Library/Application Support/Linekeeper
 * for the launchd daemon. LINEKEEPER_MACHINE_DATA_DIR stands in for it (tests, a service run elsewhere).
 */
export function machineDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.LINEKEEPER_MACHINE_DATA_DIR) return env.LINEKEEPER_MACHINE_DATA_DIR;
  if (platform === 'win32') return join(env.ProgramData || 'C:\\ProgramData', 'Linekeeper');
  if (platform === 'darwin') return '/Library/Application Support/Linekeeper';
  return '/var/lib/linekeeper';
}

export interface ConsoleDataDir {
  dir: string;
  /** The machine's directory, shared with the services (so one login and one set of settings). */
  shared: boolean;
}

/**
 * Whether this process can create files in the folder. Tried, not asked: on Windows access() reads only the
 * read-only attribute, while the installer's ACL is what decides.
 */
function writable(dir: string): boolean {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    if (!statSync(dir).isDirectory()) return false;
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the console and the command line keep their data: an explicit choice (--data-dir, LINEKEEPER_DATA_DIR) wins; else the machine's
 * directory when the installer made one this user may write (Linux: member of the linekeeper group), so console and
 * services share settings and secrets; else the per-user folder, and the Services page warns that they differ.
 */
export function consoleDataDir(opts: { override?: string; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; machineDir?: string } = {}): ConsoleDataDir {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  if (opts.override) return { dir: opts.override, shared: false };
  if (env.LINEKEEPER_DATA_DIR) return { dir: env.LINEKEEPER_DATA_DIR, shared: false };
  const machine = opts.machineDir ?? machineDataDir(platform, env);
  if (writable(machine)) return { dir: machine, shared: true };
  return { dir: defaultDataDir(env, platform), shared: false };
}
