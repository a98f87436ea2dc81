// A SIP endpoint: listeners and outgoing connections (one per peer, reused both ways as RFC 5923 describes),
// the transaction layer, dialogs, and the user-agent behaviour both our client and our servers need: requests
// with digest retry, INVITE dialogs, defaults for OPTIONS and for requests in unknown dialogs (481).
import { EventEmitter } from 'node:events';
import { authorize, parseChallenge, type DigestChallenge } from './digest';
import { Dialog, dialogKey, type DialogSender, type InDialogOptions } from './dialog';
import { coded } from '../../../shared/problems';
import { SipError } from './errors';
import { IncomingRequest, type Acceptor } from './incoming';
import { callIdOf, canonicalHeaderName, cseqOf, fromOf, header, headerValues, toBytes, toOf, topVia, type SipHeader, type SipRequest, type SipResponse } from './message';
import type { ParserOptions } from './parser';
import { randomHex } from './random';
import { TransactionLayer, type SipTimers } from './transaction';
import { connect, SipListener, type KeepAliveOptions, type SipConnection, type SipLogger, type SipTransportName, type TlsClientOptions, type TlsServerOptions } from './transport';
import { formatUri, formatVia, parseNameAddr, parseUri, type Via } from './uri';

export interface SipEndpointOptions {
  /** User part of our From and Contact (default `linekeeper`). */
  user?: string;
  /** Host part of our From when a request does not give one (default: the address we listen on or send from). */
  domain?: string;
  /** `advertise`: the public address (NAT) peers reaching this listener are given in Via, Contact and From. */
  listen?: Array<{ host: string; port: number; tls?: TlsServerOptions; advertise?: { host: string; port?: number } }>;
  /** Answers 401/407 challenges to our requests. */
  credentials?: { user: string; password: string };
  timers?: SipTimers;
  /** CRLF keep-alive on connections we open. */
  keepAlive?: KeepAliveOptions;
  /** TLS settings for connections we open (CA, pinned fingerprint). */
  tls?: TlsClientOptions;
  parser?: ParserOptions;
  /** How long a begun message may take to arrive in full (default 30 s). */
  messageTimeoutMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
  logger?: SipLogger;
}

export interface Target {
  host: string;
  port: number;
  transport?: SipTransportName;
}

export interface RequestOptions extends InDialogOptions {
  method: string;
  /** Request-URI. */
  uri: string;
  /** To (name-addr or URI); default the Request-URI. */
  to?: string;
  /** From (name-addr or URI, without tag); default our user at our domain. */
  from?: string;
  callId?: string;
  cseq?: number;
  /** Where to send; default the Request-URI's host, port and transport. */
  target?: Target;
  /** Send over this connection (a registered peer's own connection, RFC 5923). */
  connection?: SipConnection;
  /** Adds our Contact (REGISTER, INVITE, SUBSCRIBE …); default for INVITE and REGISTER. */
  contact?: boolean;
}

type EndpointEvents = {
  /** A request outside any dialog (inside one, the dialog gets it). */
  request: [IncomingRequest];
  /** A dialog begun by the peer's INVITE that we accepted. */
  dialog: [Dialog];
  connection: [SipConnection];
  'connection-closed': [SipConnection, SipError | undefined];
  /** An ACK whose top Route is us: a proxy forwards it (it has no transaction). */
  ack: [SipRequest, SipConnection];
};

const WILDCARD = new Set(['0.0.0.0', '::']);
const OVERRIDABLE = new Set(['Max-Forwards', 'Contact', 'User-Agent']);
const rnd = (n = 8) => randomHex(n);
export const newBranch = () => `z9hG4bK-${rnd()}`;

export class SipEndpoint extends EventEmitter<EndpointEvents> implements DialogSender, Acceptor {
  readonly servers: SipListener[] = [];
  readonly transactions: TransactionLayer;
  private readonly conns = new Map<string, SipConnection>();
  private readonly connecting = new Map<string, Promise<SipConnection>>();
  private readonly dialogs = new Map<string, Dialog>();
  private readonly all = new Set<SipConnection>();
  private readonly advertised = new Map<SipListener, { host: string; port?: number }>();
  private closing = false;

  private constructor(readonly options: SipEndpointOptions) {
    super();
    this.transactions = new TransactionLayer(options.timers);
  }

