import { ApiFailure } from '../../../shared/api/errors';
import { MemoryLedger, type LeaseKind, type LeaseLedger, type LedgerEntry, type LedgerLine } from './lease-ledger';

export const LicencePoolErrorCodes = {
  /** Every licence is taken by an open line somewhere; nothing was leased. */
  empty: 'LICENCE_POOL_EMPTY',
} as const;

/** What a licence is spent on: an open (monitored) line, or a telephone connected to the SIP-phone server. */
export type { LeaseKind } from './lease-ledger';

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
  /** Shares the pool with other processes on this PC (a FileLedger); by default this process only. */
  ledger?: LeaseLedger;
}

interface Held {
  instanceId: string;
  line: string;
  kind: LeaseKind;
  /** Leases on it not yet given back (their IDs are in `byLease`): a count, as 10,000 Sets of one cost more than the lease. */
  leases: number;
}

/**
 * The licences shared by every driver instance on this PC. One licence per distinct (instance, kind, line):
 * monitoring a line several times, even from several processes, takes one licence; it is returned when the
 * last lease on it is released. This process's leases are counted here; the ledger holds every process's.
 */
export class LicencePool {
  private readonly held = new Map<string, Held>();
  private readonly byLease = new Map<string, string>();
  private readonly ledger: LeaseLedger;
  private counter = 0;
  private readonly freedListeners = new Set<() => void>();
  private freedPending = false;

  constructor(private readonly options: LicencePoolOptions) {
    this.ledger = options.ledger ?? new MemoryLedger();
  }

  /** Takes a licence for the line (or joins the one already held); throws LICENCE_POOL_EMPTY when none is free. */
  async lease(instanceId: string, line: string, kind: LeaseKind = 'line'): Promise<Lease> {
    const key = `${instanceId}\u0000${kind}\u0000${line}`;
    const { total, why } = await this.options.capacity();
    // Check and insert with no await between them (and under the ledger's lock), so concurrent leases cannot
    // both take the last licence.
    let held = this.held.get(key);
    if (!held) {
      const full = this.ledger.take({ key, instanceId, kind, line }, total);
      if (full) throw await this.emptyError(instanceId, line, kind, total, full, why);
      held = { instanceId, line, kind, leases: 0 };
      this.held.set(key, held);
    }
    const lease: Lease = { id: `L${++this.counter}`, instanceId, line, kind };
    held.leases++;
    this.byLease.set(lease.id, key);
    return lease;
  }

