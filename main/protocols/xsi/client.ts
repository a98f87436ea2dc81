// An Xsi client: Xsi-Actions requests (REST with Basic auth) and the Xsi-Events streaming channel with its
// heartbeats, refreshes, subscriptions and an event response for every event.
import { EventEmitter } from 'node:events';
import { Agent as HttpAgent, request as httpRequest, type ClientRequestArgs, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { child, el, esc, parseXml, text, typeOf, xsiDoc, XmlStreamSplitter, type XmlNode } from './xml';

export interface XsiEndpoint {
  host: string;
  port: number;
  tls: boolean;
  /** The context prefix of the paths; empty = com.broadsoft. */
  prefix: string;
  user: string;
  password: string;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | Buffer;
  /** Accept the certificate with this SHA-256 fingerprint instead of checking its chain and name (a pin). */
  fingerprint?: string;
  /** The name the TLS certificate must carry, when `host` is an address found for it (SRV). */
  servername?: string;
  /** An HTTP proxy: plain requests go to it in absolute form, HTTPS through a CONNECT tunnel. */
  proxy?: { host: string; port: number };
  /** Default 10000 ms. */
  answerTimeoutMs?: number;
}

/** A non-2xx answer: the status and the ErrorInfo summary when there is one. */
export class XsiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly summary: string,
    readonly path: string,
  ) {
    super(`${path}: HTTP ${status}${summary ? ` (${summary})` : ''}`);
    this.name = 'XsiHttpError';
  }
}

/** The server did not answer in time. */
export class XsiTimeout extends Error {
  constructor(readonly path: string) {
    super(`${path}: no answer in time`);
    this.name = 'XsiTimeout';
  }
}

export interface XsiAnswer {
  status: number;
  root: string;
  body: XmlNode;
}

/** Callbacks of an open event channel: each document after the first, and its end (once). */
export interface ChannelStreamHandlers {
  doc(root: string, body: XmlNode): void;
  end(error: Error): void;
}

/**
 * Where Xsi requests and the event channel go: HTTP(S) (XsiClient) or the CTI socket (CtiClient). Paths follow
 * `/v2.0/`; the same documents and the same answers either way.
 */
export interface XsiTransport {
  readonly endpoint: XsiEndpoint;
  requests: number;
  action(method: string, path: string, body?: string): Promise<XsiAnswer>;
  events(method: string, path: string, body?: string): Promise<XsiAnswer>;
  /** Opens the event channel with a `Channel` document: resolves with the server's first document (its Channel). */
  openChannel(body: string, on: ChannelStreamHandlers): Promise<{ first: XmlNode; stop(): void }>;
  close(): void;
}

const MAX_ANSWER = 8 << 20;

export class XsiClient implements XsiTransport {
  private readonly agent: HttpAgent;
  readonly actionsBase: string;
  readonly eventsBase: string;
  readonly channelPath: string;
  requests = 0;

  constructor(readonly endpoint: XsiEndpoint) {
    const p = endpoint.prefix || 'com.broadsoft';
    this.actionsBase = `/${p}.xsi-actions/v2.0/`;
    this.eventsBase = `/${p}.xsi-events/v2.0/`;
    this.channelPath = `/${p}.async/${p}.xsi-events/v2.0/channel`;
    this.agent = this.newAgent(true);
  }

  /** A connection pool (or, for the long-lived channel, a single-use one) that goes through the proxy if any. */
  private newAgent(keepAlive: boolean): HttpAgent {
    const { proxy, tls, ca, fingerprint } = this.endpoint;
    const opts = { keepAlive, maxSockets: 16 };
    if (!tls) return new HttpAgent(opts);
    // A resumed TLS session shows no certificate, so a pin could not be checked: pinned, every handshake is whole.
    const agentOpts = { ...opts, ca, ...(fingerprint ? { maxCachedSessions: 0 } : {}) };
    return proxy ? new TunnelAgent(proxy, agentOpts) : new HttpsAgent(agentOpts);
  }

