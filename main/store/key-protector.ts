import { spawnSync } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { StoreError, StoreErrorCodes } from './errors';

/**
 * Where the master key of a secret store lives. The secrets themselves are always AES-256-GCM entries in
 * `secrets.json`; only the 32-byte key that encrypts them is handed to a protector:
 *
 * - `keyfile`: `<dir>/secret.key`, mode 0600 (0640 for the service group of a shared data directory);
 * - `secret-service`: the desktop keyring over D-Bus (GNOME Keyring, KWallet) through libsecret's `secret-tool`;
 * - `keychain`: the macOS login keychain, or the System keychain for the daemon's shared data directory (`security`);
 * - `dpapi`: Windows DPAPI through PowerShell (`ProtectedData`), LocalMachine scope for `%ProgramData%` so the
 *   service account and an elevated console share it, CurrentUser scope for a per-user folder; the protected blob
 *   is `<dir>/secret-key-<id>.dpapi` (one file per id, so two processes creating a store never overwrite each other's).
 *
 * The protector is chosen once per store and recorded in `<dir>/protector.json`, so the console, the CLI and the
 * services on one machine all use the one that holds the key. See docs/security.md ("Secret store").
 */
export type ProtectorKind = 'keyfile' | 'secret-service' | 'keychain' | 'dpapi';
export const PROTECTOR_KINDS: readonly ProtectorKind[] = ['keyfile', 'secret-service', 'keychain', 'dpapi'];

export interface ProtectorRecord {
  protector: ProtectorKind;
  /** Names the key in the keyring or keychain (random, so a moved data directory still finds its key). */
  id?: string;
  /** macOS: the keychain file; absent for the user's default (login) keychain. */
  keychain?: string;
  /** Windows: the DPAPI scope. */
  scope?: 'LocalMachine' | 'CurrentUser';
  /** Why the key file was chosen although the OS offers a keychain (shown by `linekeeper secrets status`). */
  reason?: string;
  /**
   * The key file was chosen only because this opener had no session bus (the CLI over SSH): an opener that has one
   * (the console on the desktop) moves the key into the keyring once.
   */
  recheck?: boolean;
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}
/** Runs an OS tool with the input on stdin (never a secret in the arguments). Replaceable in unit tests. */
export type CommandRunner = (command: string, args: string[], input?: string) => CommandResult;

export const runCommand: CommandRunner = (command, args, input) => {
  // A keyring that asks to be unlocked waits for the user; give up after a minute rather than hang a service.
  const r = spawnSync(command, args, { input: input ?? '', encoding: 'utf8', timeout: 60_000, windowsHide: true });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
};

export const RECORD_FILE = 'protector.json';
export const KEY_FILE = 'secret.key';
/** The DPAPI-protected key of the record with this id. */
export const dpapiFile = (id: string) => `secret-key-${id}.dpapi`;
export const KEY_BYTES = 32;
/** Secret Service attribute `application` and macOS keychain service name of every Linekeeper store key. */
export const KEY_SERVICE = 'org.linekeeper.secret-store';
export const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';
const SECURITY = '/usr/bin/security';

export interface ProtectorContext {
  /** The store's folder, `<dataDir>/secrets`. */
  dir: string;
  /** The data directory is shared with the service account (setgid group on POSIX). */
  shared: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  run: CommandRunner;
}

/** Puts a key into its protector and takes it out again. */
interface Protector {
  load(): Buffer;
  save(key: Buffer): void;
  /** Removes what save() put there (a lost race or failed check), quietly. */
  discard(): void;
}

// ---- argument building and parsing, pure so unit tests cover what only runs on other systems ----

export function secretToolArgs(verb: 'store' | 'lookup' | 'clear', id: string): string[] {
  const attrs = ['application', KEY_SERVICE, 'store', id];
  return verb === 'store' ? ['store', `--label=Linekeeper secret store key ${id}`, ...attrs] : [verb, ...attrs];
}

