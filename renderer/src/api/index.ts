import { createClient, type ApiClient } from '../../../shared/api/client';
import { BRIDGE_GLOBAL, type PreloadBridge } from '../../../shared/api/bridge';
import { createElectronTransport } from './transport-electron';
import { apiUrl, createWebSocketTransport, takeToken } from './transport-ws';

let client: ApiClient | null = null;

/** The tab's sessionStorage, or null where the browser refuses it (some privacy settings throw on access). */
function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Picks the transport once at start: the Electron preload bridge when present, else the page's WebSocket. */
export async function connectApi(): Promise<ApiClient> {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) {
    client = createClient(createElectronTransport(bridge));
    return client;
  }
  const token = takeToken(window.location, window.history, tabStorage());
  if (!token) throw new Error('missing-token');
  client = createClient(await createWebSocketTransport(apiUrl(window.location, token)));
  return client;
}

export function api(): ApiClient {
  if (!client) throw new Error('API used before connectApi()');
  return client;
}
