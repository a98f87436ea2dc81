import { join } from 'node:path';
import { parseConfigBackup, restoreConfigBackup, SETTINGS_SPEC, type RestoreResult } from '../../store';
import { INSTANCE_PREFIX, INSTANCE_SPEC } from './instance-store';
import type { ConfigStores } from './open';

/**
 * Replaces the configuration of a data directory with a backup (from `config.backup` / `linekeeper config
 * backup`). Nothing is written unless every document checks out; the configuration as it was is saved to
 * `<dataDir>/backups/before-restore-<time>.json`. Passwords of instances that remain are kept, the others deleted.
 */
export async function restoreConfiguration(stores: ConfigStores, dataDir: string, backup: unknown, source?: string): Promise<RestoreResult> {
  const parsed = parseConfigBackup(backup, source);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = await restoreConfigBackup(stores.docs, parsed, {
    specs: [INSTANCE_SPEC, SETTINGS_SPEC],
    replacePrefixes: [INSTANCE_PREFIX],
    safetyFile: join(dataDir, 'backups', `before-restore-${stamp}.json`),
  });
  await stores.instances.pruneSecrets();
  for (const name of result.restored) if (name.startsWith(INSTANCE_PREFIX)) stores.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'updated' });
  for (const name of result.removed) stores.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'deleted' });
  return result;
}