  /** An Xsi-Actions request; `path` follows `/v2.0/` (e.g. `user/{id}/profile`, ids already encoded). */
  action(method: string, path: string, body?: string): Promise<XsiAnswer> {
    return this.send(method, this.actionsBase + path, body);
  }

  /** An Xsi-Events request other than opening a channel. */
  events(method: string, path: string, body?: string): Promise<XsiAnswer> {
    return this.send(method, this.eventsBase + path, body);
  }

  close(): void {
    this.agent.destroy();
  }

  /** Starts a request; `onResponse` gets the response (or the error). Used for the long-lived channel too. */
  raw(method: string, path: string, body: string | undefined, agent: HttpAgent | false, onResponse: (err: Error | null, res?: IncomingMessage) => void) {
    const e = this.endpoint;
    const headers: Record<string, string> = { Authorization: `Basic ${Buffer.from(`${e.user}:${e.password}`).toString('base64')}`, Accept: 'application/xml' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/xml; charset=UTF-8';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    // Plain HTTP through a proxy: the request goes to the proxy, naming the whole URL.
    const viaProxy = e.proxy && !e.tls;
    if (viaProxy) headers.Host = `${e.host}:${e.port}`;
    const target = viaProxy ? { host: e.proxy!.host, port: e.proxy!.port, path: `http://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}${path}` } : { host: e.host, port: e.port, path };
    const pin = e.tls && e.fingerprint ? e.fingerprint.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
    const options = { ...target, method, headers, agent: agent === false && e.proxy ? this.newAgent(false) : agent, ...(e.tls ? { ca: e.ca, servername: sniName(e.servername ?? e.host), ...(pin ? { rejectUnauthorized: false } : {}) } : {}) };
    let done = false;
    const once = (err: Error | null, res?: IncomingMessage) => {
      if (done) return;
      done = true;
      onResponse(err, res);
    };
    const req = (e.tls ? httpsRequest : httpRequest)(options, (res) => once(null, res));
    // Small requests and event documents: Nagle's delay would hold each one back for the peer's delayed ACK.
    req.on('socket', (socket) => {
      socket.setNoDelay(true);
      if (!pin) return;
      // The pin replaces the chain check: a connection to any other certificate goes no further.
      const check = () => {
        const got = ((socket as TLSSocket).getPeerCertificate?.()?.fingerprint256 ?? '').replace(/:/g, '').toLowerCase();
        if (got !== pin) req.destroy(Object.assign(new Error(`the certificate of ${e.host}:${e.port} has the fingerprint ${got || 'none'}, not the accepted one`), { code: 'FINGERPRINT_MISMATCH' }));
      };
      if ((socket as TLSSocket).encrypted && !socket.connecting && (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256) check();
      else socket.once('secureConnect', check);
    });
    req.on('error', (err) => once(err));
    req.end(body);
    return req;
  }

  /** The channel over HTTP: a POST whose response stays open and streams one document after another. */
  openChannel(body: string, on: ChannelStreamHandlers): Promise<{ first: XmlNode; stop(): void }> {
    this.requests++;
    return new Promise((resolve, reject) => {
      let opened = false;
      let ended = false;
      const timer = setTimeout(() => {
        req.destroy();
        fail(new XsiTimeout(this.channelPath));
      }, this.endpoint.answerTimeoutMs ?? 10_000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        if (!opened) {
          opened = true;
          ended = true;
          reject(e);
        } else if (!ended) {
          ended = true;
          on.end(e);
        }
      };
      const stop = () => {
        ended = true;
        req.destroy();
      };
      const req = this.raw('POST', this.channelPath, body, false, (err, res) => {
        if (err || !res) return fail(err ?? new Error('no response'));
        if ((res.statusCode ?? 0) !== 200) {
          res.resume();
          return fail(new XsiHttpError(res.statusCode ?? 0, '', this.channelPath));
        }
        const splitter = new XmlStreamSplitter();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          try {
            for (const doc of splitter.push(chunk)) {
              const { root, body: b } = parseXml(doc, { validate: false });
              if (!opened && root === 'Channel') {
                opened = true;
                clearTimeout(timer);
                resolve({ first: b, stop });
              } else if (opened && !ended) on.doc(root, b);
            }
          } catch (e) {
            res.destroy();
            fail(e as Error);
          }
        });
        res.on('end', () => fail(new Error('the server ended the channel')));
        res.on('error', (e) => fail(e));
        res.on('close', () => fail(new Error('the channel connection closed')));
      });
    });
  }

