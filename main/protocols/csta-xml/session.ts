// The CSTA model's session over ECMA-323 documents on a carrier (a SIP dialog, out-of-dialog NOTIFY). ECMA-323 over
// SIP has no invoke IDs: a request's answer is the body of the SIP response to the request that carried it. Some
// peers answer with an empty 200 and send the response as a request of its own (the BroadWorks-style NOTIFY
// variant, UNSURE): such a response goes to the oldest request waiting for that service (a CSTAErrorCode to the
// oldest request waiting at all).
import {
  CstaSessionError,
  describeFailure,
  type CstaArgs,
  type CstaEvent,
  type CstaResult,
  type CstaServiceName,
  type CstaSession,
  type CstaSwitchRequest,
  type InvokeOptions,
} from '../csta/model';
import { sessionErrorOf, type CstaCarrier, type CstaInbound } from './carrier';
import { decodeCsta, encodeCsta, encodeError, encodeResponse, type CstaXmlMessage, type XmlServiceName } from './codec';
import type { CstaXmlEdition } from './editions';
import { CstaXmlError } from './errors';
import { coded, type Coded } from '../../../shared/problems';
import type { XmlLimits } from './xml';

/** Entries are coded (`logServers.*`): the console words them; `message` is the English. */
export interface XmlLogger {
  warn: (message: string | Coded) => void;
}

export interface XmlCstaSessionOptions {
  /** The edition written to this peer (default ed3, what most peers read; any edition is read). */
  edition?: CstaXmlEdition;
  /** How long a request waits for its answer (default 10 s). */
  invokeTimeoutMs?: number;
  /**
   * An empty success answer to a request: `wait` (default) for the response as a document of its own; `success`
   * takes it as the service's empty result (for peers that never send responses of services without data).
   */
  emptyAnswer?: 'wait' | 'success';
  /** RequestSystemStatus every `intervalMs`; no answer ends the session with CSTA_KEEPALIVE_TIMEOUT. */
  keepAlive?: { intervalMs: number };
  limits?: XmlLimits;
  logger?: XmlLogger;
}

interface Waiter {
  service: XmlServiceName;
  resolve: (m: CstaXmlMessage) => void;
}

