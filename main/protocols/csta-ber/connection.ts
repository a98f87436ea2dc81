// The CSTA client connection: TCP or TLS, ACSE login, ROSE invoke IDs with a timeout per invoke, answers to
// the switch's SystemStatus, keep-alive, status events and reconnect with backoff and jitter. Cancellable.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { CstaDecodeError, decodeApdu, encodeApdu, type CstaApdu, type InvokeApdu } from './apdu';
import { decodeEventReportFast } from './event-report-fast';
import { buildAarq, describeDiagnostic, type CSTAVersionName } from './acse';
import { BerError, type BerEngine } from './ber';
import { describeUniversalFailure, type UniversalFailure } from './error-definition';
import type { CSTAEventReportArgument } from './event-report-definitions';
import { encodeFrame, FrameDecoder, FramingError } from './framing';
import { operations, PHASE2_SYSTEM_STATUS, type ArgumentOf, type OperationName, type ResultOf } from './operations';
import type { RejectProblem } from './rose';
import { backoffDelay, secureRandom, type RandomSource } from '../../util/backoff';
import { coded, type Coded } from '../../../shared/problems';

export type CstaErrorCode =
  | 'CSTA_CONNECT_FAILED'
  | 'CSTA_TLS_PIN_MISMATCH'
  | 'CSTA_LOGIN_REJECTED'
  | 'CSTA_LOGIN_TIMEOUT'
  | 'CSTA_ABORTED'
  | 'CSTA_PROTOCOL'
  | 'CSTA_CONNECTION_LOST'
  | 'CSTA_KEEPALIVE_TIMEOUT'
  | 'CSTA_NOT_CONNECTED'
  | 'CSTA_TIMEOUT'
  | 'CSTA_UNIVERSAL_FAILURE'
  | 'CSTA_ERROR'
  | 'CSTA_REJECTED'
  | 'CSTA_CANCELLED';

export class CstaError extends Error {
  constructor(
    readonly code: CstaErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CstaError';
  }
}

/** A coded entry (`logServers.*`) lets the console word it in the admin's language; its `message` is the English. */
export interface CstaLogger {
  error: (message: string | Coded, details?: unknown) => void;
  warn: (message: string | Coded, details?: unknown) => void;
  info: (message: string | Coded, details?: unknown) => void;
  debug: (message: string | Coded, details?: unknown) => void;
}

export interface ReconnectOptions {
  /** Default true. */
  enabled?: boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** Fraction of the delay added or removed at random (0..1), default 0.2. */
  jitter?: number;
}

export interface CstaClientOptions {
  host: string;
  port: number;
  /** Use TLS. The certificate is checked against the CA store (or `ca`) and the host name, unless pinned. */
  tls?: {
    ca?: string | Buffer | Array<string | Buffer>;
    /** Name to verify (default `host`). */
    servername?: string;
    /** SHA-256 fingerprint of the server certificate ("AB:CD:…" or plain hex). When set, a matching
     *  certificate is accepted even if self-signed, and any other certificate is refused. */
    fingerprint256?: string;
  };
  user?: string;
  password?: string;
  cstaVersions?: CSTAVersionName[];
  connectTimeoutMs?: number;
  loginTimeoutMs?: number;
  /** Default timeout of each invoke (10 s). */
  invokeTimeoutMs?: number;
  /** A SystemStatus invoke after this much silence; 0 disables (default 30 s). */
  keepAliveIntervalMs?: number;
  maxApduSize?: number;
  reconnect?: ReconnectOptions;
  /** BER engine (default 'lean': events are the hot path; both engines give identical results). */
  engine?: BerEngine;
  logger?: CstaLogger;
  /** Stops the client when aborted. */
  signal?: AbortSignal;
}

export type CstaStatus =
  | { state: 'idle' }
  | { state: 'connecting'; host: string; port: number; attempt: number }
  | { state: 'connected'; host: string; port: number; tls: boolean }
  | { state: 'lost'; host: string; port: number; error: { code: CstaErrorCode; message: string } }
  | { state: 'retrying'; host: string; port: number; attempt: number; delayMs: number; nextAttemptAt: number }
  | { state: 'stopped'; error?: { code: CstaErrorCode; message: string } };

