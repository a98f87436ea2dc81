// One connected application: its socket, framing, login state and a bounded send queue. The multiplexer core
// (multiplexer.ts) decides what the frames mean; this class only moves bytes and enforces the buffer bound.
import type { Socket } from 'node:net';
import { FrameDecoder } from '../../protocols/csta-ber';
import { coded, type Coded } from '../../../shared/problems';
import { causeOf } from './options';

export interface SessionHooks {
  frames(session: AppSession, apdus: Uint8Array[]): void;
  /** The stream could not be framed: the session is being closed as malformed. */
  malformed(session: AppSession, reason: string): void;
  closed(session: AppSession): void;
  /** A handler threw: the multiplexer logs it with the context; the session is already being closed. */
  failed(session: AppSession, where: string, error: unknown): void;
}

/** Sessions with a batch queued; one callback per tick flushes them all. */
let toFlush: AppSession[] = [];
function scheduleFlush(s: AppSession): void {
  if (toFlush.length === 0) process.nextTick(flushAll);
  toFlush.push(s);
}
function flushAll(): void {
  const list = toFlush;
  toFlush = [];
  for (const s of list) s.flushGuarded();
}

export class AppSession {
  readonly address: string;
  state: 'login' | 'ready' | 'closed' = 'login';
  user: string | undefined;
  since = new Date();
  requests = 0;
  events = 0;
  /** Requests of this application the multiplexer still owes an answer (the per-application cap counts these). */
  outstanding = 0;
  /** Refused for the cap already (logged once per episode). */
  atLimit = false;
  /** The keep-alive sent and not yet answered, and when the next one is due. */
  keepAlive: { invokeId: number; sentAt: number } | undefined;
  keepAliveDue = 0;
  /** Invokes from the PBX this application must answer: invoke ID → what the answer is for. */
  readonly expected = new Map<number, 'cdr' | 'dc' | 'relay'>();
  /** Our own invokes to the application (SystemStatus); their answers are swallowed. */
  readonly own = new Set<number>();
  private nextOwnId = 1;
  private readonly decoder = new FrameDecoder();
  private closeReason: Coded | undefined;
  private notified = false;
  private out: Buffer | undefined;
  private outLen = 0;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly transport: 'tcp' | 'tls',
    private readonly maxBuffered: number,
    private readonly hooks: SessionHooks,
  ) {
    this.address = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    // a throw in any handler ends this application only (and is logged); the process and the others go on
    socket.on('data', (chunk: Buffer) => this.guarded('data', () => this.onData(chunk)));
    socket.on('error', (e: NodeJS.ErrnoException) => (this.closeReason ??= coded('logMux.reasonSocketError', { cause: causeOf(e), detail: e.message })));
    socket.on('close', () =>
      this.guarded('close', () => {
        this.state = 'closed';
        this.notifyClosed();
      }),
    );
  }

  private guarded(where: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.hooks.failed(this, where, e);
      try {
        this.destroy(coded('logMux.reasonInternalError', { where }));
      } catch (again) {
        this.hooks.failed(this, `${where}, closing`, again);
      }
    }
  }

  /** Why the connection ended, coded for the log (absent when the application simply closed it). */
  get reason(): Coded | undefined {
    return this.closeReason;
  }

  /**
   * Queues one frame. Returns false, and leaves the decision to the caller, when the application has stopped
   * reading and its queue would grow past the bound.
   */
  send(frame: Uint8Array): boolean {
    const at = this.reserve(frame.length);
    if (at < 0) return false;
    this.out!.set(frame, at);
    return true;
  }

  /** Queues event frames (one buffer), writing this application's cross-reference ID at each of `refAts`. */
  sendWithRefs(frames: Buffer, refAts: number[], ref: Buffer): boolean {
    const at = this.reserve(frames.length);
    if (at < 0) return false;
    const out = this.out!;
    out.set(frames, at);
    // byte stores: cheaper than a native copy call for a 4-byte ID
    for (const r of refAts) for (let i = 0, p = at + r; i < ref.length; i++, p++) out[p] = ref[i];
    return true;
  }

  /**
   * Room for `n` bytes in the batch that leaves at the end of this tick: frames queued together (a burst of
   * events from one PBX read) go out in one write. -1 when closed or when the bound would be passed.
   */
  private reserve(n: number): number {
    if (this.state === 'closed' || this.socket.destroyed) return -1;
    if (this.socket.writableLength + this.outLen + n > this.maxBuffered) return -1;
    if (!this.out) {
      // small first batches come from Node's buffer pool; bursts grow it by doubling
      this.out = Buffer.allocUnsafe(Math.max(256, n));
      scheduleFlush(this);
    } else if (this.outLen + n > this.out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outLen + n));
      this.out.copy(bigger, 0, 0, this.outLen);
      this.out = bigger;
    }
    const at = this.outLen;
    this.outLen += n;
    return at;
  }

  /** Writes the batch queued this tick (called once per tick for every session with frames queued). */
  readonly flush = () => {
    const out = this.out;
    const len = this.outLen;
    this.out = undefined;
    this.outLen = 0;
    if (out && len > 0 && !this.socket.destroyed) this.socket.write(out.subarray(0, len));
  };

  /** The end-of-tick write; a throw ends this application only. */
  flushGuarded(): void {
    this.guarded('send', this.flush);
  }

  ownInvokeId(): number {
    const id = this.nextOwnId;
    this.nextOwnId = id >= 32767 ? 1 : id + 1;
    this.own.add(id);
    return id;
  }

  /** Ends the connection at once (slow, malformed, refused). */
  destroy(reason: Coded): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.state = 'closed';
    this.socket.destroy();
    this.notifyClosed();
  }

  /** Sends a last frame (AARE refusal, ABRT) and closes. */
  endWith(frame: Uint8Array | undefined, reason: Coded): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.state = 'closed';
    this.flush();
    if (frame) this.socket.end(frame);
    else this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
    this.notifyClosed();
  }

  private notifyClosed(): void {
    if (this.notified) return;
    this.notified = true;
    this.hooks.closed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    let apdus: Uint8Array[];
    try {
      apdus = this.decoder.push(chunk);
    } catch (e) {
      this.hooks.malformed(this, (e as Error).message);
      return;
    }
    if (apdus.length) this.hooks.frames(this, apdus);
  }
}
