import { createClient, type ApiClient } from '../../../shared/api/client';
import { BRIDGE_GLOBAL, type PreloadBridge } from '../../../shared/api/bridge';
import { createElectronTransport } from './transport-electron';
import { apiUrlFromLocation, createWebSocketTransport } from './transport-ws';

let client: ApiClient | null = null;

/** Picks the transport once at start: the Electron preload bridge when present, else the page's WebSocket. */
export async function connectApi(): Promise<ApiClient> {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) {
    client = createClient(createElectronTransport(bridge));
    return client;
  }
  const url = apiUrlFromLocation(window.location);
  if (!url) throw new Error('missing-token');
  client = createClient(await createWebSocketTransport(url));
  return client;
}

export function api(): ApiClient {
  if (!client) throw new Error('API used before connectApi()');
  return client;
}
