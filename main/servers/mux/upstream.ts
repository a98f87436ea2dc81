// The multiplexer's single CSTA link to the PBX: connect, ACSE association (optionally with a login), answer
// the PBX's SystemStatus pings, hand every other APDU to the multiplexer, and reconnect after a loss.
import { connect, type Socket } from 'node:net';
import {
  buildAarq,
  buildReturnResult,
  decodeApdu,
  describeDiagnostic,
  encodeApdu,
  frameOf,
  FrameDecoder,
  isAcse,
  MAX_FRAME_LENGTH,
  NO_DATA,
  OPCODE,
  parseRose,
  PHASE2_SYSTEM_STATUS,
  type RoseView,
} from '../../protocols/csta-ber';
import type { MuxPbxState } from '../../../shared/api/mux';
import { Backoff } from '../../util/backoff';
import { coded, type Coded } from '../../../shared/problems';
import { causeOf } from './options';

export interface UpstreamOptions {
  host: string;
  port: number;
  /** Login the PBX demands (the real Panasonic asks none on TCP). */
  login?: { user: string; password: string };
  /** First reconnect delay; doubles up to maxReconnectMs (defaults 500 / 10000), ± 20 % jitter (the shared backoff). */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** Time allowed for TCP connect plus AARE (default 10000). */
  connectTimeoutMs?: number;
}

export interface UpstreamHandlers {
  /** `reason`: why the link went down, coded for the log. */
  state(state: MuxPbxState, reason?: Coded): void;
  /** A ROSE APDU from the PBX (already answered when it was a SystemStatus ping), with the view read from it: the one parse. */
  apdu(apdu: Uint8Array, view: RoseView): void;
  /** Every APDU of one read has been handed over (lets the multiplexer send a burst of events in one go). */
  readDone(): void;
  /** A handler threw: the multiplexer logs it; the link is closed and opened again. */
  failed(where: string, error: unknown): void;
}

export class UpstreamLink {
  state: MuxPbxState = 'disconnected';
  /** Why the link last went down, until it is up again. */
  lastError: Coded | undefined;
  connects = 0;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private closed = false;

  constructor(
    private readonly opts: UpstreamOptions,
    private readonly on: UpstreamHandlers,
  ) {
    this.backoff = new Backoff({ initialMs: opts.reconnectMs ?? 500, maxMs: opts.maxReconnectMs ?? 10000 });
  }

  start(): void {
    this.open();
  }

  /** Sends one APDU; false when the link is not associated. */
  send(apdu: Uint8Array): boolean {
    if (this.state !== 'connected' || !this.socket) return false;
    this.socket.write(frameOf(apdu));
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const s = this.socket;
    this.socket = undefined;
    if (s && !s.destroyed) {
      if (this.state === 'connected') s.end(frameOf(encodeApdu({ kind: 'rlrq', reason: 0 })));
      setTimeout(() => s.destroy(), 200).unref();
    }
    this.setState('disconnected');
  }

  private where(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  private open(): void {
    if (this.closed) return;
    this.setState('connecting');
    const socket = connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    const decoder = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
    let associated = false;
    let failure: Coded | undefined;
    const pbx = this.where();
    const guard = setTimeout(() => {
      failure = coded('logMux.pbxNoAssociation', { pbx, ms: this.opts.connectTimeoutMs ?? 10000 });
      socket.destroy();
    }, this.opts.connectTimeoutMs ?? 10000);
    guard.unref();

    const onData = (chunk: Buffer) => {
      let apdus: Uint8Array[];
      try {
        apdus = decoder.push(chunk);
      } catch (e) {
        failure = coded('logMux.pbxBadFrame', { pbx, detail: (e as Error).message });
        socket.destroy();
        return;
      }
      for (const apdu of apdus) {
        if (socket.destroyed) return;
        if (isAcse(apdu)) {
          const a = safeDecode(apdu);
          if (a?.kind === 'aare' && !associated) {
            if (a.result === 0) {
              associated = true;
              clearTimeout(guard);
              this.connects++;
              this.backoff.reset();
              this.lastError = undefined;
              this.setState('connected');
            } else {
              failure = coded('logMux.pbxAssociationRefused', { pbx, result: a.result, diagnostic: describeDiagnostic(a.resultSourceDiagnostic) });
              socket.destroy();
            }
          } else if (a?.kind === 'abrt' || a?.kind === 'rlrq') {
            failure = coded('logMux.pbxEndedAssociation', { pbx, apdu: a.kind.toUpperCase() });
            socket.destroy();
          }
          continue;
        }
        if (!associated) continue;
        let view: RoseView;
        try {
          view = parseRose(apdu);
        } catch (e) {
          failure = coded('logMux.pbxUnreadable', { pbx, detail: (e as Error).message });
          socket.destroy();
          return;
        }
        if (view.kind === 'invoke' && (view.opcode === OPCODE.systemStatus || view.opcode === PHASE2_SYSTEM_STATUS)) {
          socket.write(frameOf(buildReturnResult(view.invokeId!, view.opcode, NO_DATA)));
          continue;
        }
        this.on.apdu(apdu, view);
      }
    };
    // a throw while handling the PBX's data ends the link (it is opened again), never the process
    const guarded = (where: string, fn: () => void) => {
      try {
        fn();
      } catch (e) {
        this.on.failed(where, e);
        failure ??= coded('logMux.pbxInternal', { pbx, where, detail: String((e as Error)?.message ?? e) });
        socket.destroy();
      }
    };
    socket.on('connect', () => guarded('the connect', () => socket.write(frameOf(encodeApdu({ kind: 'aarq', ...buildAarq(this.opts.login ?? {}) })))));
    socket.on('data', (chunk: Buffer) => {
      guarded('data', () => onData(chunk));
      guarded('the end of a read', () => this.on.readDone());
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= coded('logMux.pbxSocketError', { pbx, cause: causeOf(e), detail: e.message });
    });
    socket.on('close', () => {
      clearTimeout(guard);
      if (this.socket !== socket) return;
      this.socket = undefined;
      const reason = failure ?? coded('logMux.pbxClosed', { pbx });
      this.lastError = reason;
      this.setState('disconnected', reason);
      if (this.closed) return;
      this.timer = setTimeout(() => this.open(), this.backoff.next());
      this.timer.unref();
    });
  }

  private setState(state: MuxPbxState, reason?: Coded): void {
    if (this.state === state) return;
    this.state = state;
    try {
      this.on.state(state, reason);
    } catch (e) {
      this.on.failed(`the link becoming ${state}`, e);
    }
  }
}

function safeDecode(apdu: Uint8Array) {
  try {
    return decodeApdu(apdu, { engine: 'lean' });
  } catch {
    return undefined;
  }
}
