import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Dispatch } from '../api/registry';
import type { EventBus } from '../api/event-bus';
import { eventNames } from '../../shared/api/contract';
import { MAX_WS_MESSAGE_BYTES } from '../../shared/api/client';
import { ErrorCodes, type Reply } from '../../shared/api/errors';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { describeThrown } from '../log/process-guard';
import { forLog, rateLimited, type PeerLog } from '../log/rate-limit';
import { guardServer, guardRequests, peerOf, rawResponse, requestTarget } from './http-guard';
import { coded } from '../../shared/problems';

export interface WebServerOptions {
  host?: string;
  port?: number;
  dispatch: Dispatch;
  bus: EventBus;
  /** The access token; a random one is made when absent. */
  token?: string;
  /** The built renderer (index.html and assets); without it only the API and /health are served. */
  staticDir?: string;
  /** Largest accepted message from a client (default MAX_WS_MESSAGE_BYTES); a larger one closes its socket (1009). */
  maxPayloadBytes?: number;
  /** Where refused requests and failed handlers are logged (rate-limited); default: nowhere but the answer. */
  log?: PeerLog;
}

export interface WebServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const allowedEvents = new Set<string>(eventNames);

/** On every response, so neither the page nor anything it loads hands the URL (with its token) to a third party. */
const COMMON_HEADERS = { 'Referrer-Policy': 'no-referrer' };

/**
 * Requests one socket may have unanswered before the server stops reading from it until some are answered; their
 * bytes may add up to two messages of the largest size, so a client cannot hold dozens of imports in memory.
 */
const MAX_IN_FLIGHT = 64;

/** WebSocket close codes (RFC 6455): a message that is no request object, a failure of the server itself. */
const CLOSE_POLICY = 1008;
const CLOSE_INTERNAL = 1011;

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Same-host check for browsers: a page from another origin may not drive the API even if it learnt the port. */
function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients (tests, scripts) send none
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let rel = requestTarget(req).path;
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(resolve(root) + sep)) {
    res.writeHead(403).end();
    return;
  }
  let path = file;
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    // Client-side routes fall back to the app.
    path = join(root, 'index.html');
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, {
      'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('The console has not been built: run "npm run build".\n');
  }
}

type RequestId = string | number | null;

/** One WebSocket message read as a call, a call to refuse (an id is known to answer with), or neither. */
type Incoming = { kind: 'call'; id: RequestId; method: string; input: unknown } | { kind: 'refuse'; id: RequestId; message: string } | { kind: 'unreadable'; why: string };

