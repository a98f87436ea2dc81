import { resolve } from 'node:path';
import { consoleDataDir, machineDataDir } from '../services-control/data-dir';

/**
 * `--data-dir`, else the console's rule: LINEKEEPER_DATA_DIR, else the machine's directory the services use where
 * the installer made one this user may write, else the per-user data directory of the platform. So a plain
 * `linekeeper mux` on an installed machine sees the login the console saved.
 */
export function resolveDataDir(flag: string | undefined): string {
  const dir = resolve(flag || consoleDataDir().dir);
  // In the services' directory the service account must read (and the group replace) what the command writes,
  // as the console and the units (UMask=0007) do.
  if (process.platform !== 'win32' && dir === resolve(machineDataDir())) process.umask(0o007);
  return dir;
}
