// "Query available lines": reads the devices through a driver, builds the preview and keeps it until the admin
// applies it (one atomic write of the line list) or it expires.
import type { DiscoverProgress, DiscoveryApplied, DiscoveryPreview, DiscoveredDevice } from '../../../shared/api/drivers';
import { ApiFailure } from '../../../shared/api/errors';
import type { Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import { DriverErrorCodes, DriverFailure, failureDetails, type Driver } from '../../drivers';
import { buildPreview, diffLines, applySipFilter, rangeTools, type LineIdentity } from './preview';

export interface DiscoveryDeps {
  loadInstance(id: string): Promise<Instance>;
  /** A connected driver for the instance and what to do when done (the running one is lent, not closed). */
  borrowDriver(instance: Instance): Promise<{ driver: Driver; done(): Promise<void> }>;
  updateLines(id: string, fn: (lines: Line[], instance: Instance) => Line[]): Promise<Instance>;
  onProgress(p: DiscoverProgress): void;
  /** Called after a discovery was applied, so a running instance opens and closes lines. */
  afterApply?(instanceId: string): Promise<unknown>;
  /** The line identity of the instance's family (default: the number). */
  identityOf?(instance: Instance): LineIdentity;
  /** The store's copy of the instance document as it was before its last save (named to the admin after an apply). */
  backupFileOf?(instanceId: string): string | null;
}

export const DiscoveryErrorCodes = {
  notFound: 'DISCOVERY_NOT_FOUND',
  nothingToUndo: 'NOTHING_TO_UNDO',
  changedSinceApply: 'LINES_CHANGED_SINCE_APPLY',
} as const;

/** The line list an apply replaced, and the list it stored (to see whether the admin changed it since). */
interface Undo {
  before: Line[];
  after: string;
}

interface Kept {
  instanceId: string;
  devices: DiscoveredDevice[];
  readNames: boolean;
  at: number;
}

/** Previews older than this are dropped; applying then asks for a new discovery. */
const PREVIEW_TTL_MS = 30 * 60_000;

export class DiscoveryService {
  private readonly running = new Map<string, AbortController>();
  private readonly kept = new Map<string, Kept>();
  private readonly undos = new Map<string, Undo>();

  constructor(private readonly deps: DiscoveryDeps) {}

  async discover(instanceId: string, requestId: string): Promise<DiscoveryPreview> {
    if (this.running.has(requestId)) throw new ApiFailure('CONFLICT', `a discovery with request ID ${requestId} is already running`);
    const abort = new AbortController();
    this.running.set(requestId, abort);
    const progress = (p: Omit<DiscoverProgress, 'instanceId' | 'requestId'>) => this.deps.onProgress({ instanceId, requestId, ...p });
    try {
      const instance = await this.deps.loadInstance(instanceId);
      let ranges: ReturnType<typeof rangeTools>;
      try {
        ranges = rangeTools(instance.location.ranges);
      } catch (e) {
        throw new ApiFailure('LOCATION_INVALID', `the extension ranges of "${instance.name}" are not valid: ${(e as Error).message}`);
      }
      progress({ phase: 'connecting', method: null, found: 0, probed: 0, total: 0 });
      const { driver, done } = await this.deps.borrowDriver(instance);
      let result;
      try {
        // The ranges are applied here rather than in the driver, so the devices outside them can be listed.
        result = await driver.discover({
          probeNumbers: ranges.probeNumbers,
          readNames: instance.advanced.readLineNames,
          signal: abort.signal,
          onProgress: (p) => progress({ phase: p.phase, method: p.method, found: p.found, probed: p.probed, total: p.total }),
        });
      } finally {
        await done();
      }
      const inRange = ranges.inRange;
      const outside = inRange ? result.devices.filter((d) => !inRange(d.number)) : [];
      if (outside.length) result = { ...result, devices: result.devices.filter((d) => inRange!(d.number)), outOfRange: result.outOfRange + outside.length };
      progress({ phase: 'filtering', method: result.method, found: result.devices.length, probed: 0, total: 0 });
      const preview = buildPreview({ requestId, instanceId }, { ...result, outside }, { lines: instance.lines, sipFilter: instance.sipFilter, readNames: instance.advanced.readLineNames, identity: this.deps.identityOf?.(instance) });
      this.prune();
      this.kept.set(requestId, { instanceId, devices: result.devices, readNames: instance.advanced.readLineNames, at: Date.now() });
      progress({ phase: 'done', method: result.method, found: result.devices.length, probed: 0, total: 0 });
      return preview;
    } catch (e) {
      const cancelled = e instanceof DriverFailure && e.code === DriverErrorCodes.cancelled;
      progress({ phase: cancelled ? 'cancelled' : 'failed', method: null, found: 0, probed: 0, total: 0 });
      if (e instanceof DriverFailure) throw new ApiFailure(e.code, e.message, failureDetails(e));
      throw e;
    } finally {
      this.running.delete(requestId);
    }
  }

  cancel(requestId: string): { cancelled: boolean } {
    const a = this.running.get(requestId);
    if (!a) return { cancelled: false };
    a.abort();
    return { cancelled: true };
  }

  /**
   * Stores the discovered lines as the instance's line list in one write. The diff is taken again against the
   * lines as they are now, so an edit made while the preview was open is not lost silently. The replaced list is
   * kept for `undo` (in memory) and in the store's backup copy (named in the answer).
   */
  async apply(instanceId: string, requestId: string, choices: { keepUnlisted?: boolean; keepNames?: boolean } = {}): Promise<DiscoveryApplied> {
    const k = this.kept.get(requestId);
    if (!k || k.instanceId !== instanceId || Date.now() - k.at > PREVIEW_TTL_MS) {
      throw new ApiFailure(DiscoveryErrorCodes.notFound, `no discovery ${requestId} for instance ${instanceId} to apply (it expired, was applied, or never ran); query the lines again`);
    }
    let counts = { added: 0, removed: 0, renamed: 0 };
    let before: Line[] = [];
    const saved = await this.deps.updateLines(instanceId, (current, instance) => {
      const { kept } = applySipFilter(instance.sipFilter, k.devices);
      const diff = diffLines(current, kept, k.readNames, this.deps.identityOf?.(instance), { ...choices, listed: k.devices });
      counts = { added: diff.added.length, removed: diff.removed.length, renamed: diff.renamed.length };
      before = current;
      return diff.lines;
    });
    this.kept.delete(requestId);
    this.undos.set(instanceId, { before, after: JSON.stringify(saved.lines) });
    await this.deps.afterApply?.(instanceId);
    return { lineCount: saved.lines.length, ...counts, backupFile: this.deps.backupFileOf?.(instanceId) ?? null };
  }

  /** Puts back the list the last apply replaced, unless the lines were changed since (then the backup copy is named). */
  async undo(instanceId: string): Promise<{ lineCount: number }> {
    const u = this.undos.get(instanceId);
    if (!u) throw new ApiFailure(DiscoveryErrorCodes.nothingToUndo, `no applied line query of instance ${instanceId} to undo (only the last one, until the console restarts)`, { instanceId });
    const backupFile = this.deps.backupFileOf?.(instanceId) ?? null;
    const saved = await this.deps.updateLines(instanceId, (current) => {
      if (JSON.stringify(current) !== u.after) {
        throw new ApiFailure(DiscoveryErrorCodes.changedSinceApply, `the lines of instance ${instanceId} were changed after the query was applied; undoing it would lose those changes`, { instanceId, backupFile });
      }
      return u.before;
    });
    this.undos.delete(instanceId);
    await this.deps.afterApply?.(instanceId);
    return { lineCount: saved.lines.length };
  }

  private prune(): void {
    for (const [id, k] of this.kept) if (Date.now() - k.at > PREVIEW_TTL_MS) this.kept.delete(id);
  }
}