  private send(method: string, path: string, body?: string): Promise<XsiAnswer> {
    this.requests++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        req.destroy();
        reject(new XsiTimeout(path));
      }, this.endpoint.answerTimeoutMs ?? 10_000);
      const req = this.raw(method, path, body, this.agent, (err, res) => {
        if (err || !res) {
          clearTimeout(timer);
          return reject(err);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER) res.destroy(new Error(`answer longer than ${MAX_ANSWER} bytes`));
          else chunks.push(c);
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        res.on('end', () => {
          clearTimeout(timer);
          try {
            resolve(answerOf(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), path));
          } catch (e) {
            reject(e);
          }
        });
      });
    });
  }
}

/** The TLS server name for a host: none for an IP address (RFC 6066 allows only names there). */
export function sniName(host: string): string | undefined {
  return isIP(host) ? undefined : host;
}

/** An answer's status and body as an XsiAnswer; throws XsiHttpError for a status outside 2xx, XmlError for a bad body. */
export function answerOf(status: number, textBody: string, path: string): XsiAnswer {
  let parsed: { root: string; body: XmlNode } = { root: '', body: {} };
  if (textBody.trim()) {
    try {
      parsed = parseXml(textBody);
    } catch (e) {
      if (status >= 200 && status < 300) throw e;
    }
  }
  if (status < 200 || status >= 300) throw new XsiHttpError(status, parsed.root === 'ErrorInfo' ? text(parsed.body, 'summary') : '', path);
  return { status, ...parsed };
}

export interface XsiEvent {
  eventId: string;
  /** The user the event is about. */
  targetId: string;
  subscriptionId: string;
  /** The eventData type: CallReceivedEvent, DoNotDisturbEvent … */
  type: string;
  data: XmlNode;
}

export interface ChannelOptions {
  channelSetId?: string;
  applicationId?: string;
  /** Requested channel and subscription lifetime (seconds); refreshed at 80 %. */
  expiresSeconds?: number;
  heartbeatMs?: number;
}

/**
 * One Xsi-Events channel. Events: `event` (XsiEvent, already acknowledged), `subscriptionTerminated` (id, target
 * path, event package) for one of its own,
 * `closed` (reason, the error when a request failed) once when the channel ends for any reason other than close().
 */
export class XsiChannel extends EventEmitter {
  channelId = '';
  readonly channelSetId: string;
  private readonly applicationId: string;
  private readonly expires: number;
  private readonly heartbeatMs: number;
  private stopStream: () => void = () => undefined;
  private timers: NodeJS.Timeout[] = [];
  /** Subscription ID → its target path and event package (to refresh it, or make it again). */
  private readonly subscriptions = new Map<string, { target: string; pkg: string }>();
  private ended = false;
  events = 0;

  constructor(
    private readonly client: XsiTransport,
    opts: ChannelOptions = {},
  ) {
    super();
    this.channelSetId = opts.channelSetId ?? `linekeeper-${randomUUID()}`;
    this.applicationId = opts.applicationId ?? 'linekeeper';
    this.expires = opts.expiresSeconds ?? 3600;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
  }

  /** Opens the channel; resolves with its ID once the server's first document names it. */
  async open(): Promise<string> {
    const body = xsiDoc('Channel', el('channelSetId', esc(this.channelSetId)) + el('priority', '1') + el('weight', '100') + el('expires', String(this.expires)) + el('applicationId', esc(this.applicationId)));
    const { first, stop } = await this.client.openChannel(body, {
      doc: (root, b) => {
        if (root === 'Event') this.onEvent(b);
      },
      end: (e) => this.lost(e.message, e),
    });
    this.stopStream = stop;
    this.channelId = text(first, 'channelId');
    // Ended between its first document and here: nobody listens for `closed` yet, so say it now.
    if (this.ended) throw new Error(`the channel ${this.channelId} ended while it was being opened`);
    this.startTimers();
    return this.channelId;
  }

