// One CSTA association over TCP or TLS: connect, ACSE login, ROSE requests matched to their answers, the PBX's
// keep-alive answered, everything else the PBX invokes (event reports, device-list segments) handed on.
// Each failure becomes a DriverFailure naming host, port and the cause, because "test connection" shows it as is.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import {
  buildAarq,
  CstaDecodeError,
  cstaVersionsOf,
  decodeApdu,
  describeDiagnostic,
  encodeApdu,
  encodeFrame,
  encodeInvoke,
  encodeReject,
  encodeReturnResult,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  PHASE2_SYSTEM_STATUS,
  type AareApdu,
  type ArgumentOf,
  type CstaApdu,
  type InvokeApdu,
  type OperationName,
  type ResultOf,
  type UniversalFailure,
} from '../../protocols/csta';
import { DriverErrorCodes as E, DriverFailure, type DriverConnection } from '../driver';

export interface LinkOptions extends DriverConnection {
  /** Send SystemStatus this often to notice a dead link (0 = never); default 20000 ms. */
  keepAliveMs?: number;
}

/** What the PBX invoked, other than its keep-alive. */
export type PbxInvoke = InvokeApdu;

interface Pending {
  operation: OperationName;
  resolve(v: unknown): void;
  reject(e: DriverFailure): void;
  timer: NodeJS.Timeout;
}

export class CstaLink {
  private readonly deframer = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
  private readonly pending = new Map<number, Pending>();
  private nextInvokeId = 1;
  private closing = false;
  private ended = false;
  private keepAlive: NodeJS.Timeout | undefined;
  private invokeListener: (i: PbxInvoke) => void = () => {};
  private lostListener: (e: DriverFailure) => void = () => {};
  requests = 0;
  received = 0;
  /** What the PBX answered to the login, for "test connection". */
  reply = '';

  private constructor(
    private readonly socket: Socket,
    readonly options: LinkOptions,
  ) {}

  get where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Connects, logs in and returns the associated link; throws DriverFailure with the cause. */
  static async open(options: LinkOptions): Promise<CstaLink> {
    const socket = await connectSocket(options);
    const link = new CstaLink(socket, options);
    await link.associate();
    return link;
  }

  onInvoke(listener: (i: PbxInvoke) => void): void {
    this.invokeListener = listener;
  }