  static async start(options: SipEndpointOptions = {}): Promise<SipEndpoint> {
    const ep = new SipEndpoint(options);
    try {
      for (const l of options.listen ?? []) {
        const listener = await SipListener.listen({ ...l, parser: options.parser, logger: options.logger, messageTimeoutMs: options.messageTimeoutMs });
        listener.on('connection', (c) => ep.adopt(c, undefined));
        ep.servers.push(listener);
        if (l.advertise) ep.advertised.set(listener, l.advertise);
      }
    } catch (e) {
      await ep.close();
      throw e;
    }
    return ep;
  }

  get user(): string {
    return this.options.user ?? 'linekeeper';
  }

  /** The address peers reach us at over `transport` (our listener's, else the connection's local one). */
  sentBy(conn: SipConnection): { host: string; port: number } {
    const own = this.servers.find((x) => x.connections.has(conn));
    const pub = own && this.advertised.get(own);
    if (own && pub) return { host: pub.host, port: pub.port ?? own.port };
    const l = own ?? this.servers.find((x) => x.transport === conn.transport);
    // a listener on every address (0.0.0.0, ::) is reached at the address this connection came to
    return l ? { host: WILDCARD.has(l.host) ? conn.local.host : l.host, port: l.port } : conn.local;
  }

  contactFor(conn: SipConnection): string {
    const { host, port } = this.sentBy(conn);
    return `<sip:${this.user}@${host}:${port};transport=${conn.transport.toLowerCase()}>`;
  }

  get dialogCount(): number {
    return this.dialogs.size;
  }

  /** An open connection to `target` (ours, or one the peer opened and offered with Via alias), else a new one. */
  async connectionTo(target: Target): Promise<SipConnection> {
    const transport = target.transport ?? 'TCP';
    const k = connKey(transport, target.host, target.port);
    const open = this.conns.get(k);
    if (open && !open.closed) return open;
    const pending = this.connecting.get(k);
    if (pending) return pending;
    const p = connect({
      host: target.host, port: target.port, tls: transport === 'TLS' ? this.options.tls ?? {} : undefined,
      timeoutMs: this.options.connectTimeoutMs, keepAlive: this.options.keepAlive, parser: this.options.parser, logger: this.options.logger, messageTimeoutMs: this.options.messageTimeoutMs,
    }).then((c) => {
      this.adopt(c, k);
      return c;
    });
    this.connecting.set(k, p);
    return p.finally(() => this.connecting.delete(k));
  }

  /** Sends a request outside a dialog; answers one digest challenge (two when the first nonce was stale). */
  async request(o: RequestOptions): Promise<SipResponse> {
    const conn = o.connection ?? (await this.connectionTo(o.target ?? targetOf(o.uri)));
    const req = this.build(conn, o);
    return this.sendWithAuth(conn, req);
  }

  /** REGISTER `aor` with us as Contact for `expires` seconds (0 removes the binding). */
  register(o: { registrar: string; aor: string; expires: number; target?: Target; callId?: string; cseq?: number; headers?: SipHeader[] }): Promise<SipResponse> {
    return this.request({ method: 'REGISTER', uri: o.registrar, to: o.aor, from: o.aor, target: o.target, callId: o.callId, cseq: o.cseq, contact: true, headers: [{ name: 'Expires', value: String(o.expires) }, ...(o.headers ?? [])] });
  }

  /** Sends an INVITE; on 2xx acknowledges it and returns the dialog, else fails with SIP_REQUEST_FAILED. */
  async invite(o: Omit<RequestOptions, 'method'>): Promise<{ dialog: Dialog; response: SipResponse }> {
    const conn = o.connection ?? (await this.connectionTo(o.target ?? targetOf(o.uri)));
    const req = this.build(conn, { ...o, method: 'INVITE' });
    const res = await this.sendWithAuth(conn, req);
    if (res.status >= 300) throw failed(req, res, conn);
    const rr = headerValues(res, 'Record-Route').reverse();
    const contact = header(res, 'Contact');
    const d = new Dialog(
      {
        callId: callIdOf(req), localTag: fromOf(req).params.tag ?? '', remoteTag: toOf(res).params.tag ?? '',
        localUri: header(req, 'From')!.replace(/;\s*tag=[^;]*/i, ''), remoteUri: header(res, 'To')!.replace(/;\s*tag=[^;]*/i, ''),
        remoteTarget: contact ? formatUriOf(contact) : req.uri, routeSet: rr, localSeq: cseqOf(res).seq, remoteSeq: 0,
      },
      conn, true, this,
    );
    this.dialogs.set(d.id, d);
    conn.send(this.inDialog(d, 'ACK', {}, cseqOf(res).seq));
    return { dialog: d, response: res };
  }

