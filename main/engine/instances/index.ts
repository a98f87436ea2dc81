export {
  InstanceStore,
  InstanceErrorCodes,
  INSTANCE_SPEC,
  INSTANCE_PREFIX,
  docName,
  secretKey,
  summarize,
  type InstanceChange,
  type InstanceChangeKind,
  type InstanceProblem,
  type InstanceStoreOptions,
} from './instance-store';
export { openConfigStores, type ConfigStores } from './open';
export { restoreConfiguration, backupConfiguration, NOT_IN_BACKUP } from './restore-config';
