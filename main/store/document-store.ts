import { copyFile, link, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { StoreError, StoreErrorCodes, type UnreadableDetails } from './errors';
import { makePrivateDir } from './private-files';

/**
 * What a document is: its kind (checked on load so one file cannot be read as another), its current schema
 * version, the schema that validates it, and the forward migrations from older versions.
 */
export interface DocumentSpec<T> {
  kind: string;
  version: number;
  schema: z.ZodType<T, any>;
  /** `migrations[n]` turns the data of version n into version n + 1. */
  migrations?: Record<number, (data: any) => unknown>;
}

/** The JSON on disk: the data wrapped with what is needed to validate and migrate it. */
export interface DocumentEnvelope {
  kind: string;
  schemaVersion: number;
  savedAt: string;
  data: unknown;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,120}$/;
const LOCK_FILE = '.write.lock';
/** How long a writer waits for another process's lock before giving up with a message. */
const LOCK_WAIT_MS = 15_000;
const TEMP_RE = /\.tmp-(\d+)-\d+$/;

export function isDocumentName(name: string): boolean {
  return NAME_RE.test(name) && !name.endsWith('.bak');
}

/**
 * Named JSON documents in one directory. Every save is atomic (temp file, fsync, rename, directory fsync), keeps
 * the previous version as `<name>.json.bak`, and is serialised with every other save of this store. A document
 * that fails to load is never overwritten: saving over it fails with DOCUMENT_UNREADABLE until it is restored
 * from its backup or removed.
 */
export class DocumentStore {
  readonly dir: string;
  private chain: Promise<unknown> = Promise.resolve();
  private tempCounter = 0;
  /** Decoded documents by name with the identity of the file they came from; a changed file is read again. */
  private cache = new Map<string, { stamp: string; kind: string; value: unknown }>();

  private readonly lockWaitMs: number;

  constructor(dir: string, opts: DocumentStoreOptions = {}) {
    this.dir = dir;
    this.lockWaitMs = opts.lockWaitMs ?? LOCK_WAIT_MS;
    makePrivateDir(dir);
    this.removeStaleTemps();
  }

  fileOf(name: string): string {
    checkName(name);
    return join(this.dir, `${name}.json`);
  }

  backupFileOf(name: string): string {
    return `${this.fileOf(name)}.bak`;
  }

  /**
   * The document's data (migrated to the current version), or undefined if it does not exist. The value is
   * shared with later reads until the file changes and is deeply frozen: copy before changing it.
   */
  async read<T>(name: string, spec: DocumentSpec<T>): Promise<T | undefined> {
    const file = this.fileOf(name);
    const hit = this.cache.get(name);
    const got = await readStamped(file, hit?.kind === spec.kind ? hit.stamp : undefined);
    if (got === undefined) {
      this.cache.delete(name);
      return undefined;
    }
    if (got.text === undefined) return hit!.value as T;
    const loaded = decode(got.text, spec);
    if (!loaded.ok) throw await this.unreadable(name, spec, loaded.cause, loaded.tooNew);
    this.cache.set(name, { stamp: got.stamp, kind: spec.kind, value: deepFreeze(loaded.value) });
    return loaded.value;
  }

  /** The kept previous version, or undefined when there is none; throws if the backup itself is broken. */
  async readBackup<T>(name: string, spec: DocumentSpec<T>): Promise<{ value: T; savedAt: string } | undefined> {
    const text = await readText(this.backupFileOf(name));
    if (text === undefined) return undefined;
    const loaded = decode(text, spec);
    if (!loaded.ok) throw new StoreError(StoreErrorCodes.unreadable, `the backup of document "${name}" (${this.backupFileOf(name)}) cannot be loaded either: ${loaded.cause}`, { document: name, file: this.backupFileOf(name), cause: loaded.cause });
    return { value: loaded.value, savedAt: loaded.savedAt };
  }

  /** The raw envelope as stored (for backups of the whole configuration); undefined if absent. */
  async readEnvelope(name: string): Promise<DocumentEnvelope | undefined> {
    const text = await readText(this.fileOf(name));
    if (text === undefined) return undefined;
    return JSON.parse(text) as DocumentEnvelope;
  }

  /** Validates and saves; the previous version becomes the backup. */
  write<T>(name: string, spec: DocumentSpec<T>, value: T): Promise<T> {
    return this.update(name, spec, () => value);
  }

  /**
   * Read-modify-write under the store's write lock. `fn` gets the current data (undefined if new) and returns the
   * new data; if it throws, nothing is written. Refuses when the current file cannot be loaded.
   */
  update<T>(name: string, spec: DocumentSpec<T>, fn: (current: T | undefined) => T | Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const current = await this.read(name, spec);
      const next = await fn(current);
      const checked = validate(name, spec, next);
      await this.save(name, spec, checked);
      return checked;
    });
  }

  /** Puts the backup in place of a document (the broken file is kept as `<name>.json.broken-<time>`). */
  restoreBackup<T>(name: string, spec: DocumentSpec<T>): Promise<T> {
    return this.exclusive(async () => {
      const backup = await this.readBackup(name, spec);
      if (!backup) throw new StoreError(StoreErrorCodes.noBackup, `document "${name}" has no backup (${this.backupFileOf(name)})`, { document: name });
      const file = this.fileOf(name);
      if ((await readText(file)) !== undefined) await rename(file, `${file}.broken-${Date.now()}`);
      this.cache.delete(name);
      await this.save(name, spec, backup.value);
      return backup.value;
    });
  }

  /** Deletes a document and its backup; true if it existed. */
  remove(name: string): Promise<boolean> {
    return this.exclusive(() => this.deleteFiles(name));
  }

  /** remove() without the lock, for work that already holds it (restore of a full backup). */
  async deleteFiles(name: string): Promise<boolean> {
    this.cache.delete(name);
    const existed = await unlinkIfPresent(this.fileOf(name));
    await unlinkIfPresent(this.backupFileOf(name));
    await fsyncDir(this.dir);
    return existed;
  }

  /** Names of the documents present (optionally those starting with a prefix), sorted. */
  async list(prefix = ''): Promise<string[]> {
    const names: string[] = [];
    for (const f of await readdir(this.dir)) {
      if (!f.endsWith('.json')) continue;
      const name = f.slice(0, -'.json'.length);
      if (name.startsWith(prefix) && isDocumentName(name)) names.push(name);
    }
    return names.sort();
  }

  /**
   * Runs `fn` after every earlier write of this store has finished, holding the directory's lock file so
   * that another process (the CLI while the app runs) does not write meanwhile either.
   */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const locked = () => withLockFile(join(this.dir, LOCK_FILE), this.lockWaitMs, fn);
    const run = this.chain.then(locked, locked);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Writes a raw envelope (restore of a full backup); the caller has validated it. Must run inside exclusive(). */
  async saveEnvelope(name: string, envelope: DocumentEnvelope): Promise<void> {
    this.cache.delete(name);
    await this.atomicReplace(name, renderJson(envelope));
  }

  private async save<T>(name: string, spec: DocumentSpec<T>, value: T): Promise<void> {
    const envelope: DocumentEnvelope = { kind: spec.kind, schemaVersion: spec.version, savedAt: new Date().toISOString(), data: value };
    this.cache.delete(name);
    await this.atomicReplace(name, renderJson(envelope));
    const st = await stat(this.fileOf(name), { bigint: true });
    this.cache.set(name, { stamp: stampOf(st), kind: spec.kind, value: deepFreeze(value) });
  }

  /**
   * temp + fsync; the previous version becomes .bak (a hard link, so no copy; a copy where links are not
   * supported), placed by rename; then the temp file is renamed over the target. A new document's .bak is itself.
   */
  private async atomicReplace(name: string, text: string): Promise<void> {
    const file = this.fileOf(name);
    const temp = `${file}.tmp-${process.pid}-${++this.tempCounter}`;
    await writeSynced(temp, text);
    const backup = this.backupFileOf(name);
    let first = false;
    try {
      try {
        await this.keepCopy(file, backup);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        first = true;
      }
      await rename(temp, file);
    } catch (e) {
      await unlinkIfPresent(temp);
      throw e;
    }
    // A new document's first version is its backup too: damaged before its first change, it still has a copy.
    // A copy, not a link: a later save links the file over the backup, and rename between two links of one file
    // does nothing.
    if (first) await this.keepCopy(file, backup, true);
    await fsyncDir(this.dir);
  }

  /** `from` as `to`, placed by rename: a hard link (no copy) unless `copy`, a synced copy where links are not supported. */
  private async keepCopy(from: string, to: string, copy = false): Promise<void> {
    const temp = `${to}.tmp-${process.pid}-${++this.tempCounter}`;
    if (!copy) {
      try {
        await link(from, temp);
        await rename(temp, to);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
      }
    }
    await copyFile(from, temp);
    await fsyncFile(temp);
    await rename(temp, to);
  }

  private async unreadable<T>(name: string, spec: DocumentSpec<T>, cause: string, tooNew: boolean): Promise<StoreError> {
    const file = this.fileOf(name);
    let backupFile: string | null = null;
    let backupSavedAt: string | null = null;
    try {
      const b = await this.readBackup(name, spec);
      if (b) {
        backupFile = this.backupFileOf(name);
        backupSavedAt = b.savedAt;
      }
    } catch {
      // A broken backup is not offered.
    }
    const details: UnreadableDetails = { document: name, file, cause, backupFile, backupSavedAt };
    const offer = backupFile ? `; a backup saved ${backupSavedAt} is available (${backupFile})` : '; no usable backup exists';
    return new StoreError(tooNew ? StoreErrorCodes.tooNew : StoreErrorCodes.unreadable, `document "${name}" (${file}) cannot be loaded: ${cause}${offer}`, details);
  }

  /** Temp files left by a killed writer are garbage: the target was never replaced by them. */
  private removeStaleTemps(): void {
    for (const f of readdirSync(this.dir)) {
      const m = TEMP_RE.exec(f);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid !== process.pid && isAlive(pid)) continue;
      try {
        unlinkSync(join(this.dir, f));
      } catch {
        /* already gone */
      }
    }
  }
}

