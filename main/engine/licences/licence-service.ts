import type { KeyObject } from 'node:crypto';
import { ApiFailure } from '../../../shared/api/errors';
import type { LicenceKeyView, LicenceOverview } from '../../../shared/api/licences';
import { LicencePool, type LicencePoolOptions, type PoolCapacity } from './licence-pool';
import { LicenceKeyErrorCodes, loadPublicKeys, verifyLicenceKey, type LicencePayload } from './licence-key';
import type { LicenceDocs, LicenceDocument } from './licence-store';
import { evaluateTrial, trialOver, type TrialRecord, type TrialStatus } from './trial';
import { reconcileTrial, type TrialAnchorStore, type TrialWarning } from './trial-anchor';
import { coded, type Coded } from '../../../shared/problems';

/** A key as the overview shows it (the shared API type). */
export type LicenceKeyInfo = LicenceKeyView;
/** The licence overview (the shared API type). */
export type LicenceStatus = LicenceOverview;

export interface LicenceServiceOptions {
  docs: LicenceDocs;
  /** The trial's second copy with the installation's trial key (the secret store in the app). */
  anchor: TrialAnchorStore;
  log?: { info(message: string | Coded): void; warn(message: string | Coded): void };
  /** Ed25519 public keys (SPKI PEM) that licence keys are checked against. */
  publicKeys: readonly string[];
  clock?: () => Date;
  instanceName?: LicencePoolOptions['instanceName'];
  ledger?: LicencePoolOptions['ledger'];
}

/** How often the document on disk is looked at for keys another process added or removed. */
const FOLLOW_MS = 1000;
/** How far the clock must have moved before the trial's latest-seen time is written again. */
const REFRESH_MS = 60_000;
/** The same for the second copy: coarser, it only has to keep days from being given back after a deletion. */
const ANCHOR_REFRESH_MS = 60 * 60_000;

interface TrialState {
  /** The record as decided at load (the document's own until it changes). */
  record: TrialRecord;
  /** The seal key; null when the trial cannot be trusted and is over. */
  key: Buffer | null;
  warnings: TrialWarning[];
  /** The second copy's latest-seen time. */
  anchorSeen?: string;
}

interface State {
  doc: LicenceDocument;
  keys: LicenceKeyInfo[];
  trial: TrialState;
}

/**
 * Licence keys, the trial and the line pool. While the trial runs (45 days from the first start) the pool holds
 * its 25 lines or the keys' lines, whichever is more; after it, the keys' lines.
 */
export class LicenceService {
  readonly pool: LicencePool;
  private readonly publicKeys: KeyObject[];
  private readonly clock: () => Date;
  private state?: Promise<State>;
  private seenVersion: string | undefined;
  private followedAt = 0;

  constructor(private readonly options: LicenceServiceOptions) {
    this.publicKeys = loadPublicKeys(options.publicKeys);
    this.clock = options.clock ?? (() => new Date());
    this.pool = new LicencePool({ capacity: () => this.capacity(), instanceName: options.instanceName, ledger: options.ledger });
  }

  /** Loads the licence document, starting the trial on the very first start; called once by the app at start. */
  start(): Promise<void> {
    return this.load().then(() => undefined);
  }

  async capacity(): Promise<PoolCapacity> {
    const state = await this.refreshTrial();
    const { keys } = state;
    const trial = this.trialNow(state);
    const licensed = sumLines(keys);
    // A key bought during the trial never leaves fewer lines than the trial gave, until the trial ends.
    if (trial.active) return { total: Math.max(trial.lines, licensed) };
    if (keys.some((k) => k.valid)) return { total: licensed };
    return { total: 0, why: trial.tampered ? 'the trial data was changed by hand, so the trial is over; add a licence key' : `the trial ended on ${trial.endsAt.slice(0, 10)} and no licence key is entered` };
  }

  async status(): Promise<LicenceStatus> {
    const state = await this.refreshTrial();
    const { keys } = state;
    const trial = this.trialNow(state);
    const { total } = await this.capacity();
    const overview = await this.pool.overview();
    return { keys, licensed: sumLines(keys), trial, total, inUse: overview.inUse, free: overview.free, instances: overview.instances };
  }

  /** Verifies and stores a key; an invalid, tampered or already entered key is refused with the reason. */
  async addKey(text: string): Promise<LicenceStatus> {
    const key = text.replace(/\s+/g, '');
    const verified = verifyLicenceKey(key, this.publicKeys);
    if (!verified.ok) throw new ApiFailure(verified.code, `licence key refused: ${verified.reason}`);
    const { payload } = verified;
    await this.mutate((doc, keys) => {
      const same = keys.find((k) => k.id === payload.id);
      if (same) throw new ApiFailure(LicenceKeyErrorCodes.duplicate, `licence key refused: the key with ID ${payload.id} (${same.lines} lines) was already entered on ${same.addedAt.slice(0, 10)}`, { id: payload.id });
      return { ...doc, keys: [...doc.keys, { key, addedAt: this.clock().toISOString() }] };
    });
    this.pool.freed();
    return this.status();
  }

  async removeKey(id: string): Promise<LicenceStatus> {
    await this.mutate((doc, keys) => {
      const i = keys.findIndex((k) => k.id === id);
      if (i < 0) throw new ApiFailure(LicenceKeyErrorCodes.notFound, `no licence key with ID ${id} is entered (entered: ${keys.map((k) => k.id).join(', ') || 'none'})`, { id });
      return { ...doc, keys: doc.keys.filter((_, j) => j !== i) };
    });
    return this.status();
  }

