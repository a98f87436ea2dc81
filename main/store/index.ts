export { DocumentStore, openDocumentStore, decode, decodeEnvelope, isDocumentName, type DocumentSpec, type DocumentEnvelope } from './document-store';
export { StoreError, StoreErrorCodes, type UnreadableDetails } from './errors';
export {
  EncryptedSecretStore,
  MemorySecretStore,
  keyFileCipher,
  safeStorageCipher,
  openKeyFileSecretStore,
  openSafeStorageSecretStore,
  type SecretStore,
  type SecretCipher,
  type SafeStorageLike,
} from './secret-store';
export { defaultDataDir } from './data-dir';
