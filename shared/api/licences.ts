import { z } from 'zod';
import { method } from './define';

export interface LicenceKeyView {
  id: string;
  lines: number;
  issued: string;
  licensee?: string;
  addedAt: string;
  /** False when the key no longer verifies against the configured public keys; it then counts for nothing. */
  valid: boolean;
  problem?: string;
}

export interface TrialView {
  active: boolean;
  lines: number;
  daysLeft: number;
  startedAt: string;
  endsAt: string;
  /** The PC's clock was set back; the trial kept counting from the latest time seen. */
  clockSetBack: boolean;
  /** The stored trial data was edited by hand; the trial is over. */
  tampered: boolean;
  /**
   * What the trial check found, as codes for the console: TRIAL_RECORD_TAMPERED {startedAt} (the record's seal or
   * start does not match the installation's second copy: trial over), TRIAL_ANCHOR_MISSING {startedAt} (the second
   * copy in the secret store is gone, so the record cannot be checked: trial over), TRIAL_RECORD_RECOVERED
   * {startedAt} (the record was deleted and rebuilt from the second copy; the trial did not start again).
   */
  warnings: Array<{ code: TrialWarningCode; params: { startedAt: string } }>;
}

export type TrialWarningCode = 'TRIAL_RECORD_TAMPERED' | 'TRIAL_ANCHOR_MISSING' | 'TRIAL_RECORD_RECOVERED';

/** The licence overview: keys, the pool's total and use per instance, the trial. */
export interface LicenceOverview {
  keys: LicenceKeyView[];
  /** Lines licensed by keys. */
  licensed: number;
  trial: TrialView;
  /** Licences in the pool: the keys' lines, or the trial's while no key is entered. */
  total: number;
  inUse: number;
  free: number;
  instances: Array<{ instanceId: string; name: string; lines: number; phones: number }>;
}

export const licencesMethods = {
  'licences.status': method<LicenceOverview>()(z.object({}).strict()),
  /** Refused with LICENCE_KEY_MALFORMED, LICENCE_KEY_SIGNATURE (tampered or foreign) or LICENCE_KEY_DUPLICATE. */
  'licences.add': method<LicenceOverview>()(z.object({ key: z.string().min(1).max(4096) }).strict()),
  'licences.remove': method<LicenceOverview>()(z.object({ id: z.string().min(1) }).strict()),
};