function readMessage(data: RawData): Incoming {
  let msg: unknown;
  try {
    const text = Buffer.isBuffer(data) ? data.toString() : Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
    msg = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', why: 'the message is not JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { kind: 'unreadable', why: 'the message is not a JSON object' };
  const { id, method, input } = msg as Record<string, unknown>;
  if (id !== undefined && id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return { kind: 'refuse', id: null, message: 'the id must be a number or a string' };
  }
  const known: RequestId = (id as RequestId | undefined) ?? null;
  if (typeof method !== 'string') return { kind: 'refuse', id: known, message: 'message has no method name' };
  return { kind: 'call', id: known, method, input };
}

/**
 * The browser transport of `linekeeper serve` and the e2e tests: static renderer plus the API over a
 * WebSocket at /api. Every WebSocket needs the token; messages are `{id, method, input}` →
 * `{id, reply}` and pushed `{event, payload}`, carrying the same Reply envelope as Electron IPC.
 * No request or message ends the process: see docs/security.md for what each kind of bad input gets.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const log = rateLimited(opts.log ?? { warn() {}, error() {} });
  const http = createServer(
    guardRequests(
      (req, res) => {
        if (req.url === '/health') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405).end();
          return;
        }
        if (!opts.staticDir) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('No console is served here; the API is at /api.\n');
          return;
        }
        return serveStatic(opts.staticDir, req, res);
      },
      log,
      COMMON_HEADERS,
    ),
  );
  guardServer(http, log, COMMON_HEADERS);
  const maxPayload = opts.maxPayloadBytes ?? MAX_WS_MESSAGE_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  wss.on('headers', (headers) => headers.push(...Object.entries(COMMON_HEADERS).map(([k, v]) => `${k}: ${v}`)));
  const sockets = new Set<WebSocket>();

  http.on('upgrade', (req, socket, head) => {
    // After an upgrade the HTTP server no longer listens for this socket's errors; a reset must not throw.
    socket.on('error', () => socket.destroy());
    try {
      let allowed = false;
      try {
        const { url, path } = requestTarget(req);
        allowed = path === '/api' && tokenMatches(url.searchParams.get('token'), token) && originAllowed(req);
      } catch {
        allowed = false;
      }
      if (!allowed) {
        socket.end(rawResponse(401, COMMON_HEADERS), () => socket.destroy());
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (e) {
      log.error(coded('logApp.upgradeFailed', { peer: peerOf(req.socket), detail: describeThrown(e) }));
      socket.destroy();
    }
  });

  const send = (ws: WebSocket, text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text);
  };

  const unsubscribe = opts.bus.onAny((event, payload) => {
    if (!allowedEvents.has(event)) return;
    let text: string;
    try {
      text = JSON.stringify({ event, payload });
    } catch (e) {
      log.error(coded('logApp.eventNotSent', { event, detail: describeThrown(e) }));
      return;
    }
    for (const ws of sockets) send(ws, text);
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const peer = peerOf(req.socket);
    sockets.add(ws);
    let inFlight = 0;
    ws.on('close', () => sockets.delete(ws));
    // ws has already closed the socket with the matching code (1009 for a message over maxPayload).
    ws.on('error', (e: Error & { code?: string }) => log.warn(coded('logApp.socketError', { peer, ...(e.code ? { code: e.code } : {}), detail: e.message })));
    const refuse = (id: RequestId, message: string) =>
      send(ws, JSON.stringify({ id, reply: { ok: false, error: { code: ErrorCodes.invalidInput, message } } satisfies Reply }));
    const answer = async (data: RawData) => {
      // Calls that waited their turn are dropped once their socket is closing: no one would get the answer.
      if (ws.readyState !== ws.OPEN) return;
      const msg = readMessage(data);
      if (msg.kind === 'unreadable') {
        log.warn(coded('logApp.unreadableMessage', { peer, detail: msg.why }));
        ws.close(CLOSE_POLICY, 'expected a JSON object {id, method, input}');
        return;
      }
      if (msg.kind === 'refuse') return refuse(msg.id, msg.message);
      const reply = await opts.dispatch(msg.method, msg.input);
      let text: string;
      try {
        text = JSON.stringify({ id: msg.id, reply });
      } catch (e) {
        log.error(coded('logApp.resultNotSent', { method: forLog(msg.method, 60), detail: describeThrown(e) }));
        text = JSON.stringify({ id: msg.id, reply: { ok: false, error: { code: ErrorCodes.internal, message: 'the result cannot be sent' } } satisfies Reply });
      }
      send(ws, text);
    };
    // Backpressure: a client that sends faster than its calls are answered is read no further until they
    // are; what ws had already read waits its turn here.
    let inFlightBytes = 0;
    const waiting: RawData[] = [];
    const sizeOf = (data: RawData) => (Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength);
    const fits = (data: RawData) => inFlight === 0 || (inFlight < MAX_IN_FLIGHT && inFlightBytes + sizeOf(data) <= 2 * maxPayload);
    const run = (data: RawData) => {
      const size = sizeOf(data);
      inFlight++;
      inFlightBytes += size;
      answer(data)
        .catch((e) => {
          log.error(coded('logApp.messageFailed', { peer, detail: describeThrown(e) }));
          ws.close(CLOSE_INTERNAL, 'internal error');
        })
        .finally(() => {
          inFlight--;
          inFlightBytes -= size;
          while (waiting.length && fits(waiting[0])) run(waiting.shift()!);
          if (!waiting.length && ws.isPaused) ws.resume();
        });
    };
    ws.on('message', (data) => {
      if (!waiting.length && fits(data)) return run(data);
      waiting.push(data);
      ws.pause();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', reject);
      resolveListen();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(token)}`,
    host,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
