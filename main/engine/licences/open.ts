import { join } from 'node:path';
import type { DocumentStore, SecretStore } from '../../store';
import type { InstanceStore } from '../instances';
import { FileLedger } from './lease-ledger';
import { LicenceService } from './licence-service';
import { storeLicenceDocs } from './licence-store';
import { configuredPublicKeys } from './public-keys';
import { secretTrialAnchor } from './trial-anchor';
import { coded, type Coded } from '../../../shared/problems';

interface Log {
  error(message: string | Coded): void;
  warn(message: string | Coded): void;
  info(message: string | Coded): void;
}

/** The lease ledger (a folder of journals) every process using the data directory shares. */
export function leaseLedgerDir(dataDir: string): string {
  return join(dataDir, 'run', 'licence-leases');
}

/**
 * The licence service of a data directory: its document in the config store, the lease ledger shared with
 * other processes on the data directory, instance names from the instance store, leases of a deleted
 * instance released, the trial's second copy and key in the secret store. Starts the trial on the very first start.
 */
export function openLicenceService(dataDir: string, docs: DocumentStore, instances: InstanceStore, secrets: SecretStore, log?: Log): LicenceService {
  let publicKeys: string[] = [];
  try {
    publicKeys = configuredPublicKeys();
  } catch (e) {
    log?.error(coded('logApp.publicKeysUnreadable', { detail: (e as Error).message }));
  }
  const service = new LicenceService({
    docs: storeLicenceDocs(docs),
    anchor: secretTrialAnchor(secrets),
    log,
    publicKeys,
    ledger: new FileLedger(leaseLedgerDir(dataDir)),
    instanceName: async (id) => (await instances.list()).find((i) => i.id === id)?.name,
  });
  instances.onChange((c) => {
    if (c.kind === 'deleted') service.pool.releaseInstance(c.instanceId);
  });
  service.start().catch((e) => log?.error(coded('logApp.licenceStateUnreadable', { detail: (e as Error).message })));
  return service;
}
