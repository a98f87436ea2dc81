import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, methodNames, type EventName, type MethodName } from '../../shared/api/contract';
import { BRIDGE_GLOBAL, type PreloadBridge } from '../../shared/api/bridge';
import type { Reply } from '../../shared/api/errors';

// Kept in step with main/electron/ipc.ts; the sandboxed preload bundles no main code.
const EVENT_CHANNEL = 'linekeeper:event';

/** One function per contract method, each bound to its own channel: no generic invoke reaches the page. */
function buildApi(): PreloadBridge['api'] {
  const api = {} as Record<MethodName, (input: unknown) => Promise<Reply>>;
  for (const m of methodNames) api[m] = (input: unknown) => ipcRenderer.invoke(m, input) as Promise<Reply>;
  return Object.freeze(api);
}

const allowedEvents = new Set<string>(eventNames);

const bridge: PreloadBridge = {
  api: buildApi(),
  on(event: EventName, listener: (payload: unknown) => void) {
    if (!allowedEvents.has(event)) throw new Error(`unknown event "${event}"`);
    // The IpcRendererEvent (and with it `sender`) never reaches the page.
    const handler = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
