import { safeStorage } from 'electron';
import { join } from 'node:path';
import { openSafeStorageSecretStore, type SecretStore } from '../store';

/**
 * Passwords in the app go through the OS keychain (safeStorage). Where Linux has no keyring, safeStorage falls
 * back to a fixed key ("basic_text"); then the AES-GCM key file readable only by the user is the better choice.
 */
export function appSecretStore(userData: string): { store?: SecretStore; warning?: string } {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    return { warning: `the OS keychain is not available (${backend}); passwords are kept encrypted with the key file in ${join(userData, 'secrets')}` };
  }
  return { store: openSafeStorageSecretStore(join(userData, 'safe-secrets'), safeStorage) };
}
