// What carries CSTA XML documents between two peers, apart from what they mean. Over SIP a request document rides
// in a request (INFO in a dialog, or NOTIFY `Event: uaCSTA` outside one) and its answer in the body of the SIP
// response to it (estos/Yealink/Microsoft RCC, reference addendum §1.2); events are new requests, answered 200.
import {
  bodyText,
  header,
  SipError,
  targetOf as targetFromUri,
  type Dialog,
  type IncomingRequest,
  type SipConnection,
  type SipEndpoint,
  type SipResponse,
  type Target,
} from '../sip';
import { CstaSessionError } from '../csta/model';

export const CSTA_CONTENT_TYPE = 'application/csta+xml';

/** A document the peer sent, with the means to answer it. */
export interface CstaInbound {
  body: string;
  /** Answers the carrying request with success, with `answer` as body when given. */
  reply(answer?: string): void;
  /** Refuses the carrying request (a document that could not be read). */
  refuse(status: number, reason: string): void;
}

export interface CstaCarrier {
  readonly peer: string;
  readonly open: boolean;
  /** Sends a document; resolves with the body of the peer's answer (undefined when it had none). */
  send(body: string): Promise<string | undefined>;
  onInbound(listener: (m: CstaInbound) => void): void;
  /** Once, when the carrier ends without close() (undefined: the peer ended it politely). */
  onClosed(listener: (e: CstaSessionError | undefined) => void): void;
  close(): Promise<void>;
}

function isCsta(inc: IncomingRequest): boolean {
  return (header(inc.request, 'Content-Type') ?? '').split(';')[0].trim().toLowerCase() === CSTA_CONTENT_TYPE;
}

function inboundOf(inc: IncomingRequest): CstaInbound {
  return {
    body: bodyText(inc.request),
    reply: (answer) => inc.respond(200, answer === undefined ? {} : { body: answer, headers: [{ name: 'Content-Type', value: CSTA_CONTENT_TYPE }] }),
    refuse: (status, reason) => inc.respond(status, { reason }),
  };
}

/** A SIP failure as the model's error (`details.cause` keeps the SIP code). */
export function sessionErrorOf(e: unknown, peer: string): CstaSessionError {
  if (e instanceof CstaSessionError) return e;
  if (e instanceof SipError) {
    const code = e.code === 'SIP_TRANSACTION_TIMEOUT' ? 'CSTA_TIMEOUT' : e.code === 'SIP_CONNECT_FAILED' ? 'CSTA_NOT_CONNECTED' : 'CSTA_CONNECTION_LOST';
    return new CstaSessionError(code, `CSTA over SIP to ${peer}: ${e.message}`, { cause: e.code });
  }
  return new CstaSessionError('CSTA_CONNECTION_LOST', `CSTA over SIP to ${peer}: ${String(e)}`);
}

function answerOf(res: SipResponse, method: string, peer: string): string | undefined {
  if (res.status === 481) throw new CstaSessionError('CSTA_CONNECTION_LOST', `CSTA over SIP to ${peer}: the peer no longer knows the dialog (481)`, { cause: 'SIP 481' });
  if (res.status >= 300) throw new CstaSessionError('CSTA_REJECTED', `CSTA over SIP to ${peer}: ${method} answered ${res.status} ${res.reason}`, { cause: `SIP ${res.status}` });
  return res.body.byteLength ? bodyText(res) : undefined;
}

/** CSTA in INFO requests inside an INVITE dialog (the uaCSTA and CME CTI form). */
export class SipDialogCarrier implements CstaCarrier {
  readonly peer: string;
  private readonly closedListeners: Array<(e: CstaSessionError | undefined) => void> = [];
  private closing = false;

  constructor(
    readonly dialog: Dialog,
    private readonly endpoint: SipEndpoint,
  ) {
    this.peer = dialog.s.remoteUri.replace(/^<|>$/g, '');
    dialog.on('terminated', (err) => {
      if (this.closing) return;
      const why = err ? sessionErrorOf(err, this.peer) : undefined;
      for (const l of this.closedListeners.splice(0)) l(why);
    });
  }

  get open(): boolean {
    return this.dialog.state !== 'terminated';
  }

  async send(body: string): Promise<string | undefined> {
    let res: SipResponse;
    try {
      res = await this.dialog.request('INFO', { body, contentType: CSTA_CONTENT_TYPE });
    } catch (e) {
      throw sessionErrorOf(e, this.peer);
    }
    return answerOf(res, 'INFO', this.peer);
  }

