// The CME XML API client: POSTs to /ios_xml_app/cme with Basic auth over HTTP or HTTPS, at most as many requests
// at once as `ixi transport http / request outstanding` allows, and reads the answer with a size limit.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { axlPart, CME_XML_PATH, isErrorOf, parseDocument, requestDocument, XmlError, type Selectors, type XmlNode } from './xml';

export interface CmeXmlEndpoint {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  /** Extra trusted CA certificates (PEM) for HTTPS. */
  ca?: string | Buffer;
  /** Accept the HTTPS certificate with this SHA-256 fingerprint (hex, colons optional) instead of checking its chain. */
  fingerprint256?: string;
  answerTimeoutMs?: number;
  /** Requests in flight at once (IOS default `request outstanding` is 1; the manual configures 3). */
  outstanding?: number;
}

/** 5,000 phones of about 1.5 KB each fit with room to spare. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The server answered with an HTTP status other than 200. */
export class CmeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
  ) {
    super(`HTTP ${status} to ${operation}`);
    this.name = 'CmeHttpError';
  }
}

/** The answer is not an XML API response (another web server, or a router without `ixi application cme`). */
export class NotXmlApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotXmlApiError';
  }
}

/** The CME answered the request with `<ISError>`. */
export class IsError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly operation: string,
  ) {
    super(`${operation}: ISError ${code}${detail ? ` (${detail})` : ''}`);
    this.name = 'IsError';
  }
}

export class CmeXmlTimeout extends Error {
  constructor(operation: string, ms: number) {
    super(`no answer to ${operation} within ${ms} ms`);
    this.name = 'CmeXmlTimeout';
  }
}

/** The HTTPS certificate is not the one whose fingerprint was accepted (nothing was sent over that connection). */
export class PinMismatchError extends Error {
  constructor(
    readonly got: string,
    readonly accepted: string,
  ) {
    super(`the certificate's fingerprint ${got || 'unknown'} is not the accepted ${accepted}`);
    this.name = 'PinMismatchError';
  }
}

const hex = (fp: string) => fp.replace(/:/g, '').toLowerCase();

/**
 * HTTPS connections that are handed to a request only once the certificate's fingerprint matched the pinned one,
 * so no request (with its Basic login) goes out over a connection to another server.
 */
class PinnedAgent extends HttpsAgent {
  constructor(private readonly pin: string) {
    super({ keepAlive: true, maxSockets: 4 });
  }

  override createConnection(options: ClientRequestArgs, oncreate?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = oncreate ?? (() => undefined);
    const s = tlsConnect({ ...(options as ConnectionOptions), rejectUnauthorized: false });
    const early = (e: Error) => done(e, s);
    s.once('error', early);
    s.once('secureConnect', () => {
      s.off('error', early);
      const got = s.getPeerCertificate().fingerprint256 ?? '';
      if (hex(got) === hex(this.pin)) return done(null, s);
      s.destroy();
      done(new PinMismatchError(got, this.pin), s);
    });
    return undefined;
  }
}

export class CmeXmlClient {
  private readonly agent: HttpAgent;
  private active = 0;
  private readonly queue: Array<() => void> = [];
  requests = 0;

  constructor(readonly endpoint: CmeXmlEndpoint) {
    const pin = endpoint.tls && endpoint.fingerprint256 ? endpoint.fingerprint256 : undefined;
    this.agent = pin ? new PinnedAgent(pin) : endpoint.tls ? new HttpsAgent({ keepAlive: true, maxSockets: 4, ca: endpoint.ca }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  /** Sends one request and returns the content of `<response>`; throws CmeHttpError, NotXmlApiError, IsError, XmlError or a socket error. */
  async request(operation: string, selectors: Selectors = []): Promise<XmlNode> {
    await this.slot();
    try {
      return await this.send(operation, requestDocument(operation, selectors));
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private slot(): Promise<void> {
    if (this.active < Math.max(1, this.endpoint.outstanding ?? 3)) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.queue.push(() => {
        this.active++;
        resolve();
      }),
    );
  }

  private send(operation: string, body: string): Promise<XmlNode> {
    const e = this.endpoint;
    this.requests++;
    const ms = e.answerTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const headers = {
        Authorization: `Basic ${Buffer.from(`${e.user}:${e.password}`).toString('base64')}`,
        'Content-Type': 'text/xml; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(body)),
      };
      const servername = /^[\d.]+$/.test(e.host) || e.host.includes(':') ? undefined : e.host;
      const options = { host: e.host, port: e.port, method: 'POST', path: CME_XML_PATH, headers, agent: this.agent, ...(e.tls ? { ca: e.ca, servername } : {}) };
      const timer = setTimeout(() => {
        req.destroy();
        reject(new CmeXmlTimeout(operation, ms));
      }, ms);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      const req = (e.tls ? httpsRequest : httpRequest)(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) res.destroy(new NotXmlApiError(`the answer to ${operation} is longer than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          if (res.statusCode !== 200) return reject(new CmeHttpError(res.statusCode ?? 0, operation));
          try {
            resolve(readResponse(operation, Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', fail);
      req.end(body);
    });
  }
}

function readResponse(operation: string, body: string): XmlNode {
  let doc: XmlNode;
  try {
    doc = parseDocument(body);
  } catch (e) {
    throw new NotXmlApiError(`the answer to ${operation} is not XML: ${(e as XmlError).message}`);
  }
  const response = axlPart(doc, 'response');
  if (!response) throw new NotXmlApiError(`the answer to ${operation} is XML but no XML API response`);
  const failed = isErrorOf(response);
  if (failed) throw new IsError(failed.code, failed.message, operation);
  return response;
}

