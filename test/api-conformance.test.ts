import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventNames, methodNames } from '../shared/api/contract';
import { createClient } from '../shared/api/client';
import { ApiFailure } from '../shared/api/errors';
import { createApi, createHandlers, EventBus, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startWebServer, type WebServer } from '../main/web/server';
import { createWebSocketTransport } from '../renderer/src/api/transport-ws';

const WS = WebSocket as unknown as new (url: string) => globalThis.WebSocket;

let dataDir: string;
let services: Services;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lk-conf-'));
  services = createServices({ dataDir, transport: 'websocket' });
});
afterAll(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function wsUrl(server: WebServer, token = server.token) {
  return `ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(token)}`;
}

describe('API contract conformance', () => {
  it('every method of the contract has a handler in main', () => {
    const handlers = createHandlers(services) as unknown as Record<string, unknown>;
    for (const m of methodNames) expect(typeof handlers[m], m).toBe('function');
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
  });

  it('every method reaches the dispatcher over the WebSocket transport, and every event reaches the client', async () => {
    const seen: string[] = [];
    const dispatch: Dispatch = async (method, input) => {
      seen.push(method);
      return { ok: true, result: { method, input } };
    };
    const bus = new EventBus();
    const server = await startWebServer({ dispatch, bus });
    try {
      const transport = await createWebSocketTransport(wsUrl(server), WS);
      for (const m of methodNames) expect(await transport.invoke(m, { probe: m })).toEqual({ method: m, input: { probe: m } });
      expect(seen).toEqual(methodNames);
      for (const e of eventNames) {
        const got = new Promise((resolve) => transport.subscribe(e, resolve));
        bus.emit(e, { probe: e } as never);
        expect(await got).toEqual({ probe: e });
      }
    } finally {
      await server.close();
    }
  });

  it('real calls over the WebSocket return results and errors in the one envelope', async () => {
    const server = await startWebServer({ dispatch: createApi(services), bus: services.bus });
    try {
      const client = createClient(await createWebSocketTransport(wsUrl(server), WS));
      const info = await client.call('app.info', {});
      expect(info).toMatchObject({ product: 'Linekeeper', transport: 'websocket', dataDir });
      const bad = await client.call('log.recent', { limit: -5 }).catch((e) => e);
      expect(bad).toBeInstanceOf(ApiFailure);
      expect(bad).toMatchObject({ code: 'INVALID_INPUT' });
      expect(bad.message).toMatch(/limit/);
      const unknown = await (client.call as (m: string, i: unknown) => Promise<unknown>)('nope.never', {}).catch((e) => e);
      expect(unknown).toMatchObject({ code: 'UNKNOWN_METHOD' });
    } finally {
      await server.close();
    }
  });

  it('the WebSocket refuses connections without the right token or from another origin', async () => {
    const server = await startWebServer({ dispatch: createApi(services), bus: services.bus });
    try {
      await expect(createWebSocketTransport(`ws://127.0.0.1:${server.port}/api`, WS)).rejects.toThrow(/token/);
      await expect(createWebSocketTransport(wsUrl(server, 'wrong-token-of-any-length'), WS)).rejects.toThrow(/refused/);
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(wsUrl(server), { headers: { Origin: 'http://evil.example' } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
      expect(status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('the served console carries the content security policy', async () => {
    const server = await startWebServer({ dispatch: createApi(services), bus: services.bus, staticDir: join(__dirname, '..', 'renderer') });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/index.html`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fpackage.json`);
      expect(await escape.text()).not.toContain('"name": "linekeeper"');
    } finally {
      await server.close();
    }
  });
});

describe('log settings', () => {
  it('log level and keep-days changed on the log view are saved with the global settings', async () => {
    const dispatch = createApi(services);
    const reply = await dispatch('log.configure', { level: 'debug', keepDays: 7 });
    expect(reply).toMatchObject({ ok: true, result: { level: 'debug', keepDays: 7 } });
    expect(await dispatch('settings.get', {})).toMatchObject({ ok: true, result: { logLevel: 'debug', logKeepDays: 7 } });
    const again = createServices({ dataDir, transport: 'websocket' });
    expect(await createApi(again)('log.settings', {})).toMatchObject({ ok: true, result: { keepDays: 7 } });
    await again.dispose();
  });
});
