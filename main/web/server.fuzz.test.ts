import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createApi } from '../api';
import { createServices } from '../app/services';
import { startWebServer } from './server';
import { inWorker } from './testing/fuzz';

const WS_MESSAGES = Number(process.env.FUZZ_WS_MESSAGES ?? 60_000);
const HTTP_REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 40_000);
/** Small, so that messages over the limit are cheap to make; the default limit is tested in server.test.ts. */
const MAX_PAYLOAD = 64 * 1024;

describe('linekeeper serve under fuzzed input', () => {
  it(`survives ${WS_MESSAGES + HTTP_REQUESTS} random and mutated WebSocket messages and HTTP requests, then serves a well-behaved client`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-fuzz-serve-'));
    const staticDir = join(dataDir, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    // Refused calls are logged as warnings; an error would be a handler failing, which no input may cause.
    const services = createServices({ dataDir, transport: 'websocket', logLevel: 'error' });
    const errors: string[] = [];
    services.logger.onEntry((e) => errors.push(`${e.source}: ${e.message}`));
    const server = await startWebServer({
      dispatch: createApi(services),
      bus: services.bus,
      staticDir,
      maxPayloadBytes: MAX_PAYLOAD,
      log: { warn: () => undefined, error: (m) => errors.push(typeof m === 'string' ? m : m.message) },
    });
    try {
      // The clients run in worker threads (the server's thread stays free for the server); seeds make runs repeatable.
      const fuzzer = new URL('./testing/serve-fuzzer.ts', import.meta.url);
      const target = { port: server.port, token: server.token, maxPayload: MAX_PAYLOAD };
      const [ws, http] = await Promise.all([
        inWorker<{ sent: number; closes: number; replies: number }>(fuzzer, { ...target, kind: 'ws', seed: 1, clients: 3, count: WS_MESSAGES }),
        inWorker<{ sent: number; wellFormed: number; answered: number }>(fuzzer, { ...target, kind: 'http', seed: 11, clients: 2, count: HTTP_REQUESTS }),
      ]);
      expect(ws.sent).toBeGreaterThanOrEqual(WS_MESSAGES);
      expect(http.sent).toBeGreaterThanOrEqual(HTTP_REQUESTS);
      expect(ws.closes).toBeGreaterThan(WS_MESSAGES / 100);
      // Calls still running when their socket closes are not answered; most are.
      expect(ws.replies).toBeGreaterThan(WS_MESSAGES / 4);
      // Every well-formed request on a connection that nothing broke got its answer, whatever it asked for.
      expect(http.wellFormed).toBeGreaterThan(HTTP_REQUESTS / 4);
      expect(http.answered).toBeGreaterThanOrEqual(http.wellFormed);
      expect(errors).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      const client = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
      await new Promise((resolve) => client.once('open', resolve));
      const reply = new Promise<string>((resolve) => client.once('message', (d) => resolve(String(d))));
      client.send(JSON.stringify({ id: 1, method: 'app.info', input: {} }));
      expect(JSON.parse(await reply)).toEqual({ id: 1, reply: { ok: true, result: expect.objectContaining({ product: 'Linekeeper', transport: 'websocket' }) } });
      client.close();
      const page = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    } finally {
      await server.close();
      await services.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
