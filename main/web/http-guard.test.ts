import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequest, guardRequests, guardServer, requestTarget } from './http-guard';
import { plainText } from '../log/rate-limit';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: Parameters<typeof guardRequests>[0]) {
  const logged: string[] = [];
  server = createServer(guardRequests(handler, plainText({ warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) }), { 'X-Test': 'yes' }));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, logged };
}

describe('guarded HTTP handlers', () => {
  it('answer 500 for a handler that throws or rejects, log it with the request, and keep serving', async () => {
    const { base, logged } = await serve(async (req, res) => {
      if (req.url === '/sync') throw new TypeError('boom in sync');
      if (req.url === '/async') await Promise.reject(new RangeError('boom in async'));
      if (req.url === '/string') throw 'a bare string';
      res.end('fine');
    });
    for (const path of ['/sync', '/async', '/string']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(500);
      expect(res.headers.get('x-test')).toBe('yes');
      expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error; the log has the details' } });
    }
    expect(logged[0]).toMatch(/^error "GET" "\/sync" from 127\.0\.0\.1:\d+: the handler failed, answered 500: TypeError: boom in sync\n {4}at /);
    expect(logged[1]).toMatch(/RangeError: boom in async/);
    expect(logged[2]).toMatch(/answered 500: a bare string$/);
    expect(await (await fetch(base + '/ok')).text()).toBe('fine');
  });

  it('answer a BadRequest with its status and a warning', async () => {
    const { base, logged } = await serve((req) => {
      requestTarget(req);
      throw new BadRequest(418, 'not today');
    });
    expect((await fetch(base + '/%zz')).status).toBe(400);
    expect((await fetch(base + '/x')).status).toBe(418);
    expect(logged).toEqual([expect.stringMatching(/^warn "GET" "\/%zz" .*malformed percent-encoding; answered 400$/), expect.stringMatching(/not today; answered 418$/)]);
  });

  it('cut only the connection when a handler fails after its answer has begun', async () => {
    const { base, logged } = await serve(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('late failure');
    });
    await expect(fetch(base + '/').then((r) => r.text())).rejects.toThrow();
    expect(logged[0]).toMatch(/late failure/);
  });

  it('read origin-form and absolute-form targets and refuse the rest', () => {
    const target = (url: string) => requestTarget({ url } as never);
    expect(target('/a%20b?x=1').path).toBe('/a b');
    expect(target('//host/x').path).toBe('//host/x');
    expect(target('http://example/y').path).toBe('/y');
    for (const bad of ['*', 'example:80', '/%E0%A4%A', '/a%00b']) expect(() => target(bad), bad).toThrow(BadRequest);
  });

  it('keep listening when the listening socket reports an error, and log it', async () => {
    const logged: string[] = [];
    server = createServer((_req, res) => res.end('fine'));
    guardServer(server, plainText({ warn: (m) => logged.push(m), error: (m) => logged.push(m) }));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const accept = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
    expect(() => server!.emit('error', accept)).not.toThrow();
    expect(logged).toEqual([expect.stringMatching(/^the server on port \d+ failed to take a connection: EMFILE accept EMFILE$/)]);
    expect(await (await fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/`)).text()).toBe('fine');
  });
});