/** `security -i` reads the command from stdin, so the key never appears in a process list. */
export function keychainAddScript(id: string, keyB64: string, keychain?: string): string {
  const words = ['add-generic-password', '-U', '-s', KEY_SERVICE, '-a', id, '-l', 'Linekeeper-secret-store', '-T', SECURITY, '-w', keyB64];
  if (keychain) words.push(keychain);
  for (const w of words) if (!/^[\w./+=-]+$/.test(w)) throw new Error(`unsafe word for security -i: ${w}`);
  return `${words.join(' ')}\n`;
}

export function keychainFindArgs(id: string, keychain?: string): string[] {
  return ['find-generic-password', '-s', KEY_SERVICE, '-a', id, '-w', ...(keychain ? [keychain] : [])];
}

export function keychainDeleteArgs(id: string, keychain?: string): string[] {
  return ['delete-generic-password', '-s', KEY_SERVICE, '-a', id, ...(keychain ? [keychain] : [])];
}

/** PowerShell that reads base64 from stdin and writes the DPAPI-(un)protected bytes as base64. */
export function dpapiScript(op: 'Protect' | 'Unprotect', scope: 'LocalMachine' | 'CurrentUser'): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    'Add-Type -AssemblyName System.Security',
    '$data = [Convert]::FromBase64String([Console]::In.ReadToEnd().Trim())',
    `$entropy = [Text.Encoding]::UTF8.GetBytes('${KEY_SERVICE}')`,
    `$out = [Security.Cryptography.ProtectedData]::${op}($data, $entropy, [Security.Cryptography.DataProtectionScope]::${scope})`,
    '[Console]::Out.Write([Convert]::ToBase64String($out))',
  ].join('; ');
}

export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

/** The base64 key a tool printed, or an error naming what came back instead. */
export function parseKey(stdout: string, from: string): Buffer {
  const text = stdout.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) throw new Error(`${from} returned ${text ? `${key.length || 'no'} key bytes` : 'nothing'}, expected a ${KEY_BYTES}-byte key`);
  return key;
}

/** The protector the OS offers for this store, before trying it. */
export function preferredProtector(ctx: Pick<ProtectorContext, 'dir' | 'shared' | 'platform' | 'env'>): ProtectorRecord {
  const forced = ctx.env.LINEKEEPER_SECRET_PROTECTOR;
  if (forced && forced !== 'auto' && !PROTECTOR_KINDS.includes(forced as ProtectorKind)) {
    throw new StoreError(StoreErrorCodes.secret, `LINEKEEPER_SECRET_PROTECTOR=${forced} is not one of auto, ${PROTECTOR_KINDS.join(', ')}`, { value: forced });
  }
  const id = randomBytes(12).toString('hex');
  const kind = forced && forced !== 'auto' ? (forced as ProtectorKind) : undefined;
  if (ctx.platform === 'win32' && (kind ?? 'dpapi') === 'dpapi') return { protector: 'dpapi', id, scope: isUnderProgramData(ctx.dir, ctx.env) ? 'LocalMachine' : 'CurrentUser' };
  if (ctx.platform === 'darwin' && (kind ?? 'keychain') === 'keychain') return { protector: 'keychain', id, ...(ctx.shared ? { keychain: SYSTEM_KEYCHAIN } : {}) };
  if (kind === 'secret-service') return { protector: 'secret-service', id };
  if (kind === 'keyfile') return { protector: 'keyfile' };
  if (kind) throw new StoreError(StoreErrorCodes.secret, `the ${kind} protector exists only on ${kind === 'dpapi' ? 'Windows' : 'macOS'}`, { value: kind });
  // Linux and the rest: a service account has no login session and so no Secret Service; a shared data directory
  // therefore keeps the key file (group-readable), a per-user one uses the keyring when a session bus is there.
  if (ctx.shared) return { protector: 'keyfile', reason: 'shared with the service account, which has no keyring' };
  if (!ctx.env.DBUS_SESSION_BUS_ADDRESS) return { protector: 'keyfile', reason: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)', recheck: true };
  return { protector: 'secret-service', id };
}