  private trialNow({ doc, trial }: State): TrialStatus {
    const status = trial.key ? evaluateTrial(doc.trial ?? trial.record, this.clock(), trial.key).status : trialOver(trial.record);
    return { ...status, warnings: trial.warnings };
  }

  /** Moves the trial's latest-seen time forward on disk (and, coarser, in the second copy), so a later clock change cannot give days back. */
  private async refreshTrial(): Promise<State> {
    const state = await this.load();
    const { key } = state.trial;
    const current = state.doc.trial;
    if (!key || !current) return state;
    const { record } = evaluateTrial(current, this.clock(), key);
    if (Date.parse(record.lastSeen) - Date.parse(current.lastSeen) < REFRESH_MS) return state;
    const next = await this.mutate((d) => ({ ...d, trial: evaluateTrial(d.trial ?? record, this.clock(), key).record }));
    const seen = next.trial.anchorSeen;
    if (seen !== undefined && Date.parse(record.lastSeen) - Date.parse(seen) >= ANCHOR_REFRESH_MS) {
      await this.options.anchor.write({ key: key.toString('base64'), firstStart: record.firstStart, lastSeen: record.lastSeen });
      next.trial.anchorSeen = record.lastSeen;
    }
    return next;
  }

  private load(): Promise<State> {
    if (!this.state) {
      this.seenVersion = this.options.docs.version?.();
      this.remember(this.loadTrial());
    } else this.followDisk();
    return this.state!;
  }

  /**
   * Keys entered or removed by another process (`linekeeper licences add` beside a running service) count here
   * within a second: the document is read again when it changed on disk; the trial decided at load stays.
   */
  private followDisk(): void {
    const now = Date.now();
    if (!this.options.docs.version || now - this.followedAt < FOLLOW_MS) return;
    this.followedAt = now;
    const version = this.options.docs.version();
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    const prev = this.state!;
    this.remember(
      prev.then(async (st) => {
        // an unreadable document (being replaced, damaged) keeps what was known
        const doc = await this.options.docs.read().catch(() => undefined);
        if (doc && doc.keys.length !== st.doc.keys.length) this.pool.freed();
        return doc ? { ...this.withKeys(doc), trial: st.trial } : st;
      }),
    );
  }

  /**
   * Reads the document and the trial's second copy and decides the trial (trial-anchor.ts). A first start, a
   * migration or a rebuilt record is decided again under the document's write lock, where it is saved, so two
   * processes starting at once agree on one trial key.
   */
  private async loadTrial(): Promise<State> {
    const { docs, anchor } = this.options;
    const read = await docs.read();
    let decision = reconcileTrial(read?.trial, await anchor.read(), this.clock());
    let doc = read ?? { keys: [] };
    if (decision.writeRecord) {
      doc = await docs.update(async (cur) => {
        decision = reconcileTrial(cur?.trial, await anchor.read(), this.clock());
        if (decision.anchor) await anchor.write(decision.anchor);
        return { keys: cur?.keys ?? [], ...(decision.writeRecord ? { trial: decision.record } : cur?.trial ? { trial: cur.trial } : {}) };
      });
    }
    if (decision.migrated) this.options.log?.info(coded('logApp.trialMigrated', { date: decision.record.firstStart }));
    for (const w of decision.warnings) this.options.log?.warn(coded('logApp.trialWarning', { warning: w.code, date: w.params.startedAt }));
    const trial: TrialState = { record: decision.record, key: decision.key, warnings: decision.warnings, anchorSeen: decision.anchor?.lastSeen ?? decision.anchorSeen };
    return { ...this.withKeys(doc), trial };
  }

  /** Keeps a state; if it fails, the next call loads again (a broken document may have been restored meanwhile). */
  private remember(state: Promise<State>): void {
    this.state = state;
    state.catch(() => {
      if (this.state === state) this.state = undefined;
    });
  }

  private mutate(fn: (doc: LicenceDocument, keys: LicenceKeyInfo[]) => LicenceDocument): Promise<State> {
    const prev = this.load();
    const next = (async () => {
      const { trial } = await prev;
      const doc = await this.options.docs.update((cur) => {
        const base = cur ?? { keys: [] };
        return fn(base, this.withKeys(base).keys);
      });
      return { ...this.withKeys(doc), trial };
    })();
    // Keep the last good state if the change is refused.
    this.remember(next.catch(() => prev));
    return next;
  }

  private withKeys(doc: LicenceDocument): Omit<State, 'trial'> {
    const keys = doc.keys.map(({ key, addedAt }): LicenceKeyInfo => {
      const v = verifyLicenceKey(key, this.publicKeys);
      if (v.ok) return { ...describe(v.payload), addedAt, valid: true };
      return { id: key.slice(0, 16) + '…', lines: 0, issued: '', addedAt, valid: false, problem: v.reason };
    });
    return { doc, keys };
  }
}

function describe(p: LicencePayload) {
  return { id: p.id, lines: p.lines, issued: p.issued, ...(p.licensee ? { licensee: p.licensee } : {}) };
}

function sumLines(keys: LicenceKeyInfo[]): number {
  return keys.reduce((n, k) => n + (k.valid ? k.lines : 0), 0);
}
