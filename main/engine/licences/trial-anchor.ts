import { randomBytes } from 'node:crypto';
import type { TrialView } from '../../../shared/api/licences';
import type { SecretStore } from '../../store';
import { legacySealOk, newTrial, sealTrial, trialSealOk, type TrialRecord } from './trial';

/**
 * The trial's second copy, kept in the secret store (not in the licence document): the installation's secret
 * trial key, the first start and a coarse latest-seen time. The secret store encrypts and authenticates each
 * entry (AES-GCM with the key file, or the OS keychain), so the copy cannot be edited in place, and deleting the
 * licence document no longer starts a new trial: the record is rebuilt from this copy.
 */
export interface TrialAnchor {
  /** 32 random bytes, base64: the HMAC key of the record's seal. */
  key: string;
  firstStart: string;
  lastSeen: string;
}

export interface TrialAnchorStore {
  /** The copy, undefined when there is none, 'unreadable' when it exists but cannot be decrypted or parsed. */
  read(): Promise<TrialAnchor | undefined | 'unreadable'>;
  write(anchor: TrialAnchor): Promise<void>;
}

export const TRIAL_ANCHOR_SECRET = 'licence/trial';

function parseAnchor(text: string): TrialAnchor | 'unreadable' {
  try {
    const a = JSON.parse(text) as Partial<TrialAnchor>;
    if (typeof a.key === 'string' && Buffer.from(a.key, 'base64').length === 32 && typeof a.firstStart === 'string' && typeof a.lastSeen === 'string') {
      return { key: a.key, firstStart: a.firstStart, lastSeen: a.lastSeen };
    }
  } catch {
    // falls through: not ours
  }
  return 'unreadable';
}

export function secretTrialAnchor(secrets: SecretStore): TrialAnchorStore {
  return {
    async read() {
      let text: string | undefined;
      try {
        text = await secrets.get(TRIAL_ANCHOR_SECRET);
      } catch {
        // A secret store whose key was replaced cannot vouch for the trial; licence keys still work.
        return 'unreadable';
      }
      return text === undefined ? undefined : parseAnchor(text);
    },
    write: (anchor) => secrets.set(TRIAL_ANCHOR_SECRET, JSON.stringify(anchor)),
  };
}

export function memoryTrialAnchor(initial?: TrialAnchor | 'unreadable'): TrialAnchorStore & { current(): TrialAnchor | undefined | 'unreadable' } {
  let stored = initial;
  return {
    read: async () => stored,
    write: async (a) => {
      stored = { ...a };
    },
    current: () => stored,
  };
}

export type TrialWarning = TrialView['warnings'][number];

/** The trial as decided from the document's record and the second copy. */
export interface TrialDecision {
  record: TrialRecord;
  /** The key the record is sealed with; null when the trial cannot be trusted (it is over). */
  key: Buffer | null;
  /** The record must be saved (first start, migration, rebuilt after deletion). */
  writeRecord: boolean;
  /** The second copy to save first (first start, migration). */
  anchor?: TrialAnchor;
  /** The second copy as stored (for moving its latest-seen time forward). */
  anchorSeen?: string;
  warnings: TrialWarning[];
  migrated: boolean;
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Checks the record against the second copy:
 * - copy and record agree (seal under the copy's key, same first start): the trial counts on;
 * - copy but no record (the document was deleted): the record is rebuilt from the copy, TRIAL_RECORD_RECOVERED;
 * - copy and a record that does not match it: TRIAL_RECORD_TAMPERED, the trial is over;
 * - no copy and no record: the very first start;
 * - no copy and a record with the old seal: migrated once (new key, copy written); after that the old seal is
 *   never accepted again, because the copy exists;
 * - no copy (or an unreadable one) and a record with the new seal: TRIAL_ANCHOR_MISSING, the trial is over.
 */
export function reconcileTrial(record: TrialRecord | undefined, anchor: TrialAnchor | undefined | 'unreadable', now: Date, newKey: () => Buffer = () => randomBytes(32)): TrialDecision {
  const over = (r: TrialRecord, code: TrialWarning['code']): TrialDecision => ({
    record: r,
    key: null,
    writeRecord: false,
    warnings: [{ code, params: { startedAt: r.firstStart } }],
    migrated: false,
  });
  if (anchor === 'unreadable') return over(record ?? newTrial(now, newKey()), 'TRIAL_ANCHOR_MISSING');
  if (anchor) {
    const key = Buffer.from(anchor.key, 'base64');
    const base = { key, anchorSeen: anchor.lastSeen, migrated: false };
    if (!record) {
      const rebuilt = sealTrial(key, anchor.firstStart, later(anchor.lastSeen, now.toISOString()));
      return { ...base, record: rebuilt, writeRecord: true, warnings: [{ code: 'TRIAL_RECORD_RECOVERED', params: { startedAt: anchor.firstStart } }] };
    }
    // An old-style record with the copy's own start: a migration that stopped between its two writes.
    const sealed = trialSealOk(record, key) || legacySealOk(record);
    if (!sealed || record.firstStart !== anchor.firstStart) return over(record, 'TRIAL_RECORD_TAMPERED');
    const lastSeen = later(record.lastSeen, anchor.lastSeen);
    if (record.v === 2 && lastSeen === record.lastSeen) return { ...base, record, writeRecord: false, warnings: [] };
    return { ...base, record: sealTrial(key, record.firstStart, lastSeen), writeRecord: true, warnings: [] };
  }
  if (!record) {
    const key = newKey();
    const fresh = newTrial(now, key);
    return { record: fresh, key, writeRecord: true, anchor: { key: key.toString('base64'), firstStart: fresh.firstStart, lastSeen: fresh.lastSeen }, warnings: [], migrated: false };
  }
  if (legacySealOk(record)) {
    const key = newKey();
    return {
      record: sealTrial(key, record.firstStart, record.lastSeen),
      key,
      writeRecord: true,
      anchor: { key: key.toString('base64'), firstStart: record.firstStart, lastSeen: record.lastSeen },
      warnings: [],
      migrated: true,
    };
  }
  return over(record, record.v === 2 ? 'TRIAL_ANCHOR_MISSING' : 'TRIAL_RECORD_TAMPERED');
}
