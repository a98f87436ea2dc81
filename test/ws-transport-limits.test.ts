import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiFailure } from '../shared/api/errors';
import { EventBus, type Dispatch } from '../main/api';
import { startWebServer, type WebServer } from '../main/web/server';
import { createWebSocketTransport } from '../renderer/src/api/transport-ws';

const WS = WebSocket as unknown as new (url: string) => globalThis.WebSocket;
let server: WebServer | undefined;
afterEach(async () => server?.close());

describe('the console over the WebSocket with a message limit', () => {
  it('refuses a call over the limit before sending it (MESSAGE_TOO_LARGE) and keeps the connection for the next call', async () => {
    const dispatch: Dispatch = async (method) => ({ ok: true, result: method });
    server = await startWebServer({ dispatch, bus: new EventBus(), maxPayloadBytes: 4000 });
    const transport = await createWebSocketTransport(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, WS, 4000);
    const refused = await transport.invoke('lines.importPreview', { data: 'QUJD'.repeat(1000) }).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiFailure);
    expect(refused).toMatchObject({ code: 'MESSAGE_TOO_LARGE', details: { maxBytes: 4000 } });
    // Three bytes per character: counted in UTF-8, not in string length.
    expect(await transport.invoke('rules.check', { text: '€'.repeat(1400) }).catch((e) => e.code)).toBe('MESSAGE_TOO_LARGE');
    expect(await transport.invoke('app.info', { text: '€'.repeat(1000) })).toBe('app.info');
  });
});