  /**
   * Leases for many lines of one instance at once, in the order given (the line list's): one decision and one
   * ledger write for all of them. Lines beyond the free licences get the LICENCE_POOL_EMPTY failure instead.
   */
  async leaseMany(instanceId: string, lines: string[], kind: LeaseKind = 'line'): Promise<Array<Lease | ApiFailure>> {
    const { total, why } = await this.options.capacity();
    // Each key built once (10,000 lines open in one call).
    const keys = lines.map((line) => `${instanceId}\u0000${kind}\u0000${line}`);
    // As in lease(): no await between the check and the insert.
    const wanted: LedgerLine[] = [];
    const asked = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      const key = keys[i];
      if (this.held.has(key) || asked.has(key)) continue;
      asked.add(key);
      wanted.push({ key, instanceId, kind, line: lines[i] });
    }
    const taken = this.ledger.takeMany(wanted, total);
    for (let i = 0; i < taken; i++) this.held.set(wanted[i].key, { instanceId, line: wanted[i].line, kind, leases: 0 });
    const out: Array<Lease | ApiFailure> = [];
    let full: LedgerEntry[] | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const held = this.held.get(keys[i]);
      if (!held) {
        full ??= this.ledger.read();
        out.push(await this.emptyError(instanceId, line, kind, total, full, why));
        continue;
      }
      const lease: Lease = { id: `L${++this.counter}`, instanceId, line, kind };
      held.leases++;
      this.byLease.set(lease.id, keys[i]);
      out.push(lease);
    }
    return out;
  }

  /** Gives a lease back; releasing the same lease twice does nothing the second time. */
  release(lease: Lease): boolean {
    const key = this.byLease.get(lease.id);
    if (key === undefined) return false;
    this.byLease.delete(lease.id);
    const held = this.held.get(key);
    if (held && --held.leases === 0) this.drop([key]);
    return true;
  }

  /** Gives many leases back with one ledger write (an instance with 10,000 lines stopping); returns how many were held. */
  releaseMany(leases: Iterable<Lease>): number {
    const emptied: string[] = [];
    let n = 0;
    for (const lease of leases) {
      const key = this.byLease.get(lease.id);
      if (key === undefined) continue;
      n++;
      this.byLease.delete(lease.id);
      const held = this.held.get(key);
      if (held && --held.leases === 0) emptied.push(key);
    }
    this.drop(emptied);
    return n;
  }

  /** Releases every lease of an instance (it was stopped or deleted); returns how many licences came back. */
  releaseInstance(instanceId: string): number {
    const keys = [...this.held].filter(([, h]) => h.instanceId === instanceId).map(([k]) => k);
    this.drop(keys, true);
    return keys.length;
  }

  /** Releases everything this process holds; on shutdown. */
  releaseAll(): void {
    this.drop([...this.held.keys()], true);
  }

  /**
   * Calls `fn` after licences may have become free in this process (leases given back, more licences entered),
   * once per burst: stopping an instance gives back each of its lines but is told once. Returns the unsubscribe.
   */
  onFreed(fn: () => void): () => void {
    this.freedListeners.add(fn);
    return () => this.freedListeners.delete(fn);
  }

  /** Tells the `onFreed` listeners; the licence service calls it when the capacity may have grown. */
  freed(): void {
    if (this.freedPending || this.freedListeners.size === 0) return;
    this.freedPending = true;
    setImmediate(() => {
      this.freedPending = false;
      for (const fn of this.freedListeners) fn();
    });
  }

  /** Licences in use on this PC (every process sharing the ledger). */
  get inUse(): number {
    return distinct(this.ledger.read());
  }

  /** `outstanding`: the keys may still have leases (an instance released whole); their IDs go too. */
  private drop(keys: string[], outstanding = false): void {
    if (!keys.length) return;
    for (const key of keys) this.held.delete(key);
    if (outstanding) {
      const gone = new Set(keys);
      for (const [id, key] of this.byLease) if (gone.has(key)) this.byLease.delete(id);
    }
    this.ledger.give(keys);
    this.freed();
  }

  async overview(): Promise<PoolOverview> {
    return this.overviewWith((await this.options.capacity()).total, this.ledger.read());
  }

  private async overviewWith(total: number, entries: LedgerEntry[]): Promise<PoolOverview> {
    const per = new Map<string, PoolInstanceUse>();
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      let use = per.get(e.instanceId);
      if (!use) per.set(e.instanceId, (use = { instanceId: e.instanceId, name: e.instanceId, lines: 0, phones: 0 }));
      if (e.kind === 'line') use.lines++;
      else use.phones++;
    }
    for (const use of per.values()) use.name = await this.nameOf(use.instanceId);
    const instances = [...per.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { total, inUse: seen.size, free: Math.max(0, total - seen.size), instances };
  }

  private async nameOf(instanceId: string): Promise<string> {
    try {
      return (await this.options.instanceName?.(instanceId)) ?? instanceId;
    } catch {
      return instanceId;
    }
  }

  private async emptyError(instanceId: string, line: string, kind: LeaseKind, total: number, entries: LedgerEntry[], why?: string): Promise<ApiFailure> {
    const overview = await this.overviewWith(total, entries);
    const what = `${kind === 'line' ? 'line' : 'telephone'} ${line} on "${await this.nameOf(instanceId)}"`;
    const where = overview.instances.map((u) => `${u.name}: ${u.lines + u.phones}`).join(', ');
    const message =
      total === 0 && why
        ? `cannot open ${what}: ${why}`
        : `cannot open ${what}: all ${total} licences are in use (${where || 'none open'}); close a line or add a licence key`;
    return new ApiFailure(LicencePoolErrorCodes.empty, message, { instanceId, line, kind, total, inUse: overview.inUse, instances: overview.instances });
  }
}

function distinct(entries: LedgerEntry[]): number {
  return new Set(entries.map((e) => e.key)).size;
}