  /** Called once when the link ends without close(). */
  onLost(listener: (e: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  /** Sends a request and resolves with its result; the PBX's error becomes REQUEST_REJECTED. */
  invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>, timeoutMs = this.options.answerTimeoutMs ?? 10_000): Promise<ResultOf<N>> {
    if (this.ended) return Promise.reject(new DriverFailure(E.notConnected, `not connected to ${this.where}`));
    const invokeId = this.nextId();
    return new Promise<ResultOf<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(invokeId);
        reject(new DriverFailure(E.noAnswer, `${this.where} did not answer ${operation} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(invokeId, { operation, resolve: resolve as (v: unknown) => void, reject, timer });
      this.requests++;
      this.write(encodeInvoke(operation, invokeId, argument, { engine: 'lean' }));
    });
  }

  /** Releases the association (RLRQ) and closes; waits at most a moment for the answer. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    this.stopKeepAlive();
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    try {
      this.write(encodeApdu({ kind: 'rlrq', reason: 0 }));
    } catch {
      // the socket is already going
    }
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), 500);
    await closed;
    clearTimeout(t);
  }

  /** Cuts the connection at once (used when the link is judged dead). */
  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  // ---- association ----------------------------------------------------------------------------------------

  private associate(): Promise<void> {
    const { user, password } = this.options;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (e: DriverFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.closing = true;
        this.socket.destroy();
        reject(e);
      };
      const timer = setTimeout(
        () => fail(new DriverFailure(E.timedOut, `${this.where} accepted the connection but did not answer the CSTA login within ${this.options.connectTimeoutMs ?? 5000} ms`)),
        this.options.connectTimeoutMs ?? 5000,
      );
      this.socket.on('data', (chunk: Buffer) => {
        let apdus: Uint8Array[];
        try {
          apdus = this.deframer.push(chunk);
        } catch (e) {
          return settled ? this.protocolError((e as Error).message) : fail(new DriverFailure(E.protocol, `${this.where} sent a broken frame: ${(e as Error).message}`));
        }
        for (const bytes of apdus) {
          if (this.ended) return;
          if (!settled) {
            let apdu: CstaApdu;
            try {
              apdu = decodeApdu(bytes, { engine: 'lean' });
            } catch (e) {
              return fail(new DriverFailure(E.protocol, `${this.where} answered the login with something that is not CSTA: ${(e as Error).message}`));
            }
            if (apdu.kind !== 'aare') return fail(new DriverFailure(E.protocol, `${this.where} answered the login with ${apdu.kind} instead of an AARE`));
            const refusal = this.refusal(apdu);
            if (refusal) return fail(refusal);
            settled = true;
            clearTimeout(timer);
            const versions = cstaVersionsOf(apdu);
            this.reply = `association accepted by ${this.where}${versions.length ? ` (CSTA ${versions.join(', ')})` : ''}`;
            this.startKeepAlive();
            resolve();
          } else this.onApdu(bytes);
        }
      });
      this.socket.on('error', (e) => (settled ? undefined : fail(classifySocketError(e, this.options))));
      this.socket.on('close', () => {
        if (!settled) fail(new DriverFailure(E.linkLost, `${this.where} closed the connection before answering the CSTA login`));
        this.onEnd();
      });
      this.write(encodeApdu({ kind: 'aarq', ...buildAarq(user !== undefined && user !== '' ? { user, password: password ?? '' } : {}) }));
    });
  }

  private refusal(aare: AareApdu): DriverFailure | undefined {
    if (aare.result === 0) return undefined;
    const diag = aare.resultSourceDiagnostic;
    const text = diag ? describeDiagnostic(diag) : 'no diagnostic';
    const userDiag = diag && 'acseServiceUser' in diag ? diag.acseServiceUser : undefined;
    if (aare.result === 2) {
      return new DriverFailure(E.busy, `${this.where} refused the CSTA login for now (${text}): the PBX is busy with another CSTA client, which it allows only one of at a time`);
    }
    if (userDiag === 13 || userDiag === 14) {
      const who = this.options.user ? `user "${this.options.user}"` : 'no user and password';
      return new DriverFailure(E.loginRejected, `${this.where} rejected the login of ${who} (${text})`);
    }
    return new DriverFailure(E.loginRejected, `${this.where} refused the CSTA association (${text})`);
  }

  // ---- after the login ------------------------------------------------------------------------------------

  private onApdu(bytes: Uint8Array): void {
    let apdu: CstaApdu;
    try {
      apdu = decodeApdu(bytes, { engine: 'lean' });
    } catch (e) {
      if (e instanceof CstaDecodeError && e.apduKind === 'invoke' && e.invokeId !== undefined) {
        this.write(encodeReject(e.invokeId, { invoke: 'mistypedArgument' }));
        return;
      }
      if (e instanceof CstaDecodeError && e.invokeId !== undefined && this.pending.has(e.invokeId)) {
        this.settle(e.invokeId, new DriverFailure(E.protocol, `${this.where} sent an unreadable answer: ${e.message}`));
        return;
      }
      return this.protocolError((e as Error).message);
    }
    this.received++;
    switch (apdu.kind) {
      case 'invoke':
        if (apdu.operation === 'systemStatus' || apdu.opcode === PHASE2_SYSTEM_STATUS) {
          // The PBX's keep-alive: answered at once, or it drops the link.
          this.write(
            apdu.operation === 'systemStatus'
              ? encodeReturnResult('systemStatus', apdu.invokeId, { noData: null })
              : encodeApdu({ kind: 'returnResult', invokeId: apdu.invokeId, opcode: PHASE2_SYSTEM_STATUS, result: '0500' }),
          );
          return;
        }
        this.invokeListener(apdu);
        return;
      case 'returnResult':
        return this.settle(apdu.invokeId, undefined, apdu.result);
      case 'returnError': {
        const p = this.pending.get(apdu.invokeId);
        const what = apdu.error ? failureText(apdu.error) : `error code ${apdu.errcode}`;
        return this.settle(apdu.invokeId, new DriverFailure(E.rejected, `${this.where} refused ${p?.operation ?? 'a request'}: ${what}`));
      }
      case 'reject': {
        if (apdu.invokeId === null) return;
        const p = this.pending.get(apdu.invokeId);
        const problem = Object.entries(apdu.problem)[0];
        return this.settle(apdu.invokeId, new DriverFailure(E.rejected, `${this.where} rejected ${p?.operation ?? 'a request'} (${problem ? `${problem[0]} ${String(problem[1])}` : 'no reason'})`));
      }
      case 'rlrq':
        this.write(encodeApdu({ kind: 'rlre', reason: 0 }));
        this.socket.end();
        return;
      case 'abrt':
        this.socket.destroy();
        return;
      default:
        return;
    }
  }

  private settle(invokeId: number, error: DriverFailure | undefined, result?: unknown): void {
    const p = this.pending.get(invokeId);
    if (!p) return;
    this.pending.delete(invokeId);
    clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(result);
  }

  private protocolError(reason: string): void {
    this.lostError = new DriverFailure(E.protocol, `${this.where} sent data that is not CSTA (${reason}); the link was closed`);
    this.socket.destroy();
  }

  private lostError: DriverFailure | undefined;

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopKeepAlive();
    const err = this.lostError ?? new DriverFailure(E.linkLost, `the link to ${this.where} was lost`);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new DriverFailure(E.linkLost, `the link to ${this.where} ended before ${p.operation} was answered`));
      this.pending.delete(id);
    }
    if (!this.closing) this.lostListener(err);
  }

  private startKeepAlive(): void {
    const every = this.options.keepAliveMs ?? 20_000;
    if (every <= 0) return;
    this.keepAlive = setInterval(() => {
      this.invoke('systemStatus', { systemStatus: 'normal' }, Math.max(every, 5000)).catch((e: DriverFailure) => {
        if (e.code !== E.noAnswer || this.ended) return;
        this.lostError = new DriverFailure(E.noAnswer, `${this.where} stopped answering (keep-alive unanswered)`);
        this.socket.destroy();
      });
    }, every);
    this.keepAlive.unref();
  }

  private stopKeepAlive(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }

  private write(apdu: Uint8Array): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeFrame(apdu));
  }

  private nextId(): number {
    const id = this.nextInvokeId;
    this.nextInvokeId = id >= 32767 ? 1 : id + 1;
    return id;
  }
}

export function failureText(f: UniversalFailure): string {
  const [kind, value] = Object.entries(f as Record<string, unknown>)[0] ?? ['unknown', ''];
  return `universalFailure ${kind} ${String(value)}`;
}

/** Opens the TCP or TLS socket; resolves once connected (and, for TLS, the certificate accepted). */
function connectSocket(o: LinkOptions): Promise<Socket> {
  const timeoutMs = o.connectTimeoutMs ?? 5000;
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket | TLSSocket;
    const done = (e?: DriverFailure) => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.removeAllListeners(o.tls ? 'secureConnect' : 'connect');
      if (e) {
        socket.destroy();
        reject(e);
      } else {
        socket.setNoDelay(true);
        resolve(socket);
      }
    };
    if (o.tls) {
      // The chain and host name are checked here rather than by Node, so a refused certificate still shows its
      // fingerprint for the admin to accept and pin.
      const pinned = o.fingerprint ? normaliseFingerprint(o.fingerprint) : undefined;
      const tls = tlsConnect({ host: o.host, port: o.port, servername: isIp(o.host) ? undefined : o.host, ca: o.ca, rejectUnauthorized: false });
      socket = tls;
      tls.once('secureConnect', () => {
        const got = normaliseFingerprint(tls.getPeerCertificate().fingerprint256 ?? '');
        if (pinned && got !== pinned) return done(new DriverFailure(E.tls, `TLS to ${o.host}:${o.port} failed: the certificate's fingerprint ${got} is not the accepted ${pinned}`, got));
        if (!pinned && !tls.authorized) {
          return done(new DriverFailure(E.tls, `TLS to ${o.host}:${o.port} failed: the certificate was not accepted (${String(tls.authorizationError)}); fingerprint ${got}`, got));
        }
        done();
      });
    } else {
      socket = tcpConnect({ host: o.host, port: o.port });
      socket.once('connect', () => done());
    }
    socket.once('error', (e) => done(classifySocketError(e, o)));
    const timer = setTimeout(() => done(new DriverFailure(E.timedOut, `connecting to ${o.host}:${o.port} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
}

/** Turns a socket or TLS error into one of the causes the admin can act on. */
export function classifySocketError(e: Error & { code?: string; reason?: string }, o: { host: string; port: number; tls?: boolean }): DriverFailure {
  const where = `${o.host}:${o.port}`;
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new DriverFailure(E.nameNotResolved, `the host name "${o.host}" could not be resolved (${code}); port ${o.port}`);
  if (code === 'ECONNREFUSED') return new DriverFailure(E.refused, `${where} refused the connection: nothing listens on that port, or a firewall rejects it`);
  if (code === 'ETIMEDOUT') return new DriverFailure(E.timedOut, `connecting to ${where} timed out`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new DriverFailure(E.unreachable, `${where} cannot be reached (${code})`);
  if (code === 'ECONNRESET' && o.tls) return new DriverFailure(E.tls, `TLS to ${where} failed: the server closed the connection during the handshake (is it a TLS port?)`);
  if (code === 'ECONNRESET') return new DriverFailure(E.linkLost, `${where} reset the connection`);
  if (o.tls || /CERT|TLS|SSL|SELF_SIGNED|HOSTNAME|ALTNAME/i.test(code)) return new DriverFailure(E.tls, `TLS to ${where} failed: ${e.reason ?? e.message}${code ? ` (${code})` : ''}`);
  return new DriverFailure(E.linkLost, `connection to ${where} failed: ${e.message}`);
}

export function normaliseFingerprint(f: string): string {
  return f.replace(/[^0-9a-fA-F]/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
