import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../api/registry';
import type { EventBus } from '../api/event-bus';
import { eventNames } from '../../shared/api/contract';
import { ErrorCodes } from '../../shared/api/errors';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';

export interface WebServerOptions {
  host?: string;
  port?: number;
  dispatch: Dispatch;
  bus: EventBus;
  /** The access token; a random one is made when absent. */
  token?: string;
  /** The built renderer (index.html and assets); without it only the API and /health are served. */
  staticDir?: string;
  /** Largest accepted message from a client. */
  maxPayloadBytes?: number;
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
  const url = new URL(req.url ?? '/', 'http://x');
  let rel = decodeURIComponent(url.pathname);
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

/**
 * The browser transport of `linekeeper serve` and the e2e tests: static renderer plus the API over a
 * WebSocket at /api. Every WebSocket needs the token; messages are `{id, method, input}` →
 * `{id, reply}` and pushed `{event, payload}`, carrying the same Reply envelope as Electron IPC.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const http = createServer((req, res) => {
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
    void serveStatic(opts.staticDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes ?? 16 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api' || !tokenMatches(url.searchParams.get('token'), token) || !originAllowed(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const unsubscribe = opts.bus.onAny((event, payload) => {
    if (!allowedEvents.has(event)) return;
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let msg: { id?: unknown; method?: unknown; input?: unknown };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ id: null, reply: { ok: false, error: { code: ErrorCodes.invalidInput, message: 'message is not JSON' } } }));
        return;
      }
      if (typeof msg.method !== 'string') {
        ws.send(JSON.stringify({ id: msg.id ?? null, reply: { ok: false, error: { code: ErrorCodes.invalidInput, message: 'message has no method name' } } }));
        return;
      }
      const reply = await opts.dispatch(msg.method, msg.input);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id ?? null, reply }));
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