  /** Subscribes to an event package for one user (`user/{id}`) or a group (`serviceprovider/{sp}/group/{g}`). */
  async subscribe(targetPath: string, eventPackage: string): Promise<string> {
    const body = xsiDoc('Subscription', el('event', esc(eventPackage)) + el('expires', String(this.expires)) + el('channelSetId', esc(this.channelSetId)) + el('applicationId', esc(this.applicationId)));
    const a = await this.client.events('POST', targetPath, body);
    const id = text(a.body, 'subscriptionId');
    if (!id) throw new Error(`${targetPath}: the subscription answer names no subscriptionId`);
    this.subscriptions.set(id, { target: targetPath, pkg: eventPackage });
    return id;
  }

  async unsubscribe(id: string): Promise<void> {
    this.subscriptions.delete(id);
    await this.client.events('DELETE', `subscription/${encodeURIComponent(id)}`);
  }

  /** Ends the channel (DELETE), without a `closed` event. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.stopTimers();
    if (this.channelId) await this.client.events('DELETE', `channel/${encodeURIComponent(this.channelId)}`).catch(() => undefined);
    this.stopStream();
  }

  private onEvent(b: XmlNode): void {
    const type = typeOf(b);
    if (type === 'ChannelTerminatedEvent') return this.lost(`the server terminated the channel: ${text(b, 'reason') || 'no reason given'}`);
    const eventId = text(b, 'eventID');
    const data = child(b, 'eventData') ?? {};
    const event: XsiEvent = { eventId, targetId: text(b, 'targetId'), subscriptionId: text(b, 'subscriptionId'), type: typeOf(data), data };
    this.events++;
    if (event.type === 'SubscriptionTerminatedEvent') {
      const s = this.subscriptions.get(event.subscriptionId);
      this.subscriptions.delete(event.subscriptionId);
      if (s) this.emit('subscriptionTerminated', event.subscriptionId, s.target, s.pkg);
    } else this.emit('event', event);
    // Acknowledged after it was handled: the response is owed, but the line's event need not wait for it.
    if (eventId) {
      const ack = xsiDoc('EventResponse', el('eventID', esc(eventId)) + el('statusCode', '200') + el('reason', 'OK'));
      this.client.events('POST', 'channel/eventresponse', ack).catch((e: Error) => this.emit('warning', `event response for ${eventId} failed: ${e.message}`));
    }
  }

  private startTimers(): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((e: Error) => this.lost(e.message, e)), ms);
      t.unref();
      this.timers.push(t);
    };
    const id = encodeURIComponent(this.channelId);
    every(this.heartbeatMs, () => this.client.events('PUT', `channel/${id}/heartbeat`));
    every(this.expires * 800, async () => {
      await this.client.events('PUT', `channel/${id}`, xsiDoc('Channel', el('expires', String(this.expires))));
      for (const s of this.subscriptions.keys()) await this.client.events('PUT', `subscription/${encodeURIComponent(s)}`, xsiDoc('Subscription', el('expires', String(this.expires))));
    });
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private lost(reason: string, error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.stopTimers();
    this.stopStream();
    this.emit('closed', reason, error);
  }
}

/** HTTPS through an HTTP proxy: each connection is a CONNECT tunnel with TLS to the platform inside it. */
class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: { host: string; port: number },
    opts: AgentOptions,
  ) {
    super(opts);
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = callback ?? (() => undefined);
    const authority = `${options.host}:${options.port}`;
    const req = httpRequest({ host: this.proxy.host, port: this.proxy.port, method: 'CONNECT', path: authority, headers: { Host: authority } });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(Object.assign(new Error(`the proxy ${this.proxy.host}:${this.proxy.port} answered ${res.statusCode} to CONNECT ${authority}`), { code: 'EPROXY' }), undefined as never);
      }
      done(null, tlsConnect({ ...(options as ConnectionOptions), host: String(options.host), port: Number(options.port), socket }));
    });
    req.once('error', (err) => done(err, undefined as never));
    req.end();
    return undefined;
  }
}
