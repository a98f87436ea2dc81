import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { describeThrown } from '../log/process-guard';
import { forLog, type PeerLog } from '../log/rate-limit';
import { coded } from '../../shared/problems';

/**
 * What every loopback HTTP server of Linekeeper (`serve`, the simulators' control APIs) puts around its
 * handlers, so that no request can end the process: whatever a handler throws, synchronously or in a promise,
 * answers that request alone (400 for a request it refused, 500 for a bug) and is logged with the request.
 */

/** A request refused for its form (a malformed path); the status is sent, the message logged and sent. */
export class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

export function peerOf(socket: { remoteAddress?: string; remotePort?: number }): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

/** The method and target (escaped, cut) and the peer of a request, as facts of a log entry. */
export function requestFacts(req: IncomingMessage): { request: string; peer: string } {
  return { request: `${forLog(req.method ?? '?', 24)} ${forLog(req.url ?? '', 200)}`, peer: peerOf(req.socket) };
}

export function describeRequest(req: IncomingMessage): string {
  const { request, peer } = requestFacts(req);
  return `${request} from ${peer}`;
}

/**
 * The request target as a URL plus its percent-decoded path. Origin-form (`/a/b?c`) and absolute-form
 * (`http://host/a`) are read; anything else, a malformed percent-encoding or a NUL in the path is a 400.
 */
export function requestTarget(req: IncomingMessage): { url: URL; path: string } {
  const target = req.url ?? '/';
  let url: URL;
  try {
    // Prefixed rather than resolved against a base, so `//host/x` stays a path and never names a host.
    if (target.startsWith('/')) url = new URL(`http://localhost${target}`);
    else if (/^https?:\/\//i.test(target)) url = new URL(target);
    else throw new Error('not a path');
  } catch {
    throw new BadRequest(400, 'the request target is not a path');
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new BadRequest(400, 'the path has a malformed percent-encoding');
  }
  if (path.includes('\0')) throw new BadRequest(400, 'the path holds a NUL character');
  return { url, path };
}

/** A request's body, up to `max` bytes; a longer one is refused with 413. */
export async function readLimitedBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BadRequest(413, `request body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Answers with `{error: {code, message}}` unless the answer has begun; then only this connection is cut. */
export function answerError(res: ServerResponse, status: number, code: string, message: string): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error: { code, message } });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  } catch {
    res.destroy();
  }
}

/**
 * Wraps a request handler: `headers` go on every response, a BadRequest is answered with its status and logged
 * as a warning, anything else thrown or rejected is answered 500 and logged as an error with its stack.
 */
export function guardRequests(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  log: PeerLog,
  headers: Record<string, string> = {},
): RequestListener {
  return (req, res) => {
    // Described now: once the connection is gone its address is too.
    const where = requestFacts(req);
    const fail = (e: unknown) => {
      if (e instanceof BadRequest) {
        log.warn(coded('logApp.requestRefused', { ...where, status: e.status, detail: e.message }));
        answerError(res, e.status, 'INVALID_INPUT', e.message);
      } else {
        log.error(coded('logApp.handlerFailed', { ...where, detail: describeThrown(e) }));
        answerError(res, 500, 'INTERNAL', 'internal error; the log has the details');
      }
    };
    try {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      const done = handler(req, res);
      if (done) done.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

/** A raw response for a connection that has no ServerResponse (parser errors, refused upgrades). */
export function rawResponse(status: number, headers: Record<string, string> = {}): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Requests the HTTP parser refuses (a broken request line, bad header, oversized headers) get 400 (431 for
 * headers over the limit) with `headers`, are logged as a warning, and close only their connection. An error the
 * listening socket reports once it listens is logged instead of being an unhandled 'error' event.
 */
export function guardServer(server: Server, log: PeerLog, headers: Record<string, string> = {}): void {
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (server.listening) log.error(coded('logApp.serverFailed', { port: (server.address() as { port?: number } | null)?.port ?? '?', code: e.code ?? '', detail: e.message }));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log.warn(coded('logApp.malformedRequest', { peer: peerOf(socket as Duplex & { remoteAddress?: string }), ...(err.code ? { code: err.code } : { detail: forLog(err.message) }), status }));
    socket.end(rawResponse(status, headers), () => socket.destroy());
  });
}
