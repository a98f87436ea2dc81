import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeEnvelope, isDocumentName, type DocumentEnvelope, type DocumentSpec, type DocumentStore } from './document-store';
import { StoreError, StoreErrorCodes } from './errors';

/**
 * The whole configuration in one JSON file: every document of the config directory as stored (kind, schema
 * version, data). Secrets live in another directory and are never part of it.
 */
export const BACKUP_FORMAT = 'linekeeper-config-backup';
export const BACKUP_VERSION = 1;

export interface ConfigBackup {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  documents: Record<string, DocumentEnvelope>;
}

export interface BackupResult {
  backup: ConfigBackup;
  /** Documents that could not be read and are therefore not in the backup. */
  skipped: Array<{ document: string; cause: string }>;
}

/** `exclude`: documents that are not configuration (the licence/trial record) and so never travel in a backup. */
export async function createConfigBackup(docs: DocumentStore, exclude: readonly string[] = []): Promise<BackupResult> {
  const documents: Record<string, DocumentEnvelope> = {};
  const skipped: BackupResult['skipped'] = [];
  for (const name of await docs.list()) {
    if (exclude.includes(name)) continue;
    try {
      const env = await docs.readEnvelope(name);
      if (env) documents[name] = env;
    } catch (e) {
      skipped.push({ document: name, cause: (e as Error).message });
    }
  }
  return { backup: { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), documents }, skipped };
}

/** Checks that a parsed file is a configuration backup this version understands; BACKUP_INVALID otherwise. */
export function parseConfigBackup(value: unknown, source = 'backup'): ConfigBackup {
  const v = value as Partial<ConfigBackup> | null;
  if (typeof v !== 'object' || v === null || v.format !== BACKUP_FORMAT) {
    throw new StoreError(StoreErrorCodes.badBackupFile, `${source} is not a Linekeeper configuration backup (format "${BACKUP_FORMAT}" expected)`, { source });
  }
  if (typeof v.version !== 'number' || v.version > BACKUP_VERSION) {
    throw new StoreError(StoreErrorCodes.badBackupFile, `${source} has backup version ${String(v.version)}, this Linekeeper reads up to ${BACKUP_VERSION}`, { source });
  }
  if (typeof v.documents !== 'object' || v.documents === null) throw new StoreError(StoreErrorCodes.badBackupFile, `${source} holds no documents`, { source });
  return v as ConfigBackup;
}

export interface RestoreOptions {
  /** Specs of the document kinds this build knows; their documents are validated and migrated before anything is written. */
  specs: DocumentSpec<any>[];
  /** Documents whose name starts with one of these and that the backup lacks are deleted (instances). */
  replacePrefixes: string[];
  /** Where the configuration as it was before the restore is saved first. */
  safetyFile: string;
  /** Documents never restored even if a (hand-made) backup holds them; they stay as they are. */
  exclude?: readonly string[];
  /** Documents left exactly as they are on disk, neither written nor deleted (damaged ones awaiting their backup copy). */
  keep?: readonly string[];
}

export interface RestoreResult {
  restored: string[];
  removed: string[];
  /** Documents of `keep` that the restore left as they were. */
  kept: string[];
  safetyFile: string;
}

/**
 * Replaces the configuration with a backup. Every document is checked first; one bad document restores nothing.
 * The current configuration is saved to `safetyFile` before the first write.
 */
export async function restoreConfigBackup(docs: DocumentStore, backup: ConfigBackup, opts: RestoreOptions): Promise<RestoreResult> {
  const byKind = new Map(opts.specs.map((s) => [s.kind, s]));
  const toWrite: Array<[string, DocumentEnvelope]> = [];
  const keep = new Set(opts.keep ?? []);
  for (const [name, env] of Object.entries(backup.documents)) {
    if (opts.exclude?.includes(name) || keep.has(name)) continue;
    if (!isDocumentName(name)) throw new StoreError(StoreErrorCodes.badBackupFile, `the backup holds a document with an invalid name "${name}"; nothing was restored`, { document: name });
    if (typeof env !== 'object' || env === null || typeof env.kind !== 'string' || typeof env.schemaVersion !== 'number' || !('data' in env)) {
      throw new StoreError(StoreErrorCodes.badBackupFile, `document "${name}" in the backup is not a Linekeeper document; nothing was restored`, { document: name });
    }
    const spec = byKind.get(env.kind);
    if (!spec) {
      toWrite.push([name, env]);
      continue;
    }
    const decoded = decodeEnvelope(env, spec);
    if (!decoded.ok) throw new StoreError(StoreErrorCodes.badBackupFile, `document "${name}" in the backup cannot be restored: ${decoded.cause}; nothing was restored`, { document: name, cause: decoded.cause });
    toWrite.push([name, { kind: spec.kind, schemaVersion: spec.version, savedAt: env.savedAt, data: decoded.value }]);
  }
  const { backup: before } = await createConfigBackup(docs, opts.exclude);
  await writeFileAtomic(opts.safetyFile, JSON.stringify(before));
  return docs.exclusive(async () => {
    const restored: string[] = [];
    for (const [name, env] of toWrite) {
      await docs.saveEnvelope(name, env);
      restored.push(name);
    }
    const removed: string[] = [];
    for (const name of await docs.list()) {
      if (opts.replacePrefixes.some((p) => name.startsWith(p)) && !(name in backup.documents) && !keep.has(name)) {
        await docs.deleteFiles(name);
        removed.push(name);
      }
    }
    return { restored, removed, kept: [...keep], safetyFile: opts.safetyFile };
  });
}

/** A whole file written to a temp name, fsynced and renamed into place. */
export async function writeFileAtomic(file: string, text: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(temp, 'w', mode);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(temp, file);
}