export interface DocumentStoreOptions {
  /** How long a save waits for another process's write lock (default 15 s). */
  lockWaitMs?: number;
}

/** Opens (creating if needed) the document directory. */
export function openDocumentStore(dir: string, opts?: DocumentStoreOptions): DocumentStore {
  return new DocumentStore(dir, opts);
}

type Decoded<T> = { ok: true; value: T; savedAt: string } | { ok: false; cause: string; tooNew: boolean };

/** Parses, checks the kind, migrates forward and validates a stored document. */
export function decode<T>(text: string, spec: DocumentSpec<T>): Decoded<T> {
  let env: DocumentEnvelope;
  try {
    env = JSON.parse(text) as DocumentEnvelope;
  } catch (e) {
    return { ok: false, cause: `not valid JSON (${(e as Error).message})`, tooNew: false };
  }
  return decodeEnvelope(env, spec);
}

export function decodeEnvelope<T>(env: DocumentEnvelope, spec: DocumentSpec<T>): Decoded<T> {
  if (typeof env !== 'object' || env === null || typeof env.schemaVersion !== 'number' || !('data' in env)) {
    return { ok: false, cause: 'not a Linekeeper document (no schemaVersion or data)', tooNew: false };
  }
  if (env.kind !== spec.kind) return { ok: false, cause: `holds a "${env.kind}" document, expected "${spec.kind}"`, tooNew: false };
  if (env.schemaVersion > spec.version) {
    return { ok: false, cause: `schema version ${env.schemaVersion} is newer than this Linekeeper understands (${spec.version})`, tooNew: true };
  }
  let data = env.data;
  for (let v = env.schemaVersion; v < spec.version; v++) {
    const step = spec.migrations?.[v];
    if (!step) return { ok: false, cause: `no migration from schema version ${v} to ${v + 1}`, tooNew: false };
    try {
      data = step(data);
    } catch (e) {
      return { ok: false, cause: `migration from schema version ${v} failed: ${(e as Error).message}`, tooNew: false };
    }
  }
  const parsed = spec.schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, cause: `invalid content at ${issue.path.join('.') || '(root)'}: ${issue.message}`, tooNew: false };
  }
  return { ok: true, value: parsed.data, savedAt: typeof env.savedAt === 'string' ? env.savedAt : '' };
}

