// "Query available lines": reads the devices through a driver, builds the preview and keeps it until the admin
// applies it (one atomic write of the line list) or it expires.
import type { DiscoverProgress, DiscoveryPreview, DiscoveredDevice } from '../../../shared/api/drivers';
import { ApiFailure } from '../../../shared/api/errors';
import type { Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import { DriverErrorCodes, DriverFailure, type Driver } from '../../drivers';
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
        result = await driver.discover({
          inRange: ranges.inRange,
          probeNumbers: ranges.probeNumbers,
          readNames: instance.advanced.readLineNames,
          signal: abort.signal,
          onProgress: (p) => progress({ phase: p.phase, method: p.method, found: p.found, probed: p.probed, total: p.total }),
        });
      } finally {
        await done();
      }
      progress({ phase: 'filtering', method: result.method, found: result.devices.length, probed: 0, total: 0 });
      const preview = buildPreview({ requestId, instanceId }, result, { lines: instance.lines, sipFilter: instance.sipFilter, readNames: instance.advanced.readLineNames, identity: this.deps.identityOf?.(instance) });
      this.prune();
      this.kept.set(requestId, { instanceId, devices: result.devices, readNames: instance.advanced.readLineNames, at: Date.now() });
      progress({ phase: 'done', method: result.method, found: result.devices.length, probed: 0, total: 0 });
      return preview;
    } catch (e) {
      const cancelled = e instanceof DriverFailure && e.code === DriverErrorCodes.cancelled;
      progress({ phase: cancelled ? 'cancelled' : 'failed', method: null, found: 0, probed: 0, total: 0 });
      if (e instanceof DriverFailure) throw new ApiFailure(e.code, e.message, e.fingerprint ? { fingerprint: e.fingerprint } : undefined);
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
   * lines as they are now, so an edit made while the preview was open is not lost silently.
   */
  async apply(instanceId: string, requestId: string): Promise<{ lineCount: number; added: number; removed: number; renamed: number }> {
    const k = this.kept.get(requestId);
    if (!k || k.instanceId !== instanceId || Date.now() - k.at > PREVIEW_TTL_MS) {
      throw new ApiFailure('DISCOVERY_NOT_FOUND', `no discovery ${requestId} for instance ${instanceId} to apply (it expired, was applied, or never ran); query the lines again`);
    }
    let counts = { added: 0, removed: 0, renamed: 0 };
    const saved = await this.deps.updateLines(instanceId, (current, instance) => {
      const { kept } = applySipFilter(instance.sipFilter, k.devices);
      const diff = diffLines(current, kept, k.readNames, this.deps.identityOf?.(instance));
      counts = { added: diff.added.length, removed: diff.removed.length, renamed: diff.renamed.length };
      return diff.lines;
    });
    this.kept.delete(requestId);
    await this.deps.afterApply?.(instanceId);
    return { lineCount: saved.lines.length, ...counts };
  }

  private prune(): void {
    for (const [id, k] of this.kept) if (Date.now() - k.at > PREVIEW_TTL_MS) this.kept.delete(id);
  }
}
