import { join } from 'node:path';
import { openDocumentStore, openSecretStore, prepareDataDir, type DocumentStore, type SecretStore } from '../../store';
import type { FamilyCatalogue } from '../../../shared/families';
import { InstanceStore } from './instance-store';

export interface ConfigStores {
  docs: DocumentStore;
  secrets: SecretStore;
  instances: InstanceStore;
}

/**
 * The stores of one data directory: documents in `<dataDir>/config`, secrets in `<dataDir>/secrets` (the AES-GCM
 * key in the OS keychain or the key file, see main/store/key-protector.ts). Used by services and by CLI commands. The data
 * directory and its folders are made private first (see prepareDataDir).
 */
export function openConfigStores(dataDir: string, secretStore?: SecretStore, families?: FamilyCatalogue): ConfigStores {
  prepareDataDir(dataDir);
  const docs = openDocumentStore(join(dataDir, 'config'));
  const secrets = secretStore ?? openSecretStore(join(dataDir, 'secrets'));
  return { docs, secrets, instances: new InstanceStore({ docs, secrets, families }) };
}