function validate<T>(name: string, spec: DocumentSpec<T>, value: T): T {
  const parsed = spec.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw new StoreError(StoreErrorCodes.invalid, `document "${name}" not saved: ${first.path || '(root)'}: ${first.message}`, { document: name, issues });
}

function checkName(name: string): void {
  if (!isDocumentName(name)) throw new StoreError(StoreErrorCodes.invalid, `"${name}" is not a valid document name (lower-case letters, digits, . _ -)`);
}

/** Pretty JSON, except that each element of an array of objects stays on one line (line lists stay compact). */
export function renderJson(value: unknown): string {
  return render(value, '') + '\n';
}

function render(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    const inner = indent + '  ';
    return `[\n${v.map((e) => inner + JSON.stringify(e ?? null)).join(',\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (!entries.length) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Cached values are shared, so they are frozen: a caller changing one in place fails loudly instead of silently. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function stampOf(st: { ino: bigint; size: bigint; mtimeNs: bigint; dev: bigint }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/**
 * The identity (device, inode, size, mtime) of a file and, unless it equals `known`, its text, both from the
 * same open file; undefined if absent.
 */
async function readStamped(file: string, known?: string): Promise<{ text?: string; stamp: string } | undefined> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const stamp = stampOf(await fh.stat({ bigint: true }));
    if (stamp === known) return { stamp };
    return { text: await fh.readFile('utf8'), stamp };
  } finally {
    await fh.close();
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function writeSynced(file: string, text: string): Promise<void> {
  const fh = await open(file, 'wx', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes the rename itself durable. Windows cannot open a directory; there NTFS journals the rename. */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Holds `<dir>/.write.lock` (created exclusively, holding our pid) while `fn` runs. A lock whose process is
 * gone (killed writer) is taken over; one held by a live process is waited for, then refused with its pid.
 */
async function withLockFile<R>(lockFile: string, waitMs: number, fn: () => Promise<R>): Promise<R> {
  const started = Date.now();
  while (!(await tryLock(lockFile))) {
    const holder = await readLockHolder(lockFile);
    if (holder.stale) {
      await unlinkIfPresent(lockFile);
      continue;
    }
    if (Date.now() - started > waitMs) {
      throw new StoreError(StoreErrorCodes.locked, `the configuration in ${dirname(lockFile)} is being changed by another Linekeeper process (pid ${holder.pid}); try again, or delete ${lockFile} if that process is gone`, { lockFile, pid: holder.pid });
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
  try {
    return await fn();
  } finally {
    await unlinkIfPresent(lockFile);
  }
}

let lockCounter = 0;

/**
 * Creates the lock file with our pid in one step: the pid goes to a temp file that is then hard-linked to the
 * lock name (fails if it exists), so a killed process never leaves an empty lock. Falls back to an exclusive
 * create where hard links are not supported.
 */
async function tryLock(lockFile: string): Promise<boolean> {
  const temp = `${lockFile}.tmp-${process.pid}-${++lockCounter}`;
  await writeFile(temp, String(process.pid), { mode: 0o600 });
  try {
    await link(temp, lockFile);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    try {
      const fh = await open(lockFile, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    await unlinkIfPresent(temp);
  }
}

async function readLockHolder(lockFile: string): Promise<{ pid: number; stale: boolean }> {
  let text: string;
  let ageMs: number;
  try {
    text = await readFile(lockFile, 'utf8');
    ageMs = Date.now() - (await stat(lockFile)).mtimeMs;
  } catch {
    return { pid: 0, stale: false }; // released meanwhile: just try again
  }
  const pid = Number(text);
  // An empty lock file is one being created right now, unless it has been empty for long (writer killed).
  if (!pid) return { pid: 0, stale: ageMs > 2_000 };
  return { pid, stale: pid !== process.pid && !isAlive(pid) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
