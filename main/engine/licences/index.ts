export { LicenceService, type LicenceStatus, type LicenceKeyInfo, type LicenceServiceOptions } from './licence-service';
export { LicencePool, LicencePoolErrorCodes, type Lease, type LeaseKind, type PoolCapacity, type PoolOverview, type PoolInstanceUse, type LicencePoolOptions } from './licence-pool';
export { generateLicenceKeyPair, issueLicenceKey, verifyLicenceKey, loadPublicKeys, LicenceKeyErrorCodes, PRODUCT, type LicencePayload, type LicenceKeyPair, type VerifiedKey } from './licence-key';
export { evaluateTrial, newTrial, TRIAL_DAYS, TRIAL_LINES, type TrialRecord, type TrialStatus } from './trial';
export { secretTrialAnchor, memoryTrialAnchor, reconcileTrial, TRIAL_ANCHOR_SECRET, type TrialAnchor, type TrialAnchorStore } from './trial-anchor';
export { storeLicenceDocs, memoryLicenceDocs, licenceDocumentSchema, LICENCE_DOCUMENT, LICENCE_SPEC, type LicenceDocs, type LicenceDocument } from './licence-store';
export { configuredPublicKeys, DEVELOPMENT_PUBLIC_KEY, LICENCE_BUILD, PUBLIC_KEY_ENV, type LicenceBuild } from './public-keys';
export { openLicenceService, leaseLedgerDir } from './open';
export { FileLedger, MemoryLedger, processAlive, type LeaseLedger, type LedgerEntry, type LedgerLine } from './lease-ledger';
