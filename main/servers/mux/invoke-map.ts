// Upstream invoke IDs: every request an application sends gets a fresh ID on the PBX link, and the answer
// finds its way back through this table. The multiplexer's own requests (monitor restore, stops) use it too.

/** `restore`: a CDR or data-collection registration started again after a reconnect (key `service:appRef`). */
export type PendingKind = 'relay' | 'monitorStart' | 'monitorStop' | 'cdrStart' | 'dcStart' | 'restore' | 'internal';

export interface Pending<C> {
  upstreamId: number;
  kind: PendingKind;
  /** The application that asked (absent for the multiplexer's own requests). */
  client?: C;
  clientInvokeId?: number;
  opcode: number;
  /** Free-form context for the kind (the monitor key for monitorStart, …). */
  key?: string;
  sentAt: number;
  /** Timed out already; kept so that a late answer is recognised (and its ID not reused meanwhile). */
  late?: boolean;
}

/** ROSE invoke IDs are INTEGERs; the PBX family keeps them to 15 bits, so do we. */
export const MAX_INVOKE_ID = 32767;

export class InvokeMap<C> {
  private readonly pending = new Map<number, Pending<C>>();
  private next = 1;

  constructor(private readonly limit = MAX_INVOKE_ID) {}

  get size(): number {
    return this.pending.size;
  }

  /** Allocates a free upstream ID; undefined when every ID is in flight. */
  add(entry: Omit<Pending<C>, 'upstreamId' | 'sentAt'>, now = Date.now()): Pending<C> | undefined {
    if (this.pending.size >= this.limit) return undefined;
    while (this.pending.has(this.next)) this.next = this.next >= this.limit ? 1 : this.next + 1;
    const p: Pending<C> = { ...entry, upstreamId: this.next, sentAt: now };
    this.pending.set(p.upstreamId, p);
    this.next = this.next >= this.limit ? 1 : this.next + 1;
    return p;
  }

  /** Takes the entry an answer belongs to. */
  take(upstreamId: number): Pending<C> | undefined {
    const p = this.pending.get(upstreamId);
    if (p) this.pending.delete(upstreamId);
    return p;
  }

  /** Forgets every request of an application that went away (their answers are dropped). */
  dropClient(client: C): Pending<C>[] {
    const out: Pending<C>[] = [];
    for (const p of this.pending.values()) {
      if (p.client === client && p.kind === 'relay') {
        out.push(p);
        this.pending.delete(p.upstreamId);
      }
    }
    return out;
  }

  /** Empties the table (upstream link lost); returns what was waiting. */
  clear(): Pending<C>[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Puts an expired entry back as late, for one more `expire` period. */
  keepLate(p: Pending<C>, now = Date.now()): void {
    this.pending.set(p.upstreamId, { ...p, late: true, sentAt: now });
  }

  /** Entries older than `maxAgeMs`, removed. */
  expire(maxAgeMs: number, now = Date.now()): Pending<C>[] {
    const out: Pending<C>[] = [];
    for (const p of this.pending.values()) {
      if (now - p.sentAt > maxAgeMs) {
        out.push(p);
        this.pending.delete(p.upstreamId);
      }
    }
    return out;
  }
}
