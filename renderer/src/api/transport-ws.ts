import { ApiFailure, ErrorCodes, type Reply } from '../../../shared/api/errors';
import type { Transport } from '../../../shared/api/client';

type WebSocketCtor = new (url: string) => WebSocket;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The browser transport to `linekeeper serve`: one WebSocket, calls matched to replies by id.
 * The constructor is injectable so Node tests can use the `ws` package's WebSocket.
 */
export function createWebSocketTransport(url: string, WS: WebSocketCtor = WebSocket): Promise<Transport> {
  return new Promise((resolveOpen, rejectOpen) => {
    const ws = new WS(url);
    let nextId = 1;
    const pending = new Map<number, Pending>();
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    let opened = false;

    ws.onmessage = (ev: MessageEvent) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; reply?: Reply; event?: string; payload?: unknown };
      if (msg.event) {
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        return;
      }
      const p = msg.id != null ? pending.get(msg.id) : undefined;
      if (!p || !msg.reply) return;
      pending.delete(msg.id!);
      if (msg.reply.ok) p.resolve(msg.reply.result);
      else p.reject(new ApiFailure(msg.reply.error.code, msg.reply.error.message, msg.reply.error.details));
    };
    // Failures are reported through onclose, which always follows an error.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      for (const p of pending.values()) p.reject(new ApiFailure(ErrorCodes.transport, 'The connection to Linekeeper was closed.'));
      pending.clear();
      if (!opened) rejectOpen(new ApiFailure(ErrorCodes.transport, `Cannot connect to ${url.replace(/token=[^&]*/, 'token=…')}: refused or the token is wrong.`));
    };
    ws.onopen = () => {
      opened = true;
      resolveOpen({
        kind: 'websocket',
        invoke(method, input) {
          return new Promise((resolve, reject) => {
            if (ws.readyState !== 1) {
              reject(new ApiFailure(ErrorCodes.transport, 'The connection to Linekeeper is closed.'));
              return;
            }
            const id = nextId++;
            pending.set(id, { resolve, reject });
            ws.send(JSON.stringify({ id, method, input }));
          });
        },
        subscribe(event, listener) {
          let set = listeners.get(event);
          if (!set) listeners.set(event, (set = new Set()));
          set.add(listener);
          return () => set!.delete(listener);
        },
      });
    };
  });
}

/** The WebSocket URL for the page's own server, carrying the token the page was opened with. */
export function apiUrlFromLocation(loc: Location): string | null {
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) return null;
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`;
}