function isUnderProgramData(dir: string, env: NodeJS.ProcessEnv): boolean {
  const pd = env.ProgramData ?? env.PROGRAMDATA ?? env.ALLUSERSPROFILE;
  if (!pd) return false;
  const a = resolve(dir).toLowerCase();
  const b = resolve(pd).toLowerCase();
  return a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
}

function protectorFor(record: ProtectorRecord, ctx: ProtectorContext): Protector {
  const run = (cmd: string, args: string[], input: string | undefined, what: string): string => {
    const r = ctx.run(cmd, args, input);
    if (r.error) throw new Error(`${what}: cannot run ${cmd} (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
    if (r.status !== 0) throw new Error(`${what}: ${cmd} exited with ${r.status}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`);
    return r.stdout;
  };
  switch (record.protector) {
    case 'keyfile':
      return {
        load: () => loadOrCreateKeyFile(join(ctx.dir, KEY_FILE), ctx.shared),
        save: (key) => writeKeyFile(join(ctx.dir, KEY_FILE), key, ctx.shared),
        discard: () => undefined,
      };
    case 'secret-service': {
      const id = requireId(record);
      return {
        load: () => {
          const out = run('secret-tool', secretToolArgs('lookup', id), undefined, 'the Secret Service (keyring) has no key for this store');
          return parseKey(out, 'secret-tool lookup');
        },
        save: (key) => void run('secret-tool', secretToolArgs('store', id), key.toString('base64'), 'the Secret Service (keyring) did not take the key'),
        discard: () => void ctx.run('secret-tool', secretToolArgs('clear', id)),
      };
    }
    case 'keychain': {
      const id = requireId(record);
      const where = record.keychain ? `the keychain ${record.keychain}` : 'the login keychain';
      return {
        load: () => parseKey(run(SECURITY, keychainFindArgs(id, record.keychain), undefined, `${where} has no key for this store`), 'security find-generic-password'),
        save: (key) => void run(SECURITY, ['-i'], keychainAddScript(id, key.toString('base64'), record.keychain), `${where} did not take the key`),
        discard: () => void ctx.run(SECURITY, keychainDeleteArgs(id, record.keychain)),
      };
    }
    case 'dpapi': {
      const scope = record.scope ?? 'LocalMachine';
      const file = join(ctx.dir, dpapiFile(requireId(record)));
      return {
        load: () => {
          let blob: string;
          try {
            blob = readFileSync(file, 'utf8');
          } catch (e) {
            throw new Error(`the DPAPI-protected key ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
          }
          return parseKey(run('powershell.exe', powershellArgs(dpapiScript('Unprotect', scope)), blob, `DPAPI (${scope}) could not unprotect the key`), 'DPAPI');
        },
        save: (key) => {
          const blob = run('powershell.exe', powershellArgs(dpapiScript('Protect', scope)), key.toString('base64'), `DPAPI (${scope}) could not protect the key`).trim();
          writePrivate(file, blob, false, ctx.shared);
        },
        discard: () => rmSync(file, { force: true }),
      };
    }
  }
}

function requireId(record: ProtectorRecord): string {
  if (!record.id || !/^[0-9a-f]{8,64}$/.test(record.id)) throw new Error(`the protector record names no valid key id`);
  return record.id;
}

function describeRecord(r: ProtectorRecord): string {
  if (r.protector === 'secret-service') return 'the Secret Service (keyring)';
  if (r.protector === 'keychain') return r.keychain ? `the keychain ${r.keychain}` : 'the login keychain';
  if (r.protector === 'dpapi') return `Windows DPAPI (${r.scope ?? 'LocalMachine'})`;
  return 'the key file';
}

