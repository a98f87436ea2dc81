import { randomInt } from 'node:crypto';

// Shared monitors: one PBX monitor per device (and filter), any number of applications on it, each with its own
// cross-reference ID of the same size as the PBX's, so events are rewritten in place.

export interface Subscription<C> {
  client: C;
  /** The application's own cross-reference ID (hex), and its bytes for in-place rewriting. */
  clientRef: string;
  refBytes: Buffer;
  monitor: SharedMonitor<C>;
}

export interface SharedMonitor<C> {
  /** What identifies the monitor: the MonitorStart argument without its extensions (hex). */
  key: string;
  /** Readable device, e.g. "100" or "#5" (a device number). */
  device: string;
  /** The argument sent upstream (for restoring after a reconnect). */
  argument: Uint8Array;
  state: 'starting' | 'active';
  /** Upstream invoke ID of the MonitorStart now out for it (none after a timeout, until one is sent again). */
  startInvoke?: number;
  /** The PBX's cross-reference ID while active (hex). */
  upstreamRef?: string;
  /** The PBX's MonitorStartResult value; later applications get a copy with their own ID. */
  result?: Uint8Array;
  subscribers: Subscription<C>[];
  /** Applications waiting for the first MonitorStart's answer. */
  waiting: { client: C; invokeId: number }[];
}

export class MonitorTable<C> {
  private readonly byKey = new Map<string, SharedMonitor<C>>();
  private readonly byUpstream = new Map<string, SharedMonitor<C>>();
  private readonly byClientRef = new Map<string, Subscription<C>>();
  // a random start: applications' IDs neither follow the PBX's numbering nor repeat across restarts
  private nextRef = randomInt(1, 0x1000000);

  get monitorCount(): number {
    return this.byKey.size;
  }

  get subscriptionCount(): number {
    return this.byClientRef.size;
  }

  get(key: string): SharedMonitor<C> | undefined {
    return this.byKey.get(key);
  }

  byUpstreamRef(ref: string): SharedMonitor<C> | undefined {
    return this.byUpstream.get(ref);
  }

  subscription(clientRef: string): Subscription<C> | undefined {
    return this.byClientRef.get(clientRef);
  }

  /** Creates a monitor in state 'starting' (the caller sends the MonitorStart upstream). */
  create(key: string, device: string, argument: Uint8Array): SharedMonitor<C> {
    const m: SharedMonitor<C> = { key, device, argument, state: 'starting', subscribers: [], waiting: [] };
    this.byKey.set(key, m);
    return m;
  }

  /** The PBX accepted the monitor. */
  activate(m: SharedMonitor<C>, upstreamRef: string, result: Uint8Array): void {
    if (m.upstreamRef) this.byUpstream.delete(m.upstreamRef);
    m.state = 'active';
    m.startInvoke = undefined;
    m.upstreamRef = upstreamRef;
    m.result = result;
    this.byUpstream.set(upstreamRef, m);
  }

  /** Back to 'starting' after the upstream link went down (the PBX forgot the monitor). */
  deactivate(m: SharedMonitor<C>): void {
    if (m.upstreamRef) this.byUpstream.delete(m.upstreamRef);
    m.upstreamRef = undefined;
    m.startInvoke = undefined;
    m.state = 'starting';
  }

  /** Adds an application to an active monitor with a fresh cross-reference ID of `size` bytes. */
  subscribe(m: SharedMonitor<C>, client: C, size: number): Subscription<C> {
    const clientRef = this.newRef(size);
    const s: Subscription<C> = { client, clientRef, refBytes: Buffer.from(clientRef, 'hex'), monitor: m };
    m.subscribers.push(s);
    this.byClientRef.set(clientRef, s);
    return s;
  }

  /** Removes one subscription; returns true when the monitor has nobody left (caller stops it upstream). */
  unsubscribe(s: Subscription<C>): boolean {
    this.byClientRef.delete(s.clientRef);
    const m = s.monitor;
    m.subscribers = m.subscribers.filter((x) => x !== s);
    return m.subscribers.length === 0 && m.waiting.length === 0;
  }

  /** Forgets a monitor entirely. */
  remove(m: SharedMonitor<C>): void {
    this.byKey.delete(m.key);
    if (m.upstreamRef) this.byUpstream.delete(m.upstreamRef);
    for (const s of m.subscribers) this.byClientRef.delete(s.clientRef);
    m.subscribers = [];
  }

  /** Every subscription of one application. */
  subscriptionsOf(client: C): Subscription<C>[] {
    const out: Subscription<C>[] = [];
    for (const s of this.byClientRef.values()) if (s.client === client) out.push(s);
    return out;
  }

  all(): SharedMonitor<C>[] {
    return [...this.byKey.values()];
  }

  private newRef(size: number): string {
    const bytes = Math.max(size, 1);
    const space = bytes >= 4 ? 0x100000000 : 256 ** bytes;
    for (let tries = 0; tries < 1 << 20; tries++) {
      const n = this.nextRef % space;
      this.nextRef = this.nextRef + 1 >= 0x100000000 ? 1 : this.nextRef + 1;
      if (n === 0) continue;
      const h = n.toString(16).padStart(bytes * 2, '0');
      const ref = bytes > 4 ? h.padStart(bytes * 2, '0') : h;
      if (!this.byClientRef.has(ref)) return ref;
    }
    throw new Error(`no free cross-reference ID of ${size} bytes`);
  }
}
