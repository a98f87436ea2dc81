// The CSTA model's session (protocols/csta/model) over this stack's client: requests go out as ECMA-285 BER,
// events (read by the client's fast EventReport decoder) and the switch's requests come back as model values.
import {
  CstaSessionError,
  type CstaArgs,
  type CstaEvent,
  type CstaResult,
  type CstaServiceName,
  type CstaSession,
  type CstaSessionErrorCode,
  type CstaSwitchRequest,
  type InvokeOptions,
} from '../csta/model';
import { CstaClient, CstaError, type CstaClientOptions } from './connection';
import { argumentsToBer, eventFromBer, failureFromBer, resultsFromBer, switchRequestFromBer, type BerServiceName } from './model-adapter';
import type { ArgumentOf, OperationName, ResultOf } from './operations';

/** Client error codes that mean the same in the model; anything else (connect-time codes) reads as a lost link. */
const SAME_CODES: ReadonlySet<string> = new Set<CstaSessionErrorCode>([
  'CSTA_UNIVERSAL_FAILURE',
  'CSTA_ERROR',
  'CSTA_REJECTED',
  'CSTA_TIMEOUT',
  'CSTA_NOT_CONNECTED',
  'CSTA_CANCELLED',
  'CSTA_CONNECTION_LOST',
  'CSTA_KEEPALIVE_TIMEOUT',
  'CSTA_PROTOCOL',
  'CSTA_ABORTED',
]);

function sessionCode(code: string): CstaSessionErrorCode {
  return SAME_CODES.has(code) ? (code as CstaSessionErrorCode) : 'CSTA_CONNECTION_LOST';
}

/** A client error as the model's error, keeping the message (it names peer, service and reason). */
export function toSessionError(e: unknown, service?: string): CstaSessionError {
  if (e instanceof CstaSessionError) return e;
  if (!(e instanceof CstaError)) return new CstaSessionError('CSTA_PROTOCOL', `${service ?? 'request'}: ${String(e)}`, { service });
  const failure = e.code === 'CSTA_UNIVERSAL_FAILURE' && e.details.error ? failureFromBer(e.details.error as never) : undefined;
  // A ROSE reject names its problem (unrecognizedOperation: the switch does not know the service at all).
  const problem = e.code === 'CSTA_REJECTED' && e.details.problem && typeof e.details.problem === 'object' ? Object.values(e.details.problem as Record<string, unknown>)[0] : undefined;
  const cause = typeof e.details.cause === 'string' ? e.details.cause : typeof problem === 'string' ? problem : undefined;
  return new CstaSessionError(sessionCode(e.code), e.message, { ...(service ? { service } : {}), ...(failure ? { failure } : {}), ...(cause ? { cause } : {}) });
}

export class BerCstaSession implements CstaSession {
  readonly peer: string;
  private readonly eventListeners = new Set<(e: CstaEvent) => void>();
  private readonly requestListeners = new Set<(r: CstaSwitchRequest) => void>();
  private readonly lostListeners = new Set<(e: CstaSessionError) => void>();
  private ended = false;
  private closing = false;

  /**
   * Wraps a client that is connected (or about to be). The session ends when the client's association does;
   * reconnecting is the owner's business (give the client `reconnect: { enabled: false }`).
   */
  constructor(readonly client: CstaClient) {
    this.peer = `${client.options.host}:${client.options.port}`;
    client.on('event', (arg) => {
      if (!this.eventListeners.size) return;
      const e = eventFromBer(arg);
      for (const l of this.eventListeners) l(e);
    });
    client.on('invoke', (i) => {
      if (!this.requestListeners.size) return;
      const r = switchRequestFromBer(i.operation, i.argument);
      if (r) for (const l of this.requestListeners) l(r);
    });
    client.on('status', (s) => {
      if (s.state !== 'lost' || this.ended) return;
      this.ended = true;
      if (this.closing) return;
      const err = new CstaSessionError(sessionCode(s.error.code), s.error.message);
      for (const l of this.lostListeners) l(err);
    });
  }

  /** Connects a new client (reconnect off) and returns its session; throws the client's CstaError on failure. */
  static async connect(options: CstaClientOptions): Promise<BerCstaSession> {
    const client = new CstaClient({ ...options, reconnect: { enabled: false } });
    const session = new BerCstaSession(client);
    try {
      await client.connect();
    } catch (e) {
      session.ended = true;
      await client.stop().catch(() => undefined);
      throw e;
    }
    return session;
  }

  get open(): boolean {
    return !this.ended && this.client.connected;
  }

  async invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>, options: InvokeOptions = {}): Promise<CstaResult<S>> {
    if (!(service in argumentsToBer)) throw new CstaSessionError('CSTA_UNSUPPORTED', `CSTA over BER cannot carry the service ${service}`, { service });
    const toBer = argumentsToBer[service as BerServiceName] as unknown as (a: CstaArgs<S>) => ArgumentOf<S & OperationName>;
    const fromBer = resultsFromBer[service as BerServiceName] as unknown as (r: ResultOf<S & OperationName>) => CstaResult<S>;
    let result: ResultOf<S & OperationName>;
    try {
      result = await this.client.invoke(service as S & OperationName, toBer(args), options);
    } catch (e) {
      throw toSessionError(e, service);
    }
    return fromBer(result);
  }

  onEvent(listener: (event: CstaEvent) => void): () => void {
    return subscribe(this.eventListeners, listener);
  }

  onRequest(listener: (request: CstaSwitchRequest) => void): () => void {
    return subscribe(this.requestListeners, listener);
  }

  onLost(listener: (error: CstaSessionError) => void): () => void {
    return subscribe(this.lostListeners, listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.ended = true;
    await this.client.stop();
  }
}

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => set.delete(listener);
}
