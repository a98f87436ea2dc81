import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { rawHttp as raw } from './testing';
import { EventBus, type Dispatch } from '../api';
import { startWebServer, type WebServer, type WebServerOptions } from './server';
import { plainText } from '../log/rate-limit';

const running: WebServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const echo: Dispatch = async (method, input) => ({ ok: true, result: { method, input } });

async function start(extra: Partial<WebServerOptions> = {}) {
  const logged: string[] = [];
  const staticDir = mkdtempSync(join(tmpdir(), 'lk-web-'));
  dirs.push(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  const server = await startWebServer({
    dispatch: echo,
    bus: new EventBus(),
    staticDir,
    log: plainText({ warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) }),
    ...extra,
  });
  running.push(server);
  return { server, logged };
}

function openWs(server: WebServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextReply(ws: WebSocket): Promise<{ id: unknown; reply: { ok: boolean; result?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

async function appInfoWorks(server: WebServer) {
  const ws = await openWs(server);
  ws.send(JSON.stringify({ id: 7, method: 'app.info', input: {} }));
  expect(await nextReply(ws)).toEqual({ id: 7, reply: { ok: true, result: { method: 'app.info', input: {} } } });
  ws.close();
}

describe('linekeeper serve over HTTP', () => {
  it('answers 400 to a path with a malformed percent-encoding and keeps serving', async () => {
    const { server, logged } = await start();
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js', '/%00']) {
      expect(await raw(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(logged.some((l) => /^warn "GET" "\/%E0%A4%A" from 127\.0\.0\.1:\d+: the path has a malformed percent-encoding; answered 400$/.test(l))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.port}/index.html`)).status).toBe(200);
  });

  it('answers 400 to request targets that are not paths, on plain requests and on WebSocket upgrades', async () => {
    const { server } = await start();
    expect(await raw(server.port, 'GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await raw(server.port, 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 405 /);
    expect(await raw(server.port, 'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    const upgrade = (target: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    for (const target of ['//', '/%E0%A4%A', `//evil/api?token=${server.token}`, '*']) expect(await raw(server.port, upgrade(target))).toMatch(/^HTTP\/1\.1 401 /);
    await appInfoWorks(server);
  });

  it('answers a broken request line with 400 on that connection only', async () => {
    const { server, logged } = await start();
    expect(await raw(server.port, 'GET /\x01 HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(server.port, `GET / HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect(logged.some((l) => l.startsWith('warn malformed HTTP request from 127.0.0.1'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
  });

  it('sends Referrer-Policy: no-referrer on every response, refusals and the WebSocket upgrade included', async () => {
    const { server } = await start();
    const base = `http://127.0.0.1:${server.port}`;
    for (const [path, method, status] of [['/health', 'GET', 200], ['/', 'GET', 200], ['/index.html', 'HEAD', 200], ['/', 'POST', 405], ['/%E0', 'GET', 400]] as const) {
      const res = await fetch(base + path, { method });
      expect(res.status, path).toBe(status);
      expect(res.headers.get('referrer-policy'), `${method} ${path}`).toBe('no-referrer');
    }
    expect(await raw(server.port, 'GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')).toMatch(/\r\nReferrer-Policy: no-referrer\r\n/);
    expect(await raw(server.port, 'GET /\x01 HTTP/1.1\r\n\r\n')).toMatch(/\r\nReferrer-Policy: no-referrer\r\n/);
    const upgraded = new Promise<string | undefined>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
      ws.once('upgrade', (res) => resolve(res.headers['referrer-policy'] as string | undefined));
      ws.once('open', () => ws.close());
    });
    expect(await upgraded).toBe('no-referrer');
  });
});

describe('linekeeper serve over the WebSocket', () => {
  it('closes only the socket whose message is over the limit (1009), logs it, and keeps serving the others', async () => {
    const { server, logged } = await start({ maxPayloadBytes: 1000 });
    const other = await openWs(server);
    const big = await openWs(server);
    const code = closed(big);
    big.send(JSON.stringify({ id: 1, method: 'app.info', input: { pad: 'x'.repeat(2000) } }));
    expect(await code).toBe(1009);
    expect(logged.some((l) => /^warn WebSocket 127\.0\.0\.1:\d+: WS_ERR_UNSUPPORTED_MESSAGE_LENGTH Max payload size exceeded; this connection is closed$/.test(l))).toBe(true);
    other.send(JSON.stringify({ id: 2, method: 'app.info', input: {} }));
    expect((await nextReply(other)).id).toBe(2);
    other.close();
  });

  it('carries an import of 20 MB, over the old 16 MiB limit, in one message by default', async () => {
    const dispatch: Dispatch = async (method, input) => ({ ok: true, result: { method, length: (input as { data: string }).data.length } });
    const { server } = await start({ dispatch });
    const ws = await openWs(server);
    const data = 'QUJD'.repeat(5 * 1024 * 1024);
    ws.send(JSON.stringify({ id: 1, method: 'lines.importPreview', input: { instanceId: 'x', data } }));
    expect(await nextReply(ws)).toEqual({ id: 1, reply: { ok: true, result: { method: 'lines.importPreview', length: data.length } } });
    ws.close();
  });

  it('closes only the socket that sends JSON which is not an object (1008), and logs it', async () => {
    const { server, logged } = await start();
    for (const text of ['null', '3', '[]', '"x"', 'true', '{"id":', '\u0000']) {
      const ws = await openWs(server);
      const code = closed(ws);
      ws.send(text);
      expect(await code, text).toBe(1008);
    }
    expect(logged.filter((l) => /this connection is closed$/.test(l)).length).toBeGreaterThanOrEqual(7);
    await appInfoWorks(server);
  });

  it('answers INVALID_INPUT with the id when a message object has no method or an id of the wrong type', async () => {
    const { server } = await start();
    const ws = await openWs(server);
    const ask = async (msg: unknown) => {
      const reply = nextReply(ws);
      ws.send(JSON.stringify(msg));
      return reply;
    };
    expect(await ask({ id: 4 })).toMatchObject({ id: 4, reply: { ok: false, error: { code: 'INVALID_INPUT', message: 'message has no method name' } } });
    expect(await ask({ id: 'a', method: 12 })).toMatchObject({ id: 'a', reply: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(await ask({ id: { deep: [1] }, method: 'app.info' })).toMatchObject({ id: null, reply: { ok: false, error: { code: 'INVALID_INPUT', message: 'the id must be a number or a string' } } });
    expect(await ask({ id: 9e300, method: 'app.info' })).toMatchObject({ id: 9e300, reply: { ok: true } });
    ws.close();
  });

  it('answers INTERNAL with the id when a result cannot be sent as JSON, and logs it', async () => {
    const dispatch: Dispatch = async () => ({ ok: true, result: { big: 10n } });
    const { server, logged } = await start({ dispatch });
    const ws = await openWs(server);
    ws.send(JSON.stringify({ id: 3, method: 'app.info', input: {} }));
    expect(await nextReply(ws)).toMatchObject({ id: 3, reply: { ok: false, error: { code: 'INTERNAL' } } });
    expect(logged.some((l) => l.startsWith('error "app.info": the result cannot be sent as JSON: TypeError'))).toBe(true);
    ws.close();
  });

  it('reads no further from a client with 64 calls unanswered until some are answered', async () => {
    let running = 0;
    let most = 0;
    const dispatch: Dispatch = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return { ok: true, result: null };
    };
    const { server } = await start({ dispatch });
    const ws = await openWs(server);
    let answered = 0;
    const all = new Promise<void>((resolve) => ws.on('message', () => ++answered === 500 && resolve()));
    for (let i = 0; i < 500; i++) ws.send(JSON.stringify({ id: i, method: 'app.info' }));
    await all;
    expect(most).toBeLessThanOrEqual(64);
    expect(most).toBeGreaterThan(1);
    ws.close();
  });

  it('holds no more than two messages of the largest size unanswered per client', async () => {
    let running = 0;
    let most = 0;
    const dispatch: Dispatch = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return { ok: true, result: null };
    };
    const { server } = await start({ dispatch, maxPayloadBytes: 10_000 });
    const ws = await openWs(server);
    let answered = 0;
    const all = new Promise<void>((resolve) => ws.on('message', () => ++answered === 40 && resolve()));
    for (let i = 0; i < 40; i++) ws.send(JSON.stringify({ id: i, method: 'app.info', input: { pad: 'x'.repeat(6000) } }));
    await all;
    expect(most).toBe(3);
    ws.close();
  });
});
