// Connections for SIP over TCP and TLS: listen and connect, one stream parser per connection, malformed input
// answered (400/505/513) or the connection closed with the reason, CRLF keep-alive (RFC 5626 §4.4.1): the
// side that opened the connection pings, the other answers. Nothing a peer sends can throw out of here.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { coded, type Coded } from '../../../shared/problems';
import { SipError } from './errors';
import { createResponse, serializeMessage, type SipMessage } from './message';
import { SipStreamParser, type ParsedItem, type ParserOptions } from './parser';

/** A coded entry (`logServers.*`) lets the console word it in the admin's language; its `message` is the English. */
export interface SipLogger {
  error: (message: string | Coded, details?: unknown) => void;
  warn: (message: string | Coded, details?: unknown) => void;
  info: (message: string | Coded, details?: unknown) => void;
  debug: (message: string | Coded, details?: unknown) => void;
}

export type SipTransportName = 'TCP' | 'TLS';

export interface TlsServerOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** Highest TLS version offered; 'TLSv1.2' for peers whose TLS 1.3 is broken (sipsak 0.9.8 is one). */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export interface TlsClientOptions {
  ca?: string | Buffer | Array<string | Buffer>;
  /** Name the certificate must carry (default: the host, when it is a name). */
  servername?: string;
  /** SHA-256 fingerprint of the peer's certificate ("AB:CD:…" or hex): that certificate only, self-signed or not. */
  fingerprint256?: string;
}

export interface KeepAliveOptions {
  /** A CRLFCRLF ping this often (RFC 5626 suggests 95-120 s for TCP). */
  intervalMs: number;
  /** The pong must arrive within this (RFC 5626: 10 s). */
  timeoutMs?: number;
}

/** A message begun must be complete within this (default 30 s); else the connection closes (slow or lying peers). */
export const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  host: string;
  port: number;
  messageTimeoutMs?: number;
  tls?: TlsClientOptions;
  timeoutMs?: number;
  keepAlive?: KeepAliveOptions;
  parser?: ParserOptions;
  logger?: SipLogger;
}

export interface ListenOptions {
  messageTimeoutMs?: number;
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls?: TlsServerOptions;
  parser?: ParserOptions;
  logger?: SipLogger;
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface SipConnectionEvents {
  message: [SipMessage];
  /** Input that could not be used; answered or the connection closed already. */
  invalid: [SipError];
  close: [SipError | undefined];
}

let nextId = 1;

/** Gathered writes leave at this size at the latest (about eight CSTA events in INFO). */
const FLUSH_BYTES = 8 * 1024;

/** Reason phrases for a request that could not be used (RFC 3261 §21.4, 21.5). */
function rejection(item: Extract<ParsedItem, { type: 'invalid' }>): { status: number; reason: string } {
  const e = item.error;
  const header = e.params.header;
  switch (e.code) {
    case 'SIP_MISSING_HEADER': return { status: 400, reason: `Missing ${header} Header` };
    case 'SIP_BAD_HEADER': return { status: 400, reason: `Bad ${header} Header` };
    case 'SIP_BAD_URI': return { status: 400, reason: 'Bad Request-URI' };
    case 'SIP_BAD_VERSION': return { status: 505, reason: 'Version Not Supported' };
    case 'SIP_MESSAGE_TOO_LARGE': return { status: 513, reason: 'Message Too Large' };
    default: return { status: item.status, reason: 'Bad Request' };
  }
}

export class SipConnection extends EventEmitter<SipConnectionEvents> {
  readonly id = `c${nextId++}`;
  private readonly parser: SipStreamParser;
  private closedWith: { err: SipError | undefined } | undefined;
  private pongWaiters: Array<() => void> = [];
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private incompleteTimer: NodeJS.Timeout | undefined;
  private readonly messageTimeoutMs: number;
  private inRound = false;
  private corked = false;
  /** Bytes (string length for text) written since the last flush. */
  private gathered = 0;

