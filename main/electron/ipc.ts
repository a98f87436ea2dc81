import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { methodNames, eventNames } from '../../shared/api/contract';
import type { Reply } from '../../shared/api/errors';
import type { Dispatch } from '../api/registry';
import type { EventBus } from '../api/event-bus';

export const EVENT_CHANNEL = 'linekeeper:event';
export const APP_ORIGIN = 'app://console';

/** True for pages of the console itself (compared by parts: Node gives a custom scheme's URL the origin "null"). */
export function isAppUrl(href: string): boolean {
  try {
    const url = new URL(href);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Only the console's own top frame may call the API (not an iframe, not a navigated-away page). */
export function isTrustedSender(e: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = e.senderFrame;
  return !!frame && !frame.parent && isAppUrl(frame.url);
}

/** One ipcMain handler per contract method; each checks the sender and returns the Reply envelope. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch, trusted = isTrustedSender): void {
  for (const method of methodNames) {
    ipcMain.handle(method, async (e, input: unknown): Promise<Reply> => {
      if (!trusted(e)) return { ok: false, error: { code: 'FORBIDDEN', message: `call of ${method} from an untrusted frame refused` } };
      return dispatch(method, input);
    });
  }
}

/** Forwards the contract's events to a window. */
export function forwardEvents(bus: EventBus, target: () => WebContents | null): () => void {
  const allowed = new Set<string>(eventNames);
  return bus.onAny((event, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed() && allowed.has(event)) wc.send(EVENT_CHANNEL, { event, payload });
  });
}