/** Reads `<dir>/protector.json`; undefined when the store has none yet (new, or made by an earlier version). */
export function readProtectorRecord(dir: string): ProtectorRecord | undefined {
  const file = join(dir, RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError(StoreErrorCodes.secret, `cannot read ${file}: ${(e as Error).message}`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StoreError(StoreErrorCodes.secret, `${file} is not valid JSON (${(e as Error).message}); it says which protector holds the key of the secret store`, { file });
  }
  const r = value as ProtectorRecord;
  if (!r || typeof r !== 'object' || !PROTECTOR_KINDS.includes(r.protector)) {
    throw new StoreError(StoreErrorCodes.secret, `${file} names no known protector (expected one of ${PROTECTOR_KINDS.join(', ')})`, { file });
  }
  return r;
}

export interface ResolvedKey {
  key: Buffer;
  record: ProtectorRecord;
  /** True when this call moved the key of an existing key-file store into the protector. */
  migrated: boolean;
}

/**
 * The master key of the store in ctx.dir. With a record: from the protector it names (an unreadable keyring is an
 * error, never a silent new key). Without one: the OS's protector is tried by storing the key and reading it back;
 * a key file of an earlier version moves in unchanged (deleted only after the read-back matched), a new store
 * gets a new key. When that fails, or the OS has none, the key file stays and the record says why. The record
 * is created exclusively, so two processes opening a new store at once end up with the same key.
 */
export function resolveKey(ctx: ProtectorContext): ResolvedKey {
  const existing = readProtectorRecord(ctx.dir);
  if (existing?.recheck && preferredProtector(ctx).protector !== 'keyfile') return moveToKeychain(ctx);
  if (existing) return { key: loadRecorded(existing, ctx), record: existing, migrated: false };

  const keyFile = join(ctx.dir, KEY_FILE);
  const hadKeyFile = existsSync(keyFile);
  let record = preferredProtector(ctx);
  const forced = !!ctx.env.LINEKEEPER_SECRET_PROTECTOR && ctx.env.LINEKEEPER_SECRET_PROTECTOR !== 'auto';
  let key: Buffer;
  if (record.protector === 'keyfile') {
    key = loadOrCreateKeyFile(keyFile, ctx.shared);
  } else {
    key = hadKeyFile ? loadOrCreateKeyFile(keyFile, ctx.shared) : randomBytes(KEY_BYTES);
    const p = protectorFor(record, ctx);
    try {
      p.save(key);
      if (!timingSafeEqual(p.load(), key)) throw new Error(`${describeRecord(record)} returned a different key than it was given`);
    } catch (e) {
      p.discard();
      if (forced) throw new StoreError(StoreErrorCodes.secret, `cannot keep the key of the secret store ${ctx.dir} in ${describeRecord(record)}: ${(e as Error).message}`, { dir: ctx.dir, protector: record.protector });
      record = { protector: 'keyfile', reason: `${describeRecord(record)}: ${(e as Error).message}` };
      key = loadOrCreateKeyFile(keyFile, ctx.shared);
    }
  }
  if (!writeRecordExclusive(ctx.dir, record, ctx.shared)) {
    // Another process chose first: use its record and drop what this one stored.
    if (record.protector !== 'keyfile') protectorFor(record, ctx).discard();
    const theirs = readProtectorRecord(ctx.dir)!;
    return { key: loadRecorded(theirs, ctx), record: theirs, migrated: false };
  }
  if (record.protector !== 'keyfile' && hadKeyFile) unlinkSync(keyFile);
  return { key, record, migrated: record.protector !== 'keyfile' && hadKeyFile };
}

/**
 * A store put on the key file for want of a session bus, opened now where a keyring answers: the same key goes into
 * the keyring and the record is replaced (atomically). Openers that still hold the key from the file keep working,
 * as the key is the same. If the keyring fails, the record keeps the key file and stops asking.
 */
function moveToKeychain(ctx: ProtectorContext): ResolvedKey {
  const keyFile = join(ctx.dir, KEY_FILE);
  const key = loadOrCreateKeyFile(keyFile, ctx.shared);
  let record = preferredProtector(ctx);
  const p = protectorFor(record, ctx);
  try {
    p.save(key);
    if (!timingSafeEqual(p.load(), key)) throw new Error(`${describeRecord(record)} returned a different key than it was given`);
  } catch (e) {
    p.discard();
    record = { protector: 'keyfile', reason: `${describeRecord(record)}: ${(e as Error).message}` };
  }
  replaceRecord(ctx.dir, record, ctx.shared);
  const now = readProtectorRecord(ctx.dir)!;
  if (record.protector !== 'keyfile' && now.id !== record.id) p.discard(); // another opener moved it at the same time
  if (now.protector !== 'keyfile') rmSync(keyFile, { force: true });
  return { key, record: now, migrated: now.protector !== 'keyfile' };
}

function replaceRecord(dir: string, record: ProtectorRecord, shared: boolean): void {
  const file = join(dir, RECORD_FILE);
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writePrivate(temp, `${JSON.stringify(record, null, 2)}\n`, true, shared);
  renameSync(temp, file);
}

function loadRecorded(record: ProtectorRecord, ctx: ProtectorContext): Buffer {
  if (record.protector === 'keyfile') return loadOrCreateKeyFile(join(ctx.dir, KEY_FILE), ctx.shared);
  let key: Buffer;
  try {
    key = protectorFor(record, ctx).load();
  } catch (e) {
    const hint =
      record.protector === 'secret-service'
        ? ' Unlock the keyring in the desktop session that saved it (the key is not readable over SSH or from a system service).'
        : record.protector === 'keychain'
          ? ' Unlock that keychain.'
          : ' DPAPI keys do not move to another machine or account: enter the passwords again there.';
    throw new StoreError(StoreErrorCodes.secret, `the key of the secret store ${ctx.dir} is kept in ${describeRecord(record)} (${RECORD_FILE}) and cannot be read: ${(e as Error).message}.${hint}`, {
      dir: ctx.dir,
      protector: record.protector,
    });
  }
  // A migration that stopped between writing the record and deleting the key file finishes here.
  const keyFile = join(ctx.dir, KEY_FILE);
  if (existsSync(keyFile)) {
    const old = readFileSync(keyFile);
    if (old.length === key.length && timingSafeEqual(old, key)) unlinkSync(keyFile);
  }
  return key;
}

function writeRecordExclusive(dir: string, record: ProtectorRecord, shared: boolean): boolean {
  const file = join(dir, RECORD_FILE);
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writePrivate(temp, `${JSON.stringify(record, null, 2)}\n`, true, shared);
  try {
    linkSync(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StoreError(StoreErrorCodes.secret, `cannot write ${file}: ${(e as Error).message}`, { file });
  } finally {
    unlinkSync(temp);
  }
}

function writePrivate(file: string, text: string | Buffer, exclusive: boolean, shared: boolean): void {
  const mode = shared ? 0o640 : 0o600;
  const fd = openSync(file, exclusive ? 'wx' : 'w', mode);
  try {
    writeSync(fd, typeof text === 'string' ? Buffer.from(text) : text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (process.platform !== 'win32') chmodSync(file, mode);
}

function writeKeyFile(keyFile: string, key: Buffer, shared: boolean): void {
  writePrivate(keyFile, key, true, shared);
}

/** The key file: created with a new random key if missing; refused when others can read it or it is damaged. */
export function loadOrCreateKeyFile(keyFile: string, groupReadable: boolean): Buffer {
  try {
    writeKeyFile(keyFile, randomBytes(KEY_BYTES), groupReadable);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(StoreErrorCodes.secret, `cannot create the key file ${keyFile}: ${(e as Error).message}`, { file: keyFile });
  }
  if (process.platform !== 'win32') {
    const mode = statSync(keyFile).mode & 0o777;
    if (mode & (groupReadable ? 0o037 : 0o077)) {
      const fix = groupReadable ? '640' : '600';
      throw new StoreError(StoreErrorCodes.secret, `the key file ${keyFile} is readable by other users (mode ${mode.toString(8)}); run "chmod ${fix} ${keyFile}"`, { file: keyFile, mode: mode.toString(8) });
    }
  }
  const key = readFileSync(keyFile);
  if (key.length !== KEY_BYTES) throw new StoreError(StoreErrorCodes.secret, `the key file ${keyFile} is damaged (${key.length} bytes, expected ${KEY_BYTES})`, { file: keyFile });
  return key;
}

export { describeRecord as describeProtector };