export class XmlCstaSession implements CstaSession {
  private readonly eventListeners = new Set<(e: CstaEvent) => void>();
  private readonly requestListeners = new Set<(r: CstaSwitchRequest) => void>();
  private readonly lostListeners = new Set<(e: CstaSessionError) => void>();
  private readonly pending = new Set<{ reject: (e: CstaSessionError) => void }>();
  private readonly waiting: Waiter[] = [];
  private readonly edition: CstaXmlEdition;
  private ended = false;
  private keepAliveTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly carrier: CstaCarrier,
    private readonly options: XmlCstaSessionOptions = {},
  ) {
    this.edition = options.edition ?? 'ed3';
    carrier.onInbound((m) => this.inbound(m));
    carrier.onClosed((e) => this.end(e ?? new CstaSessionError('CSTA_CONNECTION_LOST', `CSTA over SIP to ${carrier.peer}: the peer ended the session`)));
    if (options.keepAlive) this.startKeepAlive(options.keepAlive.intervalMs);
  }

  get peer(): string {
    return this.carrier.peer;
  }

  get open(): boolean {
    return !this.ended && this.carrier.open;
  }

  async invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>, options: InvokeOptions = {}): Promise<CstaResult<S>> {
    if (!this.open) throw new CstaSessionError('CSTA_NOT_CONNECTED', `CSTA session to ${this.peer} is not open`, { service });
    let doc: string;
    try {
      doc = encodeCsta({ kind: 'request', service, args } as CstaXmlMessage, this.edition);
    } catch (e) {
      throw e instanceof CstaSessionError ? e : new CstaSessionError('CSTA_UNSUPPORTED', (e as Error).message, { service });
    }
    const answer = await this.exchange(service, doc, options);
    if (answer.kind === 'error') throw new CstaSessionError('CSTA_UNIVERSAL_FAILURE', `${service} refused by ${this.peer}: ${describeFailure(answer.failure)}`, { service, failure: answer.failure });
    if (answer.kind === 'response' && answer.service === service) return answer.result as CstaResult<S>;
    throw new CstaSessionError('CSTA_ERROR', `${service} to ${this.peer} was answered with ${describe(answer)}`, { service });
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
    if (this.ended) return;
    this.ended = true;
    this.stop(new CstaSessionError('CSTA_CANCELLED', `CSTA session to ${this.peer} closed`));
    await this.carrier.close();
  }

  // ---- requests

  /** Sends the document and waits for its answer (in the carrier's answer, or as a document of its own). */
  private exchange(service: XmlServiceName, doc: string, options: InvokeOptions): Promise<CstaXmlMessage> {
    const timeoutMs = options.timeoutMs ?? this.options.invokeTimeoutMs ?? 10_000;
    return new Promise<CstaXmlMessage>((resolve, reject) => {
      const waiter: Waiter = { service, resolve: (m) => finish(() => resolve(m)) };
      const entry = { reject: (e: CstaSessionError) => finish(() => reject(e)) };
      const timer = setTimeout(() => entry.reject(new CstaSessionError('CSTA_TIMEOUT', `${service} to ${this.peer}: no answer within ${timeoutMs} ms`, { service })), timeoutMs);
      const onAbort = () => entry.reject(new CstaSessionError('CSTA_CANCELLED', `${service} to ${this.peer} cancelled`, { service }));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let done = false;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(entry);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        f();
      };
      if (options.signal?.aborted) return onAbort();
      this.pending.add(entry);
      this.carrier.send(doc).then(
        (body) => {
          if (done) return;
          if (body !== undefined) {
            try {
              return waiter.resolve(this.decode(body).message);
            } catch (e) {
              return entry.reject(new CstaSessionError('CSTA_PROTOCOL', `${service} to ${this.peer}: unreadable answer: ${(e as Error).message}`, { service, cause: codeOf(e) }));
            }
          }
          if (this.options.emptyAnswer === 'success') return waiter.resolve({ kind: 'response', service, result: {} } as CstaXmlMessage);
          this.waiting.push(waiter);
        },
        (e) => {
          const err = sessionErrorOf(e, this.peer);
          entry.reject(new CstaSessionError(err.code, err.message, { ...err.details, service }));
          if (err.code === 'CSTA_CONNECTION_LOST') this.end(err);
        },
      );
    });
  }

  // ---- what the peer sends

  private decode(body: string) {
    return decodeCsta(body, this.options.limits);
  }

  private inbound(m: CstaInbound): void {
    let msg: CstaXmlMessage;
    try {
      msg = this.decode(m.body).message;
    } catch (e) {
      // one unreadable document is answered and logged; the session goes on
      this.options.logger?.warn(coded('logServers.cstaXmlUnreadable', { peer: this.peer, failure: codeOf(e), detail: (e as Error).message }));
      return m.refuse(400, `Bad CSTA XML: ${codeOf(e)}`);
    }
    switch (msg.kind) {
      case 'event':
        m.reply();
        for (const l of this.eventListeners) l(msg.event);
        return;
      case 'response':
      case 'error': {
        const i = this.waiting.findIndex((w) => msg.kind === 'error' || w.service === msg.service);
        m.reply();
        if (i >= 0) this.waiting[i].resolve(msg);
        else this.options.logger?.warn(coded('logServers.cstaXmlStrayResponse', { peer: this.peer, what: describe(msg) }));
        return;
      }
      case 'request':
        return this.request(msg, m);
      case 'unknown':
        m.reply(encodeError({ category: 'operation', error: 'serviceNotSupported' }, this.edition));
    }
  }

  private request(msg: Extract<CstaXmlMessage, { kind: 'request' }>, m: CstaInbound): void {
    switch (msg.service) {
      case 'switchingFunctionDevices':
      case 'escape': {
        m.reply(encodeResponse(msg.service, {}, this.edition));
        const r = { service: msg.service, args: msg.args } as CstaSwitchRequest;
        for (const l of this.requestListeners) l(r);
        return;
      }
      case 'systemStatus':
        return m.reply(encodeResponse('systemStatus', {}, this.edition));
      case 'requestSystemStatus':
        return m.reply(encodeResponse('requestSystemStatus', { systemStatus: 'normal' }, this.edition));
      default:
        m.reply(encodeError({ category: 'operation', error: 'serviceNotSupported' }, this.edition));
    }
  }

  // ---- keep-alive and the end

  private startKeepAlive(intervalMs: number): void {
    this.keepAliveTimer = setInterval(() => {
      if (!this.open) return;
      this.invoke('requestSystemStatus', {}, { timeoutMs: Math.min(intervalMs, this.options.invokeTimeoutMs ?? 10_000) }).catch((e: CstaSessionError) => {
        if (e.code === 'CSTA_TIMEOUT') {
          this.end(new CstaSessionError('CSTA_KEEPALIVE_TIMEOUT', `CSTA session to ${this.peer}: no answer to the keep-alive`, { cause: e.code }));
          void this.carrier.close().catch(() => undefined);
        }
      });
    }, intervalMs);
    this.keepAliveTimer.unref();
  }

  private end(e: CstaSessionError): void {
    if (this.ended) return;
    this.ended = true;
    this.stop(e);
    for (const l of this.lostListeners) l(e);
  }

  private stop(e: CstaSessionError): void {
    clearInterval(this.keepAliveTimer);
    for (const p of [...this.pending]) p.reject(new CstaSessionError(e.code === 'CSTA_CANCELLED' ? 'CSTA_CANCELLED' : 'CSTA_CONNECTION_LOST', e.message, { cause: e.code }));
  }
}

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

const codeOf = (e: unknown): string => (e instanceof CstaXmlError || e instanceof CstaSessionError ? e.code : 'CSTA_XML_MALFORMED');

function describe(m: CstaXmlMessage): string {
  switch (m.kind) {
    case 'request':
    case 'response':
      return `a ${m.kind} of ${m.service}`;
    case 'event':
      return `a ${m.event.name} event`;
    case 'error':
      return `CSTAErrorCode (${describeFailure(m.failure)})`;
    case 'unknown':
      return `<${m.root}>`;
  }
}