  constructor(
    private readonly socket: net.Socket,
    readonly transport: SipTransportName,
    /** True when we opened it: we ping, the peer answers. */
    readonly outbound: boolean,
    readonly remote: Endpoint,
    opts: { parser?: ParserOptions; keepAlive?: KeepAliveOptions; logger?: SipLogger; messageTimeoutMs?: number } = {},
  ) {
    super();
    this.messageTimeoutMs = opts.messageTimeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS;
    this.parser = new SipStreamParser({ ...opts.parser, role: outbound ? 'client' : 'server' });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk, opts.logger));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.finish(new SipError('SIP_CONNECTION_LOST', `connection to ${remote.host}:${remote.port} failed: ${e.message}`, { host: remote.host, port: remote.port, cause: e.code ?? e.message }));
    });
    socket.on('close', () => this.finish(undefined));
    if (opts.keepAlive) this.startKeepAlive(opts.keepAlive);
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  get local(): Endpoint {
    return { host: this.socket.localAddress ?? '127.0.0.1', port: this.socket.localPort ?? 0 };
  }

  /** The certificate the peer showed (TLS only). */
  peerCertificate(): tls.PeerCertificate | undefined {
    return this.socket instanceof tls.TLSSocket ? this.socket.getPeerCertificate() : undefined;
  }

  send(msg: SipMessage): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.write(serializeMessage(msg));
    return true;
  }

  /**
   * The first message of a round of the event loop leaves at once; more in the same round are gathered and leave
   * together, per FLUSH_BYTES or when the round's reads are handled (setImmediate). In a burst, the events read
   * from hundreds of phones' connections go to one client's connection, and a system call each cost more than the
   * rest of relaying them; a connection with one message per round (a phone's) loses no time waiting.
   */
  private write(data: string | Uint8Array): void {
    if (!this.inRound) {
      this.inRound = true;
      setImmediate(() => {
        this.inRound = false;
        this.gathered = 0;
        if (this.corked) this.socket.uncork();
        this.corked = false;
      });
      this.socket.write(data);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
    }
    this.socket.write(data);
    this.gathered += data.length;
    if (this.gathered >= FLUSH_BYTES) {
      this.gathered = 0;
      this.socket.uncork();
      this.socket.cork();
    }
  }

  /** A CRLFCRLF ping; resolves on the pong. */
  ping(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return Promise.reject(new SipError('SIP_CLOSED', 'connection closed', { host: this.remote.host, port: this.remote.port }));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new SipError('SIP_KEEPALIVE_TIMEOUT', `${this.remote.host}:${this.remote.port} did not answer a keep-alive within ${timeoutMs} ms`, { host: this.remote.host, port: this.remote.port, timeoutMs });
        this.close(err);
        reject(err);
      }, timeoutMs);
      this.pongWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.write('\r\n\r\n');
    });
  }

  /** Ends the connection; `err` says why (reported with 'close'). */
  close(err?: SipError): void {
    if (this.closed) return;
    this.finish(err);
    this.socket.end();
    // a peer that never reads must not keep the socket open
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(chunk: Buffer, logger?: SipLogger): void {
    if (this.closed) return;
    let items: ParsedItem[];
    try {
      items = this.parser.push(chunk);
    } catch (e) {
      // the parser is meant never to throw; if it does, this connection alone ends
      logger?.error(coded('logServers.sipParserFailed', { connection: this.id, peer: `${this.remote.host}:${this.remote.port}`, detail: String(e) }));
      this.close(new SipError('SIP_BAD_START_LINE', `unreadable input from ${this.remote.host}:${this.remote.port}`, { host: this.remote.host, port: this.remote.port }));
      return;
    }
    this.watchIncomplete();
    for (const item of items) {
      if (this.closed) return;
      if (item.type === 'ping') this.write('\r\n');
      else if (item.type === 'pong') this.pongWaiters.shift()?.();
      else if (item.type === 'message') this.deliver(item.message, logger);
      else {
        const err = new SipError(item.error.code, `${item.error.message} (from ${this.remote.host}:${this.remote.port})`, { ...item.error.params, host: this.remote.host, port: this.remote.port });
        logger?.warn(coded('logServers.sipUnreadable', { peer: `${this.remote.host}:${this.remote.port}`, failure: err.code, detail: err.message }), err.params);
        if (item.request) {
          const { status, reason } = rejection(item);
          this.send(createResponse(item.request, status, { reason }));
        }
        this.emit('invalid', err);
        if (item.fatal) this.close(err);
      }
    }
  }

  /** Started when a message begins, not restarted by more bytes of it: a trickling peer cannot hold it open. */
  private watchIncomplete(): void {
    if (this.parser.idle) {
      clearTimeout(this.incompleteTimer);
      this.incompleteTimer = undefined;
    } else if (!this.incompleteTimer) {
      const ms = this.messageTimeoutMs;
      this.incompleteTimer = setTimeout(() => {
        const { host, port } = this.remote;
        this.close(new SipError('SIP_INCOMPLETE_MESSAGE', `${host}:${port} left a message incomplete for ${ms} ms`, { host, port, timeoutMs: ms, buffered: this.parser.buffered }));
      }, ms);
    }
  }

  private deliver(msg: SipMessage, logger?: SipLogger): void {
    try {
      this.emit('message', msg);
    } catch (e) {
      // a handler's bug must not end the connection's other traffic, nor the process
      logger?.error(coded('logServers.sipHandlerFailed', { connection: this.id, peer: `${this.remote.host}:${this.remote.port}`, detail: (e instanceof Error ? e.stack : undefined) ?? String(e) }));
    }
  }

  private startKeepAlive(k: KeepAliveOptions): void {
    this.keepAliveTimer = setInterval(() => {
      this.ping(k.timeoutMs ?? 10_000).catch(() => undefined);
    }, k.intervalMs);
    this.keepAliveTimer.unref();
  }

  private finish(err: SipError | undefined): void {
    if (this.closed) return;
    this.closedWith = { err };
    clearInterval(this.keepAliveTimer);
    clearTimeout(this.incompleteTimer);
    this.pongWaiters = [];
    this.emit('close', err);
  }
}

