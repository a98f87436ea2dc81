import type { Socket } from 'node:net';
import type { AssociationLink, Outbound, PanasonicPbx } from './pbx';
import { handleInvoke, operationLabel, type OperationContext } from './operations';
import type { InvokeApdu } from './csta';
import * as wire from './wire';

/** Where the simulator reports what happens on its links; the CLI passes a console logger, tests none. */
export interface SimLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SessionOptions {
  login?: { user: string; password: string };
  segmentSize: number;
  keepAliveMs: number;
  logger?: SimLogger;
}

/**
 * One client connection: ACSE association (with the single-association rule and the optional login), the
 * PBX's SystemStatus invoke, ROSE invokes handed to the operations, and events going out. A frame that cannot be
 * read ends this connection only; the simulator keeps serving others.
 */
export class CstaSession implements AssociationLink {
  private state: 'idle' | 'associated' | 'closed' = 'idle';
  private readonly deframer = wire.createDeframer();
  private nextInvokeId = 1;
  private keepAlive: NodeJS.Timeout | undefined;
  /** Answers leave in order even when a fault delays them. */
  private queue: Promise<void> = Promise.resolve();
  private readonly peer: string;
  private held: Outbound[] | undefined;
  private nextServiceRef = 1;

  constructor(
    private readonly socket: Socket,
    readonly transport: 'tcp' | 'tls',
    private readonly pbx: PanasonicPbx,
    private readonly options: SessionOptions,
  ) {
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.log('warn', `socket error: ${e.message}`));
    socket.on('close', () => this.onClosed());
  }

  // ---- AssociationLink -----------------------------------------------------------------------------------

  send(out: Outbound): void {
    if (this.state !== 'associated') return;
    // Events caused by a service leave after its result, as on the real switch.
    if (this.held) return void this.held.push(out);
    try {
      this.writeFrame(wire.encodeOutboundFrame(this.nextId(), out));
    } catch (e) {
      this.log('error', `cannot encode ${out.kind} for ${out.crossRefID}: ${(e as Error).message}`);
    }
  }

  drop(reason: string): void {
    this.log('warn', reason);
    this.socket.destroy();
  }

  sendMalformed(): void {
    this.socket.write(wire.MALFORMED_FRAME);
  }

  close(reason: string): void {
    if (this.state === 'associated') this.write(wire.encodeAbort());
    this.log('info', reason);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  // ---- incoming ------------------------------------------------------------------------------------------

  /** A method, not a field read, because handling one APDU may close the session mid-loop. */
  private get closed(): boolean {
    return this.state === 'closed';
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let apdus: Uint8Array[];
    try {
      apdus = this.deframer.push(chunk);
    } catch (e) {
      return this.badFrame(e as Error);
    }
    for (const apdu of apdus) {
      if (this.closed) return;
      let msg: wire.Incoming;
      try {
        msg = wire.decodeIncoming(apdu);
      } catch (e) {
        return this.badFrame(e as Error);
      }
      this.onMessage(msg);
    }
  }

  private onMessage(msg: wire.Incoming): void {
    if (msg.kind === 'aarq') return this.onAarq(msg);
    if (this.state !== 'associated') return this.badFrame(new Error(`${msg.kind} before the association`));
    switch (msg.kind) {
      case 'release':
        this.write(wire.encodeReleaseResponse());
        this.log('info', 'association released by the client');
        this.endAssociation();
        this.socket.end();
        return;
      case 'abort':
        this.log('info', 'association aborted by the client');
        this.endAssociation();
        this.socket.destroy();
        return;
      case 'invoke':
        return this.onInvoke(msg.invoke);
      case 'mistyped':
        this.pbx.noteInvoke(operationLabel(msg.opcode ?? -1));
        this.log('warn', `rejecting invoke ${msg.invokeId}: ${msg.reason}`);
        this.write(wire.encodeReply({ kind: 'reject', invokeId: msg.invokeId, problem: 'mistypedArgument' }, () => this.nextId()));
        return;
      default:
        // Answers to our SystemStatus and event reports need nothing further.
        return;
    }
  }

  private onAarq(msg: Extract<wire.Incoming, { kind: 'aarq' }>): void {
    if (this.state === 'associated') return this.badFrame(new Error('second AARQ on an associated link'));
    const refuse = (reason: wire.AareRejection, text: string) => {
      this.pbx.noteRejected();
      this.log('warn', `association refused: ${text}`);
      this.write(wire.encodeAare(reason));
      this.state = 'closed';
      this.socket.end();
    };
    if (this.pbx.faults.refuseLogin) return refuse('refused', 'fault injection: refuse login');
    const login = this.options.login;
    if (login) {
      if (msg.user === undefined) return refuse('authenticationRequired', 'no user and password given');
      if (msg.user !== login.user || msg.password !== login.password) return refuse('authenticationFailure', `wrong user or password for "${msg.user}"`);
    }
    if (!this.pbx.associate(this)) {
      this.log('warn', 'association refused: another CTI application is connected (the PBX serves one at a time)');
      this.write(wire.encodeAare('busy'));
      this.state = 'closed';
      this.socket.end();
      return;
    }
    this.state = 'associated';
    this.log('info', `association accepted over ${this.transport}${msg.user !== undefined ? ` for "${msg.user}"` : ''}`);
    this.write(wire.encodeAare('accepted'));
    this.write(wire.encodeSystemStatusInvoke(this.nextId()));
    if (this.options.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(wire.encodeSystemStatusInvoke(this.nextId())), this.options.keepAliveMs);
      this.keepAlive.unref();
    }
  }

  private onInvoke(invoke: InvokeApdu): void {
    this.pbx.noteInvoke(operationLabel(invoke.opcode));
    const faults = this.pbx.faults;
    if (faults.stopAnswering) return;
    const run = () => {
      if (this.state !== 'associated') return;
      this.held = [];
      try {
        for (const reply of handleInvoke(this.context, invoke)) this.write(wire.encodeReply(reply, () => this.nextId()));
      } catch (e) {
        // A simulator bug must not take the link down: say so in the log and answer "operation failed".
        this.log('error', `invoke ${invoke.invokeId} (${operationLabel(invoke.opcode)}) failed inside the simulator: ${(e as Error).message}`);
        this.write(wire.encodeReply({ kind: 'error', invokeId: invoke.invokeId, failure: { operation: 'generic' } }, () => this.nextId()));
      } finally {
        const events = this.held;
        this.held = undefined;
        for (const out of events) this.send(out);
      }
    };
    const delay = faults.answerDelayMs;
    this.queue = this.queue.then(() => (delay > 0 ? new Promise<void>((resolve) => setTimeout(() => (run(), resolve()), delay)) : run()));
  }

  private get context(): OperationContext {
    return { pbx: this.pbx, segmentSize: this.options.segmentSize, nextServiceRef: () => (this.nextServiceRef++).toString(16).padStart(4, '0') };
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private badFrame(e: Error): void {
    this.pbx.noteBadFrame();
    this.log('warn', `closing the connection after a bad frame: ${e.message}`);
    if (this.state === 'associated') this.write(wire.encodeAbort());
    this.endAssociation();
    this.state = 'closed';
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private write(apdu: Uint8Array): void {
    this.writeFrame(wire.frame(apdu));
  }

  private writeFrame(bytes: Uint8Array): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  private nextId(): number {
    const id = this.nextInvokeId;
    this.nextInvokeId = id >= 32767 ? 1 : id + 1;
    return id;
  }

  private endAssociation(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    if (this.state === 'associated') this.pbx.release(this);
    this.state = 'closed';
  }

  private onClosed(): void {
    this.endAssociation();
  }

  private log(level: keyof SimLogger, message: string): void {
    this.options.logger?.[level](`[${this.transport} ${this.peer}] ${message}`);
  }
}
