import { join } from 'node:path';
import { createConfigBackup, parseConfigBackup, restoreConfigBackup, SETTINGS_SPEC, StoreError, type BackupResult, type RestoreResult } from '../../store';
import { envelopeName, holderOf } from './damaged';
import { INSTANCE_PREFIX, INSTANCE_SPEC } from './instance-store';
import type { ConfigStores } from './open';

/**
 * Documents in the config directory that are not configuration: the licence document carries the trial record,
 * which a restore must not be able to reset or move. Licence keys therefore stay as they are on restore.
 */
export const NOT_IN_BACKUP = ['licences'] as const;

/** The whole configuration without secrets and without the licence record. */
export function backupConfiguration(stores: Pick<ConfigStores, 'docs'>): Promise<BackupResult> {
  return createConfigBackup(stores.docs, NOT_IN_BACKUP);
}

/**
 * Replaces the configuration of a data directory with a backup (from `config.backup` / `linekeeper config
 * backup`). Nothing is written unless every document checks out; the configuration as it was is saved to
 * `<dataDir>/backups/before-restore-<time>.json`. Passwords of instances that remain are kept, the others deleted.
 * Instance documents that do not load are left on disk untouched and listed in `kept`.
 */
export async function restoreConfiguration(stores: ConfigStores, dataDir: string, backup: unknown, source?: string): Promise<RestoreResult> {
  const parsed = parseConfigBackup(backup, source);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // A damaged instance document stays as it is (it may have a good backup copy to restore later), and its name
  // stays taken: a backup bringing another instance with that name is refused before anything is written.
  const damaged = await stores.instances.problems();
  for (const [document, env] of Object.entries(parsed.documents)) {
    if (!document.startsWith(INSTANCE_PREFIX) || damaged.some((d) => d.document === document)) continue;
    const name = envelopeName(env);
    const holder = name === null ? undefined : holderOf(damaged, name);
    if (holder) {
      throw new StoreError(
        'RESTORE_NAME_BLOCKED',
        `the backup's instance "${name}" (${document}) has the name of the damaged instance document ${holder.document}; restore that from its backup copy or delete it first; nothing was restored`,
        { name, document: holder.document, backupDocument: document },
      );
    }
  }
  const result = await restoreConfigBackup(stores.docs, parsed, {
    specs: [INSTANCE_SPEC, SETTINGS_SPEC],
    replacePrefixes: [INSTANCE_PREFIX],
    safetyFile: join(dataDir, 'backups', `before-restore-${stamp}.json`),
    exclude: NOT_IN_BACKUP,
    keep: damaged.map((d) => d.document),
  });
  await stores.instances.pruneSecrets();
  for (const name of result.restored) if (name.startsWith(INSTANCE_PREFIX)) stores.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'updated' });
  for (const name of result.removed) stores.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'deleted' });
  return result;
}
