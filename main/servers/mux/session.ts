// One connected application: its socket, framing, login state and a bounded send queue. The multiplexer core
// (multiplexer.ts) decides what the frames mean; this class only moves bytes and enforces the buffer bound.
import type { Socket } from 'node:net';
import { FrameDecoder } from '../../protocols/csta';

export interface SessionHooks {
  frames(session: AppSession, apdus: Uint8Array[]): void;
  /** The stream could not be framed: the session is being closed as malformed. */
  malformed(session: AppSession, reason: string): void;
  closed(session: AppSession): void;
}

export class AppSession {
  readonly address: string;
  state: 'login' | 'ready' | 'closed' = 'login';
  user: string | undefined;
  since = new Date();
  requests = 0;
  events = 0;
  /** Invokes from the PBX this application must answer: invoke ID → what the answer is for. */
  readonly expected = new Map<number, 'cdr' | 'relay'>();
  /** Our own invokes to the application (SystemStatus); their answers are swallowed. */
  readonly own = new Set<number>();
  private nextOwnId = 1;
  private readonly decoder = new FrameDecoder();
  private closeReason: string | undefined;
  private notified = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly transport: 'tcp' | 'tls',
    private readonly maxBuffered: number,
    private readonly hooks: SessionHooks,
  ) {
    this.address = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => (this.closeReason ??= e.message));
    socket.on('close', () => {
      this.state = 'closed';
      this.notifyClosed();
    });
  }

  get reason(): string | undefined {
    return this.closeReason;
  }

  /**
   * Queues one frame. Returns false, and leaves the decision to the caller, when the application has stopped
   * reading and its queue would grow past the bound.
   */
  send(frame: Uint8Array): boolean {
    if (this.state === 'closed' || this.socket.destroyed) return false;
    if (this.socket.writableLength + frame.length > this.maxBuffered) return false;
    this.socket.write(frame);
    return true;
  }

  ownInvokeId(): number {
    const id = this.nextOwnId;
    this.nextOwnId = id >= 32767 ? 1 : id + 1;
    this.own.add(id);
    return id;
  }

  /** Ends the connection at once (slow, malformed, refused). */
  destroy(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.state = 'closed';
    this.socket.destroy();
    this.notifyClosed();
  }

  /** Sends a last frame (AARE refusal, ABRT) and closes. */
  endWith(frame: Uint8Array | undefined, reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.state = 'closed';
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
