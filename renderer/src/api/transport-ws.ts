import { ApiFailure, ErrorCodes, type Reply } from '../../../shared/api/errors';
import { MAX_WS_MESSAGE_BYTES, type Transport } from '../../../shared/api/client';

type WebSocketCtor = new (url: string) => WebSocket;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** UTF-8 size of a string, counted only when its length leaves the answer open. */
function overLimit(text: string, maxBytes: number): number | null {
  if (text.length * 3 <= maxBytes) return null;
  const bytes = text.length > maxBytes ? text.length : new TextEncoder().encode(text).length;
  return bytes > maxBytes ? bytes : null;
}

/**
 * The browser transport to `linekeeper serve`: one WebSocket, calls matched to replies by id.
 * The constructor is injectable so Node tests can use the `ws` package's WebSocket. A call over the server's
 * message limit is refused here (MESSAGE_TOO_LARGE): sent, it would cost the whole connection.
 */
export function createWebSocketTransport(url: string, WS: WebSocketCtor = WebSocket, maxBytes = MAX_WS_MESSAGE_BYTES): Promise<Transport> {
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
            const text = JSON.stringify({ id, method, input });
            const bytes = overLimit(text, maxBytes);
            if (bytes !== null) {
              reject(new ApiFailure(ErrorCodes.messageTooLarge, `the call is ${bytes} bytes, more than the ${maxBytes} one message may have`, { bytes, maxBytes }));
              return;
            }
            pending.set(id, { resolve, reject });
            ws.send(text);
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

/** The WebSocket URL of the page's own server, carrying the access token. */
export function apiUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`;
}

const TOKEN_KEY = 'linekeeper.token';

/**
 * The access token `linekeeper serve` printed in the page URL. It is moved out of the address bar (so it is not
 * kept in the history, a bookmark or a screenshot) into this tab's sessionStorage, where a reload finds it. Without
 * a usable sessionStorage the URL keeps it, so that a reload still works.
 */
export function takeToken(loc: Pick<Location, 'search' | 'pathname' | 'hash'>, history: Pick<History, 'replaceState' | 'state'>, storage: Pick<Storage, 'getItem' | 'setItem'> | null): string | null {
  const params = new URLSearchParams(loc.search);
  const fromUrl = params.get('token');
  if (!fromUrl) {
    try {
      return storage?.getItem(TOKEN_KEY) ?? null;
    } catch {
      return null;
    }
  }
  try {
    if (!storage) return fromUrl;
    storage.setItem(TOKEN_KEY, fromUrl);
  } catch {
    return fromUrl;
  }
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
  return fromUrl;
}
