// One CSTA association for the driver, on the stack's CstaClient (reconnect off: the runtime decides when to
// reconnect). This layer only turns the client's errors into the causes "test connection" shows — name not
// resolved, refused, timed out, TLS with its reason and the certificate's fingerprint, login rejected, PBX busy —
// each naming host and port.
import { connect as tlsConnect } from 'node:tls';
import { CstaClient, CstaError, type ArgumentOf, type InvokeApdu, type OperationName, type ResultOf } from '../../protocols/csta-ber';
import { DriverErrorCodes as E, DriverFailure, type DriverConnection } from '../driver';

export interface LinkOptions extends DriverConnection {
  /** Send SystemStatus after this much silence to notice a dead link (0 = never); default 20000 ms. */
  keepAliveMs?: number;
}

/** What the PBX invoked, other than its keep-alive (event reports arrive as cSTAEventReport invokes). */
export type PbxInvoke = InvokeApdu;

export class CstaLink {
  private invokeListener: (i: PbxInvoke) => void = () => {};
  private lostListener: (e: DriverFailure) => void = () => {};
  private closing = false;
  private ended = false;
  requests = 0;
  /** What the PBX answered to the login, for "test connection". */
  reply = '';

  private constructor(
    private readonly client: CstaClient,
    readonly options: LinkOptions,
  ) {}

  get where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Connects, logs in and returns the associated link; throws DriverFailure with the cause. */
  static async open(o: LinkOptions): Promise<CstaLink> {
    const timeout = o.connectTimeoutMs ?? 5000;
    const client = new CstaClient({
      host: o.host,
      port: o.port,
      tls: o.tls ? { ca: o.ca, fingerprint256: o.fingerprint } : undefined,
      user: o.user || undefined,
      password: o.user ? (o.password ?? '') : undefined,
      connectTimeoutMs: timeout,
      loginTimeoutMs: timeout,
      invokeTimeoutMs: o.answerTimeoutMs ?? 10_000,
      keepAliveIntervalMs: o.keepAliveMs ?? 20_000,
      reconnect: { enabled: false },
      engine: 'lean',
    });
    const link = new CstaLink(client, o);
    client.on('event', (argument) => link.invokeListener({ kind: 'invoke', invokeId: 0, opcode: 21, operation: 'cSTAEventReport', argument }));
    client.on('invoke', (i) => link.invokeListener(i));
    client.on('status', (s) => {
      if (s.state !== 'lost' || link.ended) return;
      link.ended = true;
      if (!link.closing) link.lostListener(lostFailure(s.error.code, s.error.message, o));
    });
    try {
      await client.connect();
    } catch (e) {
      link.ended = true;
      await client.stop().catch(() => undefined);
      throw await connectFailure(e, o);
    }
    link.reply = `association accepted by ${link.where}`;
    return link;
  }

  onInvoke(listener: (i: PbxInvoke) => void): void {
    this.invokeListener = listener;
  }

