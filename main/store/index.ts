export { DocumentStore, openDocumentStore, decode, decodeEnvelope, isDocumentName, renderJson, type DocumentSpec, type DocumentEnvelope, type DocumentStoreOptions } from './document-store';
export { StoreError, StoreErrorCodes, type UnreadableDetails } from './errors';
export {
  EncryptedSecretStore,
  MemorySecretStore,
  keyFileCipher,
  safeStorageCipher,
  openKeyFileSecretStore,
  openSecretStore,
  aesGcmCipher,
  DataDirSecretStore,
  openSafeStorageSecretStore,
  type SecretStore,
  type SecretCipher,
  type SafeStorageLike,
} from './secret-store';
export { readProtectorRecord, describeProtector, PROTECTOR_KINDS, type ProtectorKind, type ProtectorRecord, type CommandRunner } from './key-protector';
export { defaultDataDir } from './data-dir';
export { prepareDataDir, makePrivateDir, privateModes, DATA_FOLDERS, type PrivateModes } from './private-files';
export { SETTINGS_DOC, SETTINGS_SPEC, readSettings, updateSettings } from './settings';
export {
  BACKUP_FORMAT,
  createConfigBackup,
  parseConfigBackup,
  restoreConfigBackup,
  writeFileAtomic,
  type ConfigBackup,
  type BackupResult,
  type RestoreOptions,
  type RestoreResult,
} from './config-backup';
