// The BroadWorks CTI interface: the Xsi-Actions and Xsi-Events requests, their answers and the channel's events
// over one standing TCP (8011) or TLS (8012) socket (reference §3.3, addendum §4.4). A request is the HTTP
// request it stands for, carried in a `CTIRequest` document with a request ID; its answer comes back in a
// `CTIResponse` with the same ID; events and heartbeats arrive as the same unsolicited documents as on the HTTP
// channel. The framing of the documents on the socket is detected (cti-framing.ts).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { answerOf, sniName, XsiTimeout, type ChannelStreamHandlers, type XsiAnswer, type XsiEndpoint, type XsiTransport } from './client';
import { CtiFrameReader, frameDocument, type CtiFraming, type CtiReadMode } from './cti-framing';
import { el, esc, parseXml, text, xsiDoc, XmlError, type XmlNode } from './xml';

/** Sent in every request, as CTI clients of BroadWorks 17 do. */
export const CTI_VERSION = '17.sp4';

export interface CtiRequest {
  requestId: string;
  method: string;
  /** The whole path with query, as the HTTP request would name it. */
  path: string;
  authorization: string;
  body: string;
}

export function ctiRequestDoc(r: CtiRequest): string {
  return xsiDoc('CTIRequest', el('requestId', esc(r.requestId)) + el('version', CTI_VERSION) + el('method', esc(r.method)) + el('path', esc(r.path)) + el('authorization', esc(r.authorization)) + (r.body ? el('body', esc(r.body)) : ''));
}

export function ctiResponseDoc(requestId: string, status: number, body: string): string {
  return xsiDoc('CTIResponse', el('requestId', esc(requestId)) + el('status', String(status)) + (body ? el('body', esc(body)) : ''));
}

/** A CTIRequest document's fields; XmlError when one is missing. */
export function readCtiRequest(node: XmlNode): CtiRequest {
  const r = { requestId: text(node, 'requestId'), method: text(node, 'method'), path: text(node, 'path'), authorization: text(node, 'authorization'), body: text(node, 'body') };
  if (!r.requestId || r.requestId.length > 64) throw new XmlError('a CTIRequest needs a requestId of 1-64 characters');
  if (!/^[A-Z]{1,10}$/.test(r.method)) throw new XmlError('a CTIRequest needs a method (GET, PUT, POST, DELETE)');
  if (!r.path.startsWith('/') || r.path.length > 2048) throw new XmlError('a CTIRequest needs a path starting with /');
  return r;
}

export interface CtiEndpoint extends XsiEndpoint {
  /** How documents are framed on the socket; `auto` finds out with the first request. */
  framing: CtiReadMode;
  /** Accept the TLS certificate with this SHA-256 fingerprint instead of checking its chain. */
  fingerprint?: string;
  connectTimeoutMs?: number;
}

/** The socket ended (or was never answered on); the message names host and port. */
export class CtiClosed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CtiClosed';
  }
}

