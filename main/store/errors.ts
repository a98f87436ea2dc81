import { ApiFailure } from '../../shared/api/errors';

/** Codes of the config store; they cross the API unchanged. */
export const StoreErrorCodes = {
  /** A document on disk is not valid JSON, not ours, or fails its schema; it is left untouched. */
  unreadable: 'DOCUMENT_UNREADABLE',
  /** A document was written by a newer Linekeeper (higher schema version); it is left untouched. */
  tooNew: 'DOCUMENT_TOO_NEW',
  /** A value to be saved fails its schema; nothing was written. */
  invalid: 'DOCUMENT_INVALID',
  /** No backup exists for a document whose backup was asked for. */
  noBackup: 'DOCUMENT_NO_BACKUP',
  /** A secret could not be read or written (key file, safeStorage). */
  secret: 'SECRET_STORE_FAILED',
  /** Another process holds the configuration's write lock. */
  locked: 'CONFIG_LOCKED',
  /** A backup file given to restore is not a Linekeeper configuration backup. */
  badBackupFile: 'BACKUP_INVALID',
} as const;

export interface UnreadableDetails {
  document: string;
  file: string;
  cause: string;
  /** The kept previous version, if there is one the store could load; offered to the user. */
  backupFile: string | null;
  backupSavedAt: string | null;
}

/** A failure of the store; an ApiFailure so handlers pass it through with its code and facts. */
export class StoreError extends ApiFailure {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'StoreError';
  }
}
