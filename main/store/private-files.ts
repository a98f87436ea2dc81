import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSharedDataDir } from './secret-store';

/**
 * Who may read what Linekeeper keeps on POSIX: folders 0700 and files 0600 (the user alone). In a data directory
 * the installer marked shared (setgid, group "linekeeper": console users and the service account) the group
 * keeps its access (folders 2770, files up to 0660) and others still get nothing. Windows: the user's profile
 * folders are private already; nothing is changed there.
 */
export interface PrivateModes {
  dir: number;
  file: number;
  /** Permission bits an existing file or folder may not have. */
  forbidden: number;
}

const POSIX = process.platform !== 'win32';

export function privateModes(dataDir: string): PrivateModes {
  return isSharedDataDir(dataDir) ? { dir: 0o2770, file: 0o660, forbidden: 0o007 } : { dir: 0o700, file: 0o600, forbidden: 0o077 };
}

/**
 * Creates a folder (and missing parents) private to the user, or to the group of a shared data directory; an
 * existing one is tightened if too open. Returns true if an existing folder was changed.
 */
export function makePrivateDir(dir: string, modes: PrivateModes = privateModes(dirname(dir))): boolean {
  const created = mkdirSync(dir, { recursive: true, mode: modes.dir }) !== undefined;
  if (!POSIX) return false;
  if (!created) return tighten(dir, modes, true);
  // mkdir's mode passes the umask, which may take the group's access in a shared data directory.
  try {
    chmodSync(dir, modes.dir);
  } catch {
    /* made meanwhile by another member of the group, who set the mode */
  }
  return false;
}

/** The folders of a data directory that are Linekeeper's own (Electron keeps Chromium's beside them). */
export const DATA_FOLDERS = ['config', 'secrets', 'logs', 'backups', 'run', 'services'] as const;

/**
 * Makes the data directory and its own folders private at start: creates them 0700 and takes group and other
 * permissions off whatever already exists in them (files from older versions, or made with a loose umask).
 * Symbolic links are left alone. Returns the paths it changed, for a warning.
 */
export function prepareDataDir(dataDir: string): string[] {
  const changed: string[] = [];
  if (makePrivateDir(dataDir, { dir: 0o700, file: 0o600, forbidden: isSharedDataDir(dataDir) ? 0o007 : 0o077 })) changed.push(dataDir);
  if (!POSIX) return changed;
  const modes = privateModes(dataDir);
  for (const name of DATA_FOLDERS) {
    const dir = join(dataDir, name);
    if (makePrivateDir(dir, modes)) changed.push(dir);
    walk(dir, modes, changed);
  }
  return changed;
}

function walk(dir: string, modes: PrivateModes, changed: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (tighten(path, modes, true)) changed.push(path);
      walk(path, modes, changed);
    } else if (e.isFile() && tighten(path, modes, false)) changed.push(path);
  }
}

/** Takes the forbidden bits off one file or folder; true if it changed. */
function tighten(path: string, modes: PrivateModes, isDir: boolean): boolean {
  let mode: number;
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink() || st.isDirectory() !== isDir) return false;
    mode = st.mode & 0o7777;
  } catch {
    return false;
  }
  const wanted = mode & ~modes.forbidden;
  if (wanted === mode) return false;
  try {
    chmodSync(path, wanted);
    return true;
  } catch {
    // Not ours (a shared folder made by another member of the group): that member's process tightens it.
    return false;
  }
}