interface Pending {
  path: string;
  resolve(a: XsiAnswer): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class CtiClient implements XsiTransport {
  readonly actionsBase: string;
  readonly eventsBase: string;
  readonly channelPath: string;
  requests = 0;
  /** The framing written (and, unless the server differs, read) once connected. */
  framing: 'xml' | 'length' | undefined;
  /** Whether `framing` was found out rather than configured. */
  detected = false;
  private socket: Socket | undefined;
  private reader: CtiFrameReader | undefined;
  private written: CtiFraming = 'xml';
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private channel: ChannelStreamHandlers | undefined;
  private closed = false;

  constructor(readonly endpoint: CtiEndpoint) {
    const p = endpoint.prefix || 'com.broadsoft';
    this.actionsBase = `/${p}.xsi-actions/v2.0/`;
    this.eventsBase = `/${p}.xsi-events/v2.0/`;
    this.channelPath = `/${p}.async/${p}.xsi-events/v2.0/channel`;
  }

  private get where(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }

  /**
   * Opens the socket. In `auto` framing a first request (the Xsi-Events versions) is sent as a plain XML
   * document; a server that answers it, in whatever framing, reads XML. One that closes unanswered, or answers
   * behind a length prefix without taking the request, is asked again over a new socket with a length prefix.
   */
  async connect(): Promise<void> {
    const mode = this.endpoint.framing;
    if (mode !== 'auto') {
      await this.openSocket(mode);
      this.framing = mode;
      return;
    }
    this.detected = true;
    await this.openSocket('xml');
    if (await this.probe()) {
      this.framing = 'xml';
      return;
    }
    this.dropSocket();
    await this.openSocket('length');
    if (!(await this.probe())) {
      this.dropSocket();
      throw new CtiClosed(`the CTI interface at ${this.where} answered neither XML documents nor length-prefixed ones`);
    }
    this.framing = 'length';
  }

  action(method: string, path: string, body?: string): Promise<XsiAnswer> {
    return this.request(method, this.actionsBase + path, body);
  }

  events(method: string, path: string, body?: string): Promise<XsiAnswer> {
    return this.request(method, this.eventsBase + path, body);
  }

  /** One event channel per socket: its answer is the Channel document; then events arrive unasked. */
  async openChannel(body: string, on: ChannelStreamHandlers): Promise<{ first: XmlNode; stop(): void }> {
    this.channel = on;
    try {
      const a = await this.request('POST', this.channelPath, body);
      if (a.root !== 'Channel') throw new XmlError(`the channel request was answered with ${a.root || 'nothing'}`);
      return { first: a.body, stop: () => this.close() };
    } catch (e) {
      this.channel = undefined;
      throw e;
    }
  }

  close(): void {
    this.closed = true;
    this.channel = undefined;
    this.dropSocket();
    this.failPending(new CtiClosed(`the CTI connection to ${this.where} was closed`));
  }

  // ---- inside ----------------------------------------------------------------------------------------------

  private async probe(): Promise<boolean> {
    try {
      await this.request('GET', `${this.eventsBase}versions`);
      return true;
    } catch (e) {
      // Any Xsi answer (even 401 or 404) shows the server read the request.
      return !(e instanceof CtiClosed || e instanceof XsiTimeout || e instanceof XmlError);
    }
  }

  private request(method: string, path: string, body?: string): Promise<XsiAnswer> {
    this.requests++;
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new CtiClosed(`the CTI connection to ${this.where} is not open`));
    const e = this.endpoint;
    const requestId = String(this.nextId++);
    const doc = ctiRequestDoc({ requestId, method, path, authorization: `Basic ${Buffer.from(`${e.user}:${e.password}`).toString('base64')}`, body: body ?? '' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new XsiTimeout(path));
      }, e.answerTimeoutMs ?? 10_000);
      this.pending.set(requestId, { path, resolve, reject, timer });
      socket.write(frameDocument(doc, this.written));
    });
  }

  private openSocket(framing: 'xml' | 'length'): Promise<void> {
    const e = this.endpoint;
    this.written = framing;
    this.reader = new CtiFrameReader('auto');
    const pin = e.fingerprint?.replace(/[^0-9a-f]/gi, '').toLowerCase();
    return new Promise((resolve, reject) => {
      const servername = sniName(e.servername ?? e.host);
      const socket: Socket = e.tls ? tlsConnect({ host: e.host, port: e.port, ca: e.ca, servername, rejectUnauthorized: !pin }) : netConnect({ host: e.host, port: e.port });
      this.socket = socket;
      let up = false;
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connecting to ${this.where} timed out`), { code: 'ETIMEDOUT' })), e.connectTimeoutMs ?? 5000);
      socket.once(e.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        if (pin) {
          const got = ((socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '').replace(/:/g, '').toLowerCase();
          if (got !== pin) return socket.destroy(Object.assign(new Error(`the certificate of ${this.where} has the fingerprint ${got || 'none'}, not the accepted one`), { code: 'FINGERPRINT_MISMATCH' }));
        }
        up = true;
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        if (this.socket !== socket) return;
        try {
          for (const doc of this.reader!.push(chunk)) this.onDocument(doc);
        } catch (err) {
          socket.destroy(new XmlError(`the CTI interface at ${this.where} sent something that is not Xsi: ${(err as Error).message}`));
        }
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (!up) reject(err);
        else if (this.socket === socket) this.lost(err);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (!up) reject(new CtiClosed(`${this.where} closed the connection while it was being opened`));
        else if (this.socket === socket) this.lost(new CtiClosed(`${this.where} closed the CTI connection`));
      });
    });
  }

  private onDocument(doc: string): void {
    const { root, body } = parseXml(doc, { validate: false });
    if (root === 'CTIResponse') {
      const id = text(body, 'requestId');
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      const status = Number(text(body, 'status'));
      try {
        p.resolve(answerOf(Number.isInteger(status) ? status : 0, text(body, 'body'), p.path));
      } catch (e) {
        p.reject(e as Error);
      }
      return;
    }
    // An error that answers no request: the server could not read what we sent.
    if (root === 'ErrorInfo') throw new XmlError(`the server refused the stream: ${text(body, 'summary') || 'no reason given'}`);
    this.channel?.doc(root, body);
  }

  private lost(err: Error): void {
    // A stream we could not read is the platform's protocol fault; anything else a lost connection.
    this.failPending(err instanceof CtiClosed || err instanceof XmlError ? err : new CtiClosed(`the CTI connection to ${this.where} failed: ${err.message}`));
    this.dropSocket();
    const ch = this.channel;
    this.channel = undefined;
    if (ch && !this.closed) ch.end(err);
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  private dropSocket(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    // A probe left unanswered by a dropped socket fails now rather than at its timeout.
    this.failPending(new CtiClosed(`the CTI connection to ${this.where} was closed`));
  }
}