/** Opens a connection; rejects with SIP_CONNECT_FAILED or SIP_TLS_PIN_MISMATCH naming host, port and cause. */
export function connect(opts: ConnectOptions): Promise<SipConnection> {
  const { host, port } = opts;
  const t = opts.tls;
  const pin = t?.fingerprint256?.replace(/:/g, '').toLowerCase();
  return new Promise((resolve, reject) => {
    const fail = (cause: string, detail: string) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new SipError('SIP_CONNECT_FAILED', `could not connect to ${host}:${port}: ${detail}`, { host, port, cause }));
    };
    const sock: net.Socket = t
      ? tls.connect({ host, port, servername: t.servername ?? (net.isIP(host) ? undefined : host), ca: t.ca, rejectUnauthorized: !pin })
      : net.connect({ host, port });
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const timer = setTimeout(() => fail('TIMEOUT', `no answer within ${timeoutMs} ms`), timeoutMs);
    sock.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ERROR', e.message));
    sock.once(t ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      if (pin && sock instanceof tls.TLSSocket) {
        const raw = sock.getPeerCertificate()?.raw;
        const got = raw ? createHash('sha256').update(raw).digest('hex') : '';
        if (got !== pin) {
          sock.destroy();
          reject(new SipError('SIP_TLS_PIN_MISMATCH', `certificate of ${host}:${port} has SHA-256 fingerprint ${got || 'none'}, expected ${pin}`, { host, port, fingerprint: got, expected: pin }));
          return;
        }
      }
      resolve(new SipConnection(sock, t ? 'TLS' : 'TCP', true, { host, port }, opts));
    });
  });
}

export class SipListener extends EventEmitter<{ connection: [SipConnection] }> {
  readonly connections = new Set<SipConnection>();

  private constructor(
    private readonly server: net.Server,
    readonly transport: SipTransportName,
    readonly host: string,
    readonly port: number,
  ) {
    super();
  }

  /** Listens; rejects with SIP_CONNECT_FAILED naming host, port and cause (EADDRINUSE …). */
  static listen(opts: ListenOptions): Promise<SipListener> {
    const transport: SipTransportName = opts.tls ? 'TLS' : 'TCP';
    return new Promise((resolve, reject) => {
      let listener: SipListener | undefined;
      const onSocket = (sock: net.Socket) => {
        if (!listener) return sock.destroy();
        const c = new SipConnection(sock, transport, false, { host: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 }, opts);
        listener.connections.add(c);
        c.on('close', () => listener?.connections.delete(c));
        listener.emit('connection', c);
      };
      const server = opts.tls ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert, maxVersion: opts.tls.maxVersion }, onSocket) : net.createServer(onSocket);
      // a failed TLS handshake concerns that peer only
      server.on('tlsClientError', (e: Error, s: tls.TLSSocket) => {
        opts.logger?.warn(coded('logServers.sipTlsHandshakeFailed', { peer: `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`, detail: e.message }));
        s.destroy();
      });
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new SipError('SIP_CONNECT_FAILED', `could not listen on ${opts.host}:${opts.port}: ${e.message}`, { host: opts.host, port: opts.port, cause: e.code ?? e.message })),
      );
      server.listen(opts.port, opts.host, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => opts.logger?.error(coded('logServers.sipListenerError', { address: `${opts.host}:${(server.address() as net.AddressInfo | null)?.port ?? opts.port}`, detail: e.message })));
        listener = new SipListener(server, transport, opts.host, (server.address() as net.AddressInfo).port);
        resolve(listener);
      });
    });
  }

  close(): Promise<void> {
    for (const c of this.connections) c.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