  /** Called once when the link ends without close(). */
  onLost(listener: (e: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  /** Sends a request and resolves with its result; the PBX's refusal becomes REQUEST_REJECTED. */
  async invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>): Promise<ResultOf<N>> {
    if (this.ended) throw new DriverFailure(E.notConnected, `not connected to ${this.where}`);
    this.requests++;
    try {
      return await this.client.invoke(operation, argument);
    } catch (e) {
      throw requestFailure(e, operation, this.where);
    }
  }

  /** Releases the association (RLRQ) and closes. */
  async close(): Promise<void> {
    this.closing = true;
    this.ended = true;
    await this.client.stop();
  }
}

function requestFailure(e: unknown, operation: string, where: string): DriverFailure {
  if (!(e instanceof CstaError)) return new DriverFailure(E.protocol, `${operation} on ${where}: ${String(e)}`);
  switch (e.code) {
    case 'CSTA_UNIVERSAL_FAILURE':
    case 'CSTA_ERROR':
    case 'CSTA_REJECTED':
      return new DriverFailure(E.rejected, `${where} refused ${operation}: ${e.message}`);
    case 'CSTA_TIMEOUT':
      return new DriverFailure(E.noAnswer, `${where} did not answer ${operation} in time`);
    case 'CSTA_NOT_CONNECTED':
      return new DriverFailure(E.notConnected, `not connected to ${where}`);
    case 'CSTA_CANCELLED':
      return new DriverFailure(E.cancelled, `${operation} on ${where} was cancelled`);
    default:
      return new DriverFailure(E.linkLost, `the link to ${where} ended before ${operation} was answered (${e.message})`);
  }
}

function lostFailure(code: string, message: string, o: LinkOptions): DriverFailure {
  const where = `${o.host}:${o.port}`;
  if (code === 'CSTA_KEEPALIVE_TIMEOUT') return new DriverFailure(E.noAnswer, `${where} stopped answering (keep-alive unanswered)`);
  if (code === 'CSTA_PROTOCOL') return new DriverFailure(E.protocol, `${where} sent data that is not CSTA; the link was closed (${message})`);
  return new DriverFailure(E.linkLost, `the link to ${where} was lost (${message})`);
}

async function connectFailure(e: unknown, o: LinkOptions): Promise<DriverFailure> {
  const where = `${o.host}:${o.port}`;
  if (!(e instanceof CstaError)) return new DriverFailure(E.linkLost, `connection to ${where} failed: ${String(e)}`);
  const d = e.details as { cause?: string; result?: number; diagnostic?: { acseServiceUser?: number } };
  switch (e.code) {
    case 'CSTA_LOGIN_REJECTED': {
      const diag = e.message.replace(/^.*diag=/, '');
      if (d.result === 2) return new DriverFailure(E.busy, `${where} refused the CSTA login for now (${diag}): the PBX is busy with another CSTA client, which it allows only one of at a time`);
      const userDiag = d.diagnostic?.acseServiceUser;
      if (userDiag === 13 || userDiag === 14) return new DriverFailure(E.loginRejected, `${where} rejected the login of ${o.user ? `user "${o.user}"` : 'no user and password'} (${diag})`);
      return new DriverFailure(E.loginRejected, `${where} refused the CSTA association (${diag})`);
    }
    case 'CSTA_LOGIN_TIMEOUT':
      return new DriverFailure(E.timedOut, `${where} accepted the connection but did not answer the CSTA login within ${o.connectTimeoutMs ?? 5000} ms`);
    case 'CSTA_TLS_PIN_MISMATCH': {
      const got = await peerFingerprint(o);
      return new DriverFailure(E.tls, `TLS to ${where} failed: the certificate's fingerprint ${got ?? 'unknown'} is not the accepted ${normaliseFingerprint(o.fingerprint ?? '')}`, got);
    }
    case 'CSTA_CONNECT_FAILED': {
      if (!d.cause) return new DriverFailure(E.timedOut, `connecting to ${where} timed out after ${o.connectTimeoutMs ?? 5000} ms`);
      const f = classifySocketError(Object.assign(new Error(e.message), { code: d.cause }), o);
      if (f.code !== E.tls) return f;
      const got = await peerFingerprint(o);
      return new DriverFailure(E.tls, `TLS to ${where} failed: the certificate was not accepted (${d.cause})${got ? `; fingerprint ${got}` : ''}`, got);
    }
    case 'CSTA_PROTOCOL':
    case 'CSTA_ABORTED':
      return new DriverFailure(E.protocol, `${where} did not complete the CSTA login: ${e.message}`);
    default:
      return new DriverFailure(E.linkLost, `${where} closed the connection before answering the CSTA login (${e.message})`);
  }
}

/** The server certificate's SHA-256 fingerprint, read without trusting it, so the admin can accept it. */
function peerFingerprint(o: LinkOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: o.host, port: o.port, servername: /^[\d.]+$/.test(o.host) || o.host.includes(':') ? undefined : o.host, rejectUnauthorized: false });
    const done = (fp?: string) => {
      clearTimeout(t);
      s.destroy();
      resolve(fp);
    };
    const t = setTimeout(() => done(), o.connectTimeoutMs ?? 5000);
    s.once('secureConnect', () => done(normaliseFingerprint(s.getPeerCertificate().fingerprint256 ?? '') || undefined));
    s.once('error', () => done());
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