export interface CstaClientEvents {
  status: [CstaStatus];
  /** A cSTAEventReport from the switch. */
  event: [CSTAEventReportArgument, { invokeId: number; bytes: Uint8Array }];
  /** Any other invoke from the switch (SystemStatus is answered automatically and not reported here). */
  invoke: [InvokeApdu];
  /** Every APDU received, raw and decoded, for relays and traces. */
  apdu: [Uint8Array, CstaApdu];
}

interface Pending {
  operation: OperationName;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const MAX_INVOKE_ID = 32767;

/** Operations the switch invokes whose only sensible answer is "received": acknowledged automatically. */
const AUTO_ACK: ReadonlySet<OperationName> = new Set(['cDRReport', 'dataCollected']);

export class CstaClient extends EventEmitter<CstaClientEvents> {
  readonly options: Readonly<CstaClientOptions>;
  private statusValue: CstaStatus = { state: 'idle' };
  private socket: net.Socket | undefined;
  private decoder: FrameDecoder | undefined;
  private pending = new Map<number, Pending>();
  private nextInvokeId = 1;
  private stopping = false;
  private running = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private lastTraffic = 0;
  private associated = false;
  private onAssociation: ((err?: CstaError) => void) | undefined;
  private waiters: Array<{ resolve(): void; reject(e: Error): void }> = [];
  private releaseWaiter: (() => void) | undefined;

