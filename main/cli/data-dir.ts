import { resolve } from 'node:path';
import { defaultDataDir } from '../store';

/** `--data-dir`, else the default (LINEKEEPER_DATA_DIR or the per-user data directory of the platform). */
export function resolveDataDir(flag: string | undefined): string {
  return resolve(flag || defaultDataDir());
}
