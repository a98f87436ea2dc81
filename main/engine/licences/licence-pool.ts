import { ApiFailure } from '../../../shared/api/errors';

export const LicencePoolErrorCodes = {
  /** Every licence is taken by an open line somewhere; nothing was leased. */
  empty: 'LICENCE_POOL_EMPTY',
} as const;

/** What a licence is spent on: an open (monitored) line, or a telephone connected to the SIP-phone server. */
export type LeaseKind = 'line' | 'phone';

/** A handle for one open of a line; plain JSON so it can cross to a driver process or the UI. */
export interface Lease {
  id: string;
  instanceId: string;
  line: string;
  kind: LeaseKind;
}

export interface PoolCapacity {
  total: number;
  /** Why no licence exists at all, e.g. the trial ended; used in the error instead of the in-use figures. */
  why?: string;
}

export interface PoolInstanceUse {
  instanceId: string;
  name: string;
  lines: number;
  phones: number;
}

export interface PoolOverview {
  total: number;
  inUse: number;
  free: number;
  instances: PoolInstanceUse[];
}

export interface LicencePoolOptions {
  /** May be async (the licence state loads from disk once); read on every new lease. */
  capacity: () => PoolCapacity | Promise<PoolCapacity>;
  /** The instance's name for messages and the overview; the ID is shown when it gives undefined. */
  instanceName?: (instanceId: string) => string | undefined | Promise<string | undefined>;
}

interface Entry {
  instanceId: string;
  line: string;
  kind: LeaseKind;
  leases: Set<string>;
}

/**
 * The licences shared by every driver instance of this process. One licence per distinct (instance, kind,
 * line): opening a line that is already open elsewhere in the same instance, or monitoring it twice, takes
 * no second licence; it is returned when the last lease on it is released.
 */
export class LicencePool {
  private readonly entries = new Map<string, Entry>();
  private readonly byLease = new Map<string, string>();
  private counter = 0;

  constructor(private readonly options: LicencePoolOptions) {}

  /** Takes a licence for the line (or joins the one it already holds); throws LICENCE_POOL_EMPTY when none is free. */
  async lease(instanceId: string, line: string, kind: LeaseKind = 'line'): Promise<Lease> {
    const key = `${instanceId}\u0000${kind}\u0000${line}`;
    const { total, why } = await this.options.capacity();
    // Check and insert with no await between them, so concurrent leases cannot both take the last licence.
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= total) throw await this.emptyError(instanceId, line, kind, total, why);
      entry = { instanceId, line, kind, leases: new Set() };
      this.entries.set(key, entry);
    }
    const lease: Lease = { id: `L${++this.counter}`, instanceId, line, kind };
    entry.leases.add(lease.id);
    this.byLease.set(lease.id, key);
    return lease;
  }

  /** Gives a lease back; releasing the same lease twice does nothing the second time. */
  release(lease: Lease): boolean {
    const key = this.byLease.get(lease.id);
    if (key === undefined) return false;
    this.byLease.delete(lease.id);
    const entry = this.entries.get(key);
    if (entry) {
      entry.leases.delete(lease.id);
      if (entry.leases.size === 0) this.entries.delete(key);
    }
    return true;
  }

  /** Releases every lease of an instance (it was stopped or deleted); returns how many licences came back. */
  releaseInstance(instanceId: string): number {
    let freed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.instanceId !== instanceId) continue;
      for (const id of entry.leases) this.byLease.delete(id);
      this.entries.delete(key);
      freed++;
    }
    return freed;
  }

  get inUse(): number {
    return this.entries.size;
  }

  async overview(): Promise<PoolOverview> {
    return this.overviewWith((await this.options.capacity()).total);
  }

  private async overviewWith(total: number): Promise<PoolOverview> {
    const per = new Map<string, PoolInstanceUse>();
    for (const e of this.entries.values()) {
      let use = per.get(e.instanceId);
      if (!use) per.set(e.instanceId, (use = { instanceId: e.instanceId, name: e.instanceId, lines: 0, phones: 0 }));
      if (e.kind === 'line') use.lines++;
      else use.phones++;
    }
    for (const use of per.values()) use.name = await this.nameOf(use.instanceId);
    const instances = [...per.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { total, inUse: this.entries.size, free: Math.max(0, total - this.entries.size), instances };
  }

  private async nameOf(instanceId: string): Promise<string> {
    try {
      return (await this.options.instanceName?.(instanceId)) ?? instanceId;
    } catch {
      return instanceId;
    }
  }

  private async emptyError(instanceId: string, line: string, kind: LeaseKind, total: number, why?: string): Promise<ApiFailure> {
    const overview = await this.overviewWith(total);
    const what = `${kind === 'line' ? 'line' : 'telephone'} ${line} on "${await this.nameOf(instanceId)}"`;
    const where = overview.instances.map((u) => `${u.name}: ${u.lines + u.phones}`).join(', ');
    const message =
      total === 0 && why
        ? `cannot open ${what}: ${why}`
        : `cannot open ${what}: all ${total} licences are in use (${where || 'none open'}); close a line or add a licence key`;
    return new ApiFailure(LicencePoolErrorCodes.empty, message, { instanceId, line, kind, total, inUse: overview.inUse, instances: overview.instances });
  }
}