  constructor(options: CstaClientOptions) {
    super();
    this.options = options;
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get status(): CstaStatus {
    return this.statusValue;
  }

  get connected(): boolean {
    return this.associated;
  }

  private get engine(): BerEngine {
    return this.options.engine ?? 'lean';
  }

  private get log(): CstaLogger | undefined {
    return this.options.logger;
  }

  private setStatus(s: CstaStatus): void {
    this.statusValue = s;
    this.emit('status', s);
  }

  /**
   * Starts connecting (and reconnecting after losses). Resolves once associated. With reconnect disabled it
   * rejects with the first failure; with it enabled it keeps trying until `stop()`.
   */
  connect(): Promise<void> {
    if (this.options.signal?.aborted) return Promise.reject(new CstaError('CSTA_CANCELLED', 'connection cancelled before it started'));
    const p = new Promise<void>((resolve, reject) => {
      if (this.associated) return resolve();
      this.waiters.push({ resolve, reject });
    });
    if (!this.running) {
      this.running = true;
      this.stopping = false;
      void this.attemptConnect();
    }
    return p;
  }

  /** Releases the association (RLRQ, briefly waiting for RLRE), closes, and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.stopping && !this.running) return;
    this.stopping = true;
    this.running = false;
    clearTimeout(this.retryTimer);
    this.clearKeepAlive();
    const sock = this.socket;
    if (sock && this.associated && !sock.destroyed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        this.releaseWaiter = () => {
          clearTimeout(t);
          resolve();
        };
        this.write(encodeApdu({ kind: 'rlrq', reason: 0 }));
      });
      this.releaseWaiter = undefined;
    }
    this.teardown(new CstaError('CSTA_CANCELLED', 'the CSTA client was stopped'));
    this.failWaiters(new CstaError('CSTA_CANCELLED', 'the CSTA client was stopped'));
    if (this.statusValue.state !== 'stopped') this.setStatus({ state: 'stopped' });
  }

  /** Invokes a CSTA service and resolves with its typed result. */
  invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ResultOf<N>> {
    if (!this.associated || !this.socket) {
      return Promise.reject(new CstaError('CSTA_NOT_CONNECTED', `cannot invoke ${operation}: not connected to ${this.options.host}:${this.options.port}`));
    }
    if (!operations[operation].result) {
      return Promise.reject(new CstaError('CSTA_PROTOCOL', `${operation} has no result; use send() for it`));
    }
    const invokeId = this.allocateInvokeId();
    const bytes = encodeApdu({ kind: 'invoke', invokeId, opcode: operations[operation].code, operation, argument } as InvokeApdu, { engine: this.engine });
    const timeoutMs = opts.timeoutMs ?? this.options.invokeTimeoutMs ?? 10_000;
    return new Promise<ResultOf<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(invokeId);
        reject(new CstaError('CSTA_TIMEOUT', `${operation} (invoke ${invokeId}) got no answer from ${this.options.host}:${this.options.port} within ${timeoutMs} ms`, { invokeId, operation }));
      }, timeoutMs);
      this.pending.set(invokeId, { operation, resolve: resolve as (v: unknown) => void, reject, timer });
      opts.signal?.addEventListener(
        'abort',
        () => {
          const p = this.pending.get(invokeId);
          if (!p) return;
          clearTimeout(p.timer);
          this.pending.delete(invokeId);
          reject(new CstaError('CSTA_CANCELLED', `${operation} (invoke ${invokeId}) was cancelled`, { invokeId, operation }));
        },
        { once: true },
      );
      this.write(bytes);
    });
  }

  /** Sends an APDU as is (results to the switch's invokes, operations without result). */
  send(apdu: CstaApdu): void {
    if (!this.socket || this.socket.destroyed) throw new CstaError('CSTA_NOT_CONNECTED', `not connected to ${this.options.host}:${this.options.port}`);
    this.write(encodeApdu(apdu, { engine: this.engine }));
  }

  /** Answers an invoke of the switch with a result. */
  reply<N extends OperationName>(operation: N, invokeId: number, result: ResultOf<N>): void {
    this.send({ kind: 'returnResult', invokeId, opcode: operations[operation].code, operation, result } as CstaApdu);
  }

  /** Answers an invoke of the switch with universalFailure. */
  replyError(invokeId: number, error: UniversalFailure): void {
    this.send({ kind: 'returnError', invokeId, errcode: 1, error });
  }

  /** Invoke IDs currently awaiting an answer. */
  get outstanding(): number {
    return this.pending.size;
  }

  // ------------------------------------------------------------------ connection life cycle

  private allocateInvokeId(): number {
    for (let i = 0; i < MAX_INVOKE_ID; i++) {
      const id = this.nextInvokeId;
      this.nextInvokeId = id >= MAX_INVOKE_ID ? 1 : id + 1;
      if (!this.pending.has(id)) return id;
    }
    throw new CstaError('CSTA_PROTOCOL', 'all invoke IDs are in use');
  }

  private async attemptConnect(): Promise<void> {
    if (this.stopping) return;
    const { host, port } = this.options;
    this.attempt++;
    this.setStatus({ state: 'connecting', host, port, attempt: this.attempt });
    try {
      await this.openAndAssociate();
    } catch (e) {
      const err = e as CstaError;
      this.teardown(err);
      if (this.stopping) return;
      this.log?.warn(linkEntry('logServers.cstaLinkFailed', host, port, err), err.details);
      this.setStatus({ state: 'lost', host, port, error: { code: err.code, message: err.message } });
      const permanent = err.code === 'CSTA_LOGIN_REJECTED' && err.details.result === 1;
      if (this.options.reconnect?.enabled === false || permanent) {
        this.running = false;
        this.stopping = true;
        this.failWaiters(err);
        this.setStatus({ state: 'stopped', error: { code: err.code, message: err.message } });
        return;
      }
      this.scheduleRetry();
    }
  }

  /** Backoff with jitter; exported for tests through `retryDelay`. */
  private scheduleRetry(): void {
    const delayMs = retryDelay(this.attempt, this.options.reconnect);
    const { host, port } = this.options;
    this.setStatus({ state: 'retrying', host, port, attempt: this.attempt + 1, delayMs, nextAttemptAt: Date.now() + delayMs });
    this.retryTimer = setTimeout(() => void this.attemptConnect(), delayMs);
  }

  private failWaiters(err: Error): void {
    const ws = this.waiters;
    this.waiters = [];
    ws.forEach((w) => w.reject(err));
  }

  private openAndAssociate(): Promise<void> {
    const { host, port } = this.options;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: CstaError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const connectTimeout = this.options.connectTimeoutMs ?? 10_000;
      let timer = setTimeout(() => {
        done(new CstaError('CSTA_CONNECT_FAILED', `could not connect to ${host}:${port}: no answer within ${connectTimeout} ms`, { host, port }));
      }, connectTimeout);
      const sock = this.openSocket((err) => {
        if (err) return done(err);
        clearTimeout(timer);
        const loginTimeout = this.options.loginTimeoutMs ?? 10_000;
        timer = setTimeout(() => {
          done(new CstaError('CSTA_LOGIN_TIMEOUT', `${host}:${port} did not answer the CSTA association request within ${loginTimeout} ms`, { host, port }));
        }, loginTimeout);
        this.onAssociation = (e) => {
          this.onAssociation = undefined;
          done(e);
        };
        this.write(
          encodeApdu({ kind: 'aarq', ...buildAarq({ user: this.options.user, password: this.options.password, cstaVersions: this.options.cstaVersions }) }),
        );
      });
      this.socket = sock;
      this.decoder = new FrameDecoder({ maxApduSize: this.options.maxApduSize });
      sock.on('data', (chunk: Buffer) => this.onData(sock, chunk));
      sock.on('error', (e) => {
        const err = e instanceof CstaError ? e : new CstaError('CSTA_CONNECT_FAILED', `connection to ${host}:${port} failed: ${e.message}`, { host, port, cause: (e as NodeJS.ErrnoException).code ?? e.message });
        if (!settled) done(err);
        else this.lose(sock, this.associated ? new CstaError('CSTA_CONNECTION_LOST', `connection to ${host}:${port} lost: ${e.message}`, { host, port, cause: (e as NodeJS.ErrnoException).code ?? e.message }) : err);
      });
      sock.on('close', () => {
        const err = new CstaError('CSTA_CONNECTION_LOST', `${host}:${port} closed the connection`, { host, port });
        if (!settled) done(err);
        else this.lose(sock, err);
      });
    });
  }

  private openSocket(onOpen: (err?: CstaError) => void): net.Socket {
    const { host, port } = this.options;
    const t = this.options.tls;
    if (!t) {
      const s = net.connect({ host, port });
      s.setNoDelay(true);
      s.once('connect', () => onOpen());
      return s;
    }
    const pin = t.fingerprint256?.replace(/:/g, '').toLowerCase();
    const s = tls.connect({ host, port, servername: t.servername ?? (net.isIP(host) ? undefined : host), ca: t.ca, rejectUnauthorized: !pin });
    s.setNoDelay(true);
    s.once('secureConnect', () => {
      if (pin) {
        const cert = s.getPeerCertificate();
        const got = cert?.raw ? createHash('sha256').update(cert.raw).digest('hex') : '';
        if (got !== pin) {
          const err = new CstaError('CSTA_TLS_PIN_MISMATCH', `certificate of ${host}:${port} has SHA-256 fingerprint ${got || 'none'}, expected ${pin}`, { host, port });
          s.destroy();
          return onOpen(err);
        }
      }
      onOpen();
    });
    return s;
  }

  private lose(sock: net.Socket, err: CstaError): void {
    if (sock !== this.socket) return;
    const wasAssociated = this.associated;
    this.teardown(err);
    if (this.stopping || !wasAssociated) return;
    const { host, port } = this.options;
    this.log?.warn(linkEntry('logServers.cstaLinkLost', host, port, err), err.details);
    this.setStatus({ state: 'lost', host, port, error: { code: err.code, message: err.message } });
    if (this.options.reconnect?.enabled === false) {
      this.running = false;
      this.stopping = true;
      this.setStatus({ state: 'stopped', error: { code: err.code, message: err.message } });
      return;
    }
    this.scheduleRetry();
  }

  private teardown(err: CstaError): void {
    this.associated = false;
    this.clearKeepAlive();
    this.onAssociation = undefined;
    const sock = this.socket;
    this.socket = undefined;
    this.decoder = undefined;
    if (sock && !sock.destroyed) sock.destroy();
    const lost = err.code === 'CSTA_CANCELLED' ? err : new CstaError('CSTA_CONNECTION_LOST', `answer lost: ${err.message}`, err.details);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new CstaError(lost.code, `${p.operation} (invoke ${id}): ${lost.message}`, lost.details));
    }
    this.pending.clear();
  }

  private write(bytes: Uint8Array): void {
    const s = this.socket;
    if (!s || s.destroyed) return;
    s.write(encodeFrame(bytes, this.options.maxApduSize ?? 0xffff));
  }

  // ------------------------------------------------------------------ receiving

  private onData(sock: net.Socket, chunk: Buffer): void {
    if (sock !== this.socket || !this.decoder) return;
    this.lastTraffic = Date.now();
    let apdus: Uint8Array[];
    try {
      apdus = this.decoder.push(chunk);
    } catch (e) {
      return this.protocolFailure(sock, e as Error);
    }
    for (const bytes of apdus) {
      if (sock !== this.socket) return;
      let apdu: CstaApdu;
      try {
        // events are the hot path: the fast EventReport codec returns what the lean engine would
        apdu = this.engine === 'lean' ? decodeEventReportFast(bytes) : decodeApdu(bytes, { engine: this.engine });
      } catch (e) {
        if (e instanceof CstaDecodeError && e.invokeId !== undefined) {
          this.handleUndecodable(e, sock);
          continue;
        }
        return this.protocolFailure(sock, e as Error);
      }
      this.safeEmit(() => this.emit('apdu', bytes, apdu));
      this.handle(apdu, bytes);
    }
  }

  /** A throwing listener is the application's bug; it must not tear down the socket's read loop. */
  private safeEmit(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log?.error(coded('logServers.cstaListenerFailed', { detail: String((e as Error)?.message ?? e) }));
    }
  }

  private protocolFailure(sock: net.Socket, e: Error): void {
    const { host, port } = this.options;
    const kind = e instanceof FramingError ? e.code : e instanceof BerError ? e.code : 'error';
    const err = new CstaError('CSTA_PROTOCOL', `bad frame from ${host}:${port} (${kind}): ${e.message}; closing the connection`, { host, port });
    if (this.onAssociation) {
      this.onAssociation(err);
      return;
    }
    this.lose(sock, err);
  }

  private handleUndecodable(e: CstaDecodeError, sock: net.Socket): void {
    this.log?.warn(coded('logServers.cstaUndecodable', { address: `${this.options.host}:${this.options.port}`, detail: e.message }));
    if (e.apduKind === 'invoke') {
      this.send({ kind: 'reject', invokeId: e.invokeId!, problem: { invoke: 'mistypedArgument' } });
    } else {
      this.send({ kind: 'reject', invokeId: e.invokeId!, problem: e.apduKind === 'returnResult' ? { returnResult: 'mistypedResult' } : { returnError: 'mistypedParameter' } });
      const p = this.pending.get(e.invokeId!);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(e.invokeId!);
        p.reject(new CstaError('CSTA_PROTOCOL', `${p.operation} (invoke ${e.invokeId}): unreadable answer: ${e.message}`));
      }
    }
    void sock;
  }

  private handle(apdu: CstaApdu, bytes: Uint8Array): void {
    const { host, port } = this.options;
    switch (apdu.kind) {
      case 'aare': {
        if (!this.onAssociation) return;
        if (apdu.result !== 0) {
          const diag = describeDiagnostic(apdu.resultSourceDiagnostic);
          this.onAssociation(
            new CstaError('CSTA_LOGIN_REJECTED', `CSTA_LOGIN_REJECTED host=${host} port=${port} diag=${diag}`, { host, port, result: apdu.result, diagnostic: apdu.resultSourceDiagnostic }),
          );
          return;
        }
        // settle everything synchronously: later APDUs of the same read may already end this association
        this.associated = true;
        this.attempt = 0;
        this.setStatus({ state: 'connected', host, port, tls: !!this.options.tls });
        this.log?.info(coded('logServers.cstaAssociated', { address: `${host}:${port}` }));
        this.startKeepAlive();
        this.onAssociation();
        {
          const ws = this.waiters;
          this.waiters = [];
          ws.forEach((w) => w.resolve());
        }
        return;
      }
      case 'abrt': {
        const err = new CstaError('CSTA_ABORTED', `${host}:${port} aborted the association (source ${apdu.abortSource}${apdu.abortDiagnostic !== undefined ? `, ${apdu.abortDiagnostic}` : ''})`, { host, port });
        if (this.onAssociation) this.onAssociation(err);
        else if (this.socket) this.lose(this.socket, err);
        return;
      }
      case 'rlrq':
        this.send({ kind: 'rlre', reason: 0 });
        if (this.socket) this.lose(this.socket, new CstaError('CSTA_CONNECTION_LOST', `${host}:${port} released the association`, { host, port }));
        return;
      case 'rlre':
        this.releaseWaiter?.();
        return;
      case 'aarq':
        return;
      case 'invoke':
        return this.handleInvoke(apdu, bytes);
      case 'returnResult': {
        const p = this.pending.get(apdu.invokeId);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(apdu.invokeId);
        p.resolve(apdu.operation === undefined ? undefined : apdu.result);
        return;
      }
      case 'returnError': {
        const p = this.pending.get(apdu.invokeId);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(apdu.invokeId);
        if (apdu.error) {
          p.reject(new CstaError('CSTA_UNIVERSAL_FAILURE', `${p.operation} failed: ${describeUniversalFailure(apdu.error)}`, { invokeId: apdu.invokeId, error: apdu.error }));
        } else {
          p.reject(new CstaError('CSTA_ERROR', `${p.operation} failed with error code ${apdu.errcode}`, { invokeId: apdu.invokeId, errcode: apdu.errcode }));
        }
        return;
      }
      case 'reject': {
        const p = apdu.invokeId === null ? undefined : this.pending.get(apdu.invokeId);
        if (!p || apdu.invokeId === null) {
          this.log?.warn(coded('logServers.cstaApduRejected', { address: `${host}:${port}`, problem: JSON.stringify(apdu.problem) }));
          return;
        }
        clearTimeout(p.timer);
        this.pending.delete(apdu.invokeId);
        p.reject(new CstaError('CSTA_REJECTED', `${p.operation} (invoke ${apdu.invokeId}) was rejected: ${describeProblem(apdu.problem)}`, { invokeId: apdu.invokeId, problem: apdu.problem }));
        return;
      }
    }
  }

  private handleInvoke(apdu: InvokeApdu, bytes: Uint8Array): void {
    if (apdu.operation === 'systemStatus' || (apdu.operation === undefined && apdu.opcode === PHASE2_SYSTEM_STATUS)) {
      // the switch's keep-alive / status: always answered, with noData (and with the Phase II opcode if it used it)
      if (apdu.operation === 'systemStatus') this.reply('systemStatus', apdu.invokeId, { noData: null });
      else this.send({ kind: 'returnResult', invokeId: apdu.invokeId, opcode: PHASE2_SYSTEM_STATUS, result: '0500' });
      return;
    }
    if (apdu.operation === 'cSTAEventReport') {
      this.safeEmit(() => this.emit('event', apdu.argument, { invokeId: apdu.invokeId, bytes }));
      return;
    }
    if (apdu.operation === undefined) {
      this.send({ kind: 'reject', invokeId: apdu.invokeId, problem: { invoke: 'unrecognizedOperation' } });
      return;
    }
    this.safeEmit(() => this.emit('invoke', apdu));
    if (AUTO_ACK.has(apdu.operation)) this.send({ kind: 'returnResult', invokeId: apdu.invokeId, opcode: apdu.opcode, operation: apdu.operation, result: { noData: null } } as CstaApdu);
  }

  // ------------------------------------------------------------------ keep-alive

  private startKeepAlive(): void {
    const every = this.options.keepAliveIntervalMs ?? 30_000;
    if (every <= 0) return;
    this.lastTraffic = Date.now();
    const tick = () => {
      if (!this.associated) return;
      const idle = Date.now() - this.lastTraffic;
      if (idle < every) {
        this.keepAliveTimer = setTimeout(tick, every - idle);
        return;
      }
      this.invoke('systemStatus', { systemStatus: 'normal' }, { timeoutMs: Math.max(1000, Math.min(every, this.options.invokeTimeoutMs ?? 10_000)) }).then(
        () => {
          if (this.associated) this.keepAliveTimer = setTimeout(tick, every);
        },
        (e: CstaError) => {
          if (e.code !== 'CSTA_TIMEOUT' || !this.socket) return;
          const { host, port } = this.options;
          this.lose(this.socket, new CstaError('CSTA_KEEPALIVE_TIMEOUT', `${host}:${port} did not answer the keep-alive; connection considered lost`, { host, port }));
        },
      );
    };
    this.keepAliveTimer = setTimeout(tick, every);
  }

  private clearKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }
}

function describeProblem(p: RejectProblem): string {
  const [k] = Object.keys(p);
  return `${k} problem ${(p as Record<string, string | number>)[k]}`;
}

/** Delay before reconnect attempt `attempt` (1-based): the shared backoff with the client's defaults (1 s, ×2, 60 s, ±20 %). */
export function retryDelay(attempt: number, opts: ReconnectOptions = {}, random: RandomSource = secureRandom): number {
  return backoffDelay(attempt, { initialMs: opts.initialDelayMs ?? 1000, maxMs: opts.maxDelayMs ?? 60_000, factor: opts.factor, jitter: opts.jitter }, random);
}

/** A failed or lost link as a coded entry: the socket's cause (ECONNREFUSED …) when there is one, else the CSTA code. */
function linkEntry(code: 'logServers.cstaLinkFailed' | 'logServers.cstaLinkLost', host: string, port: number, err: CstaError): Coded {
  const cause = typeof err.details.cause === 'string' && /^E[A-Z_]+$/.test(err.details.cause) ? err.details.cause : err.code;
  return coded(code, { address: `${host}:${port}`, failure: cause, detail: err.message });
}