  onInbound(listener: (m: CstaInbound) => void): void {
    this.dialog.on('request', (inc) => {
      if ((inc.request.method === 'INFO' || inc.request.method === 'NOTIFY') && isCsta(inc)) return listener(inboundOf(inc));
      // a session refresh (re-INVITE) or a request without CSTA: accepted, nothing to read
      if (inc.request.method === 'INVITE') return inc.respond(200, { headers: [{ name: 'Contact', value: this.endpoint.contactFor(inc.connection) }] });
      if (inc.request.method === 'INFO' && inc.request.body.byteLength) return inc.respond(415, { headers: [{ name: 'Accept', value: CSTA_CONTENT_TYPE }] });
      inc.respond(200);
    });
  }

  onClosed(listener: (e: CstaSessionError | undefined) => void): void {
    this.closedListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.dialog.bye();
  }
}

export interface NotifyCarrierOptions {
  /** Request-URI of our NOTIFYs: the peer's registered Contact or AOR. */
  uri: string;
  target?: Target;
  /** Send over this connection (a registered phone's own, RFC 5923). */
  connection?: SipConnection;
  /** Which out-of-dialog NOTIFYs are this peer's (default: those arriving on the connection ours use). */
  accepts?: (inc: IncomingRequest) => boolean;
}

/** CSTA in out-of-dialog NOTIFY with `Event: uaCSTA` (the BroadWorks/Unify form). */
export class SipNotifyCarrier implements CstaCarrier {
  readonly peer: string;
  private connection: SipConnection | undefined;
  private readonly inbound: Array<(m: CstaInbound) => void> = [];
  private readonly closedListeners: Array<(e: CstaSessionError | undefined) => void> = [];
  private ended = false;
  private readonly onRequest = (inc: IncomingRequest) => {
    if (this.ended || inc.request.method !== 'NOTIFY' || (header(inc.request, 'Event') ?? '').split(';')[0].trim().toLowerCase() !== 'uacsta') return;
    if (!(this.options.accepts ? this.options.accepts(inc) : inc.connection === this.connection)) return;
    if (!isCsta(inc)) return inc.respond(415, { headers: [{ name: 'Accept', value: CSTA_CONTENT_TYPE }] });
    const m = inboundOf(inc);
    for (const l of this.inbound) l(m);
  };
  private readonly onConnectionClosed = (c: SipConnection, err: SipError | undefined) => {
    if (c !== this.connection || this.ended) return;
    this.ended = true;
    this.detach();
    const why = sessionErrorOf(err ?? new SipError('SIP_CONNECTION_LOST', `${c.remote.host}:${c.remote.port} closed the connection`, {}), this.peer);
    for (const l of this.closedListeners.splice(0)) l(why);
  };

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly options: NotifyCarrierOptions,
  ) {
    this.peer = options.uri;
    this.connection = options.connection;
    endpoint.on('request', this.onRequest);
    endpoint.on('connection-closed', this.onConnectionClosed);
  }

  get open(): boolean {
    return !this.ended;
  }

  async send(body: string): Promise<string | undefined> {
    if (this.ended) throw new CstaSessionError('CSTA_NOT_CONNECTED', `CSTA over SIP to ${this.peer}: the session has ended`);
    let res: SipResponse;
    try {
      this.connection ??= await this.endpoint.connectionTo(this.options.target ?? targetFromUri(this.options.uri));
      res = await this.endpoint.request({
        method: 'NOTIFY', uri: this.options.uri, connection: this.connection, body, contentType: CSTA_CONTENT_TYPE,
        headers: [{ name: 'Event', value: 'uaCSTA' }, { name: 'Subscription-State', value: 'active' }],
      });
    } catch (e) {
      throw sessionErrorOf(e, this.peer);
    }
    return answerOf(res, 'NOTIFY', this.peer);
  }

  onInbound(listener: (m: CstaInbound) => void): void {
    this.inbound.push(listener);
  }

  onClosed(listener: (e: CstaSessionError | undefined) => void): void {
    this.closedListeners.push(listener);
  }

  async close(): Promise<void> {
    this.ended = true;
    this.detach();
  }

  private detach(): void {
    this.endpoint.off('request', this.onRequest);
    this.endpoint.off('connection-closed', this.onConnectionClosed);
  }
}