  /** A re-INVITE in `d` (a session refresh, RFC 4028); a 2xx is acknowledged here, as after the first INVITE. */
  async reinvite(d: Dialog, opts: InDialogOptions = {}): Promise<SipResponse> {
    const res = await this.sendInDialog(d, 'INVITE', opts);
    if (res.status < 300 && d.state !== 'terminated') d.connection.send(this.inDialog(d, 'ACK', {}, cseqOf(res).seq));
    return res;
  }

  /** Sends a request built elsewhere (a proxy's) through a client transaction on `conn`. */
  forward(conn: SipConnection, req: SipRequest, onProvisional?: (r: SipResponse) => void): Promise<SipResponse> {
    return this.transactions.request(conn, req, onProvisional);
  }

  /** OPTIONS to `target` every `intervalMs`; `onFail` hears of a failure (timeout, lost connection, error status). */
  optionsKeepAlive(target: Target & { uri?: string }, intervalMs: number, onFail: (e: SipError) => void): () => void {
    const uri = target.uri ?? `sip:${target.host}:${target.port};transport=${(target.transport ?? 'TCP').toLowerCase()}`;
    const once = () =>
      this.request({ method: 'OPTIONS', uri, target }).then(
        (r) => {
          if (r.status >= 300 && r.status !== 405) onFail(new SipError('SIP_REQUEST_FAILED', `OPTIONS to ${target.host}:${target.port} answered ${r.status} ${r.reason}`, { method: 'OPTIONS', host: target.host, port: target.port, status: r.status }));
        },
        (e) => onFail(e instanceof SipError ? e : new SipError('SIP_REQUEST_FAILED', String(e), { host: target.host, port: target.port })),
      );
    const timer = setInterval(() => void once(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    this.closing = true;
    const err = new SipError('SIP_CLOSED', 'SIP endpoint closed', {});
    for (const d of [...this.dialogs.values()]) d.terminate(err);
    this.transactions.close(err);
    for (const c of this.all) c.close();
    await Promise.all(this.servers.map((l) => l.close()));
  }

  // ---- DialogSender / Acceptor

  sendInDialog(d: Dialog, method: string, opts: InDialogOptions): Promise<SipResponse> {
    if (d.state === 'terminated' && method !== 'BYE') {
      return Promise.reject(new SipError('SIP_DIALOG_GONE', `dialog ${d.s.callId} has ended`, { callId: d.s.callId }));
    }
    d.s.localSeq++;
    const req = this.inDialog(d, method, opts, d.s.localSeq);
    const sent = this.sendWithAuth(d.connection, req);
    if (method !== 'INVITE') return sent;
    // a re-INVITE's 2xx is acknowledged by us, end to end (the transaction layer ACKs only the others)
    return sent.then((res) => {
      if (res.status >= 200 && res.status < 300 && d.state !== 'terminated') d.connection.send(this.inDialog(d, 'ACK', {}, cseqOf(res).seq));
      return res;
    });
  }

  forget(d: Dialog): void {
    this.dialogs.delete(d.id);
  }

  acceptInvite(inc: IncomingRequest, opts: InDialogOptions): Dialog {
    const req = inc.request;
    const contact = header(req, 'Contact');
    const d = new Dialog(
      {
        callId: callIdOf(req), localTag: toOf(req).params.tag ?? inc.toTag, remoteTag: fromOf(req).params.tag ?? '',
        localUri: header(req, 'To')!.replace(/;\s*tag=[^;]*/i, ''), remoteUri: header(req, 'From')!.replace(/;\s*tag=[^;]*/i, ''),
        remoteTarget: contact ? formatUriOf(contact) : req.uri, routeSet: headerValues(req, 'Record-Route'), localSeq: 0, remoteSeq: cseqOf(req).seq,
      },
      inc.connection, false, this,
    );
    this.dialogs.set(d.id, d);
    const headers: SipHeader[] = [{ name: 'Contact', value: this.contactFor(inc.connection) }, ...this.contentHeaders(opts), ...(opts.headers ?? [])];
    inc.respond(200, { headers, body: opts.body });
    this.emit('dialog', d);
    return d;
  }

  // ---- internals

  private adopt(c: SipConnection, k: string | undefined): void {
    if (this.closing) return c.close();
    this.all.add(c);
    if (k) this.conns.set(k, c);
    c.on('message', (m) => (m.kind === 'response' ? this.onResponse(m) : this.onRequest(c, m)));
    c.on('close', (err) => {
      this.all.delete(c);
      for (const [key, x] of this.conns) if (x === c) this.conns.delete(key);
      const why = err ?? new SipError('SIP_CONNECTION_LOST', `${c.remote.host}:${c.remote.port} closed the connection`, { host: c.remote.host, port: c.remote.port });
      this.transactions.connectionClosed(c, why);
      for (const d of [...this.dialogs.values()]) if (d.connection === c) d.terminate(why);
      this.emit('connection-closed', c, err);
    });
    this.emit('connection', c);
  }

  private onResponse(res: SipResponse): void {
    // a stray response (no transaction) is dropped, as RFC 3261 §18.1.2 says
    if (!this.transactions.response(res)) this.options.logger?.debug(coded('logServers.sipStrayResponse', { status: res.status }));
  }

  private onRequest(c: SipConnection, req: SipRequest): void {
    const via = topVia(req);
    this.noteVia(c, req, via);
    const got = this.transactions.incoming(c, req);
    if (got.kind === 'absorbed') return;
    // a request whose top Route is us is a proxy's business (in-dialog or not), not a dialog of ours
    const routed = this.routedHere(req, c);
    const toTag = routed ? undefined : toOf(req).params.tag;
    const d = toTag ? this.dialogs.get(dialogKey(callIdOf(req), toTag, fromOf(req).params.tag ?? '')) : undefined;
    if (got.kind === 'ack') {
      if (routed) this.emit('ack', req, c);
      else d?.emit('ack');
      return;
    }
    const tx = got.transaction;
    const inc = new IncomingRequest(req, c, tx, d, this);
    if (toTag) {
      if (!d) return inc.respond(481);
      const seq = cseqOf(req).seq;
      if (seq <= d.s.remoteSeq) return inc.respond(500, { reason: 'CSeq Out of Order' });
      d.s.remoteSeq = seq;
      if (req.method === 'BYE') {
        inc.respond(200);
        d.terminate(undefined);
        return;
      }
      // counted before emitting: a `once` listener that answers later still counts
      const heard = d.listenerCount('request') > 0;
      d.emit('request', inc);
      if (!inc.answered && !heard) inc.respond(200, req.method === 'INVITE' ? { headers: [{ name: 'Contact', value: this.contactFor(c) }] } : {});
      return;
    }
    const heard = this.listenerCount('request') > 0;
    this.emit('request', inc);
    if (inc.answered || heard) return;
    if (req.method === 'OPTIONS') inc.respond(200, { headers: [{ name: 'Allow', value: 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY, MESSAGE, REGISTER' }] });
    else inc.respond(501);
  }

  /** True when the top Route header names one of our listeners (as reached over `conn`). */
  routedHere(req: SipRequest, conn: SipConnection): boolean {
    const route = header(req, 'Route');
    if (!route) return false;
    try {
      const u = parseNameAddr(route).uri;
      const host = u.host.replace(/^\[|\]$/g, '');
      return this.servers.some((l) => l.port === (u.port ?? (l.transport === 'TLS' ? 5061 : 5060)) && host === (WILDCARD.has(l.host) ? conn.local.host : l.host));
    } catch {
      return false;
    }
  }

  /** received/rport (RFC 3581) on the top Via, and the peer's offer to reuse its connection (RFC 5923 alias). */
  private noteVia(c: SipConnection, req: SipRequest, via: Via): void {
    const first = req.headers.find((h) => h.name === 'Via')!;
    const params = { ...via.params };
    if (via.host !== c.remote.host) params.received = c.remote.host;
    if ('rport' in params) params.rport = String(c.remote.port);
    const rest = first.value.indexOf(',');
    first.value = formatVia({ ...via, params }) + (rest < 0 ? '' : first.value.slice(rest));
    if ('alias' in via.params && !c.outbound) this.conns.set(connKey(c.transport, via.host, via.port ?? 5060), c);
  }

  private build(conn: SipConnection, o: RequestOptions): SipRequest {
    const { host } = this.sentBy(conn);
    const from = o.from ?? `<sip:${this.user}@${this.options.domain ?? host}>`;
    const to = o.to ?? o.uri;
    const headers: SipHeader[] = [
      { name: 'Via', value: this.via(conn) },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `${asNameAddr(from)};tag=${rnd(6)}` },
      { name: 'To', value: asNameAddr(to) },
      { name: 'Call-ID', value: o.callId ?? `${rnd(12)}@${host}` },
      { name: 'CSeq', value: `${o.cseq ?? 1} ${o.method}` },
    ];
    if (o.contact ?? (o.method === 'INVITE' || o.method === 'REGISTER')) headers.push({ name: 'Contact', value: this.contactFor(conn) });
    if (this.options.userAgent) headers.push({ name: 'User-Agent', value: this.options.userAgent });
    // the caller's Max-Forwards, Contact or User-Agent replaces ours
    const own = new Set((o.headers ?? []).map((h) => canonicalHeaderName(h.name)));
    const kept = headers.filter((h) => !OVERRIDABLE.has(h.name) || !own.has(h.name));
    kept.push(...this.contentHeaders(o), ...(o.headers ?? []));
    return { kind: 'request', method: o.method, uri: o.uri, headers: kept, body: toBytes(o.body) };
  }

  private inDialog(d: Dialog, method: string, opts: InDialogOptions, seq: number): SipRequest {
    const headers: SipHeader[] = [
      { name: 'Via', value: this.via(d.connection) },
      { name: 'Max-Forwards', value: '70' },
      ...d.s.routeSet.map((value) => ({ name: 'Route', value })),
      { name: 'From', value: `${d.s.localUri};tag=${d.s.localTag}` },
      { name: 'To', value: `${d.s.remoteUri};tag=${d.s.remoteTag}` },
      { name: 'Call-ID', value: d.s.callId },
      { name: 'CSeq', value: `${seq} ${method}` },
    ];
    if (method === 'INVITE') headers.push({ name: 'Contact', value: this.contactFor(d.connection) });
    headers.push(...this.contentHeaders(opts), ...(opts.headers ?? []));
    return { kind: 'request', method, uri: d.s.remoteTarget, headers, body: toBytes(opts.body) };
  }

  private contentHeaders(o: InDialogOptions): SipHeader[] {
    return o.contentType && o.body !== undefined ? [{ name: 'Content-Type', value: o.contentType }] : [];
  }

  private via(conn: SipConnection): string {
    const { host, port } = this.sentBy(conn);
    // alias: the peer may send its requests to us over this connection (RFC 5923)
    return `SIP/2.0/${conn.transport} ${host}:${port};branch=${newBranch()};rport${conn.outbound ? ';alias' : ''}`;
  }

  private async sendWithAuth(conn: SipConnection, req: SipRequest): Promise<SipResponse> {
    let res = await this.transactions.request(conn, req);
    const creds = this.options.credentials;
    for (let attempt = 0; creds && (res.status === 401 || res.status === 407) && attempt < 2; attempt++) {
      const proxy = res.status === 407;
      const challenge = pickChallenge(headerValues(res, proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate'));
      // a second challenge that is not stale means the password is wrong: no third try
      if (!challenge || (attempt > 0 && !challenge.stale)) break;
      const cseq = cseqOf(req);
      const authName = proxy ? 'Proxy-Authorization' : 'Authorization';
      const headers: SipHeader[] = [];
      let viaDone = false;
      for (const h of req.headers) {
        if (h.name === authName) continue;
        if (h.name === 'Via' && !viaDone) {
          viaDone = true;
          headers.push({ name: 'Via', value: this.via(conn) });
        } else if (h.name === 'CSeq') headers.push({ name: 'CSeq', value: `${cseq.seq + 1} ${cseq.method}` });
        else headers.push(h);
      }
      headers.push({ name: authName, value: authorize(challenge, { user: creds.user, password: creds.password, method: req.method, uri: req.uri }) });
      req = { ...req, headers };
      res = await this.transactions.request(conn, req);
    }
    return res;
  }
}

function pickChallenge(values: string[]): DigestChallenge | undefined {
  const all = values.map(parseChallenge).filter((c): c is DigestChallenge => !!c);
  return all.find((c) => c.algorithm === 'SHA-256') ?? all[0];
}

function failed(req: SipRequest, res: SipResponse, conn: SipConnection): SipError {
  return new SipError('SIP_REQUEST_FAILED', `${req.method} to ${conn.remote.host}:${conn.remote.port} answered ${res.status} ${res.reason}`, { method: req.method, host: conn.remote.host, port: conn.remote.port, status: res.status, reason: res.reason });
}

const connKey = (t: SipTransportName, host: string, port: number) => `${t}|${host}|${port}`;

/** Host, port and transport of a SIP URI (RFC 3263 without DNS: port 5060, or 5061 for TLS). */
export function targetOf(uri: string): Target {
  const u = parseUri(uri);
  const transport: SipTransportName = u.scheme === 'sips' || u.params.transport?.toLowerCase() === 'tls' ? 'TLS' : 'TCP';
  return { host: u.host.replace(/^\[|\]$/g, ''), port: u.port ?? (transport === 'TLS' ? 5061 : 5060), transport };
}

function asNameAddr(s: string): string {
  return s.includes('<') ? s : `<${s}>`;
}

/** The URI inside a Contact value. */
function formatUriOf(contact: string): string {
  return formatUri(parseNameAddr(contact).uri);
}
