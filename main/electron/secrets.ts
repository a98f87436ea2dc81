import { safeStorage } from 'electron';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openSafeStorageSecretStore, openSecretStore, type SecretStore } from '../store';
import { coded, type Coded } from '../../shared/problems';

/**
 * The console uses the data directory's one secret store, the same the CLI and the installed services open
 * (`<dataDir>/secrets`), so a login set here is the one `linekeeper mux` and the multiplexer service use. Its key is
 * held by the protector recorded in that folder (OS keychain or key file, main/store/key-protector.ts), which the
 * CLI and the services find the same way; safeStorage is not used, as its key is private to Electron.
 *
 * Earlier versions kept the console's passwords in `<dataDir>/safe-secrets` through safeStorage: those entries are
 * copied over once (an entry the shared store already has wins) and the old folder is renamed, not deleted.
 */
export async function appSecretStore(dataDir: string): Promise<{ store: SecretStore; migrated: string[]; warning?: Coded }> {
  const store = openSecretStore(join(dataDir, 'secrets'));
  const oldDir = join(dataDir, 'safe-secrets');
  if (!existsSync(oldDir)) return { store, migrated: [] };
  if (!safeStorage.isEncryptionAvailable()) {
    return { store, migrated: [], warning: coded('logApp.oldPasswordsUnreadable', { folder: oldDir }) };
  }
  const old = openSafeStorageSecretStore(oldDir, safeStorage);
  const migrated: string[] = [];
  for (const key of await old.keys()) {
    if (await store.has(key)) continue;
    const value = await old.get(key);
    if (value === undefined) continue;
    await store.set(key, value);
    migrated.push(key);
  }
  renameSync(oldDir, `${oldDir}.migrated-${Date.now()}`);
  return { store, migrated };
}
