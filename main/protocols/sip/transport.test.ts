import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipError } from './errors';
import { bodyText, createResponse, serializeMessage, type SipMessage, type SipRequest } from './message';
import { connect, SipListener, type SipConnection } from './transport';
import { makeTestCert } from './testing/certs';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function listen(tlsOpts?: { key: string; cert: string }) {
  const l = await SipListener.listen({ host: '127.0.0.1', port: 0, tls: tlsOpts });
  cleanup.push(() => l.close());
  return l;
}

function req(n = 1, body = ''): SipRequest {
  return {
    kind: 'request', method: 'OPTIONS', uri: 'sip:127.0.0.1', body: Buffer.from(body),
    headers: [
      { name: 'Via', value: `SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-${n}` },
      { name: 'From', value: '<sip:a@127.0.0.1>;tag=1' },
      { name: 'To', value: '<sip:b@127.0.0.1>' },
      { name: 'Call-ID', value: `call-${n}` },
      { name: 'CSeq', value: `${n} OPTIONS` },
    ],
  };
}

const next = <T>(c: SipConnection, ev: 'message' | 'close' | 'invalid') => new Promise<T>((r) => c.once(ev, (x: unknown) => r(x as T)));
const accepted = (l: SipListener) => new Promise<SipConnection>((r) => l.once('connection', r));

function rawClient(port: number): Promise<{ sock: net.Socket; read(): Promise<string>; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port }, () => {
      let got = '';
      let wake: (() => void) | undefined;
      sock.on('data', (d) => {
        got += d.toString();
        wake?.();
      });
      const closed = new Promise<void>((r) => sock.on('close', () => r()));
      cleanup.push(() => sock.destroy());
      resolve({
        sock,
        closed,
        read: () => new Promise<string>((r) => {
          const check = () => {
            if (!got.includes('\r\n\r\n')) return void (wake = check);
            r(got);
            got = '';
          };
          check();
        }),
      });
    });
  });
}

/** A listener, a client connected to it, and the server's side of that connection. */
async function pair() {
  const l = await listen();
  const acc = accepted(l);
  const c = await connect({ host: '127.0.0.1', port: l.port });
  cleanup.push(() => c.close());
  return { l, c, server: await acc };
}

describe('SIP connections over TCP', () => {
  it('carries requests and responses both ways on one connection', async () => {
    const { c, server } = await pair();
    const got = next<SipMessage>(server, 'message');
    c.send(req(1, 'hello'));
    const m = (await got) as SipRequest;
    expect(m.method).toBe('OPTIONS');
    expect(bodyText(m)).toBe('hello');
    const back = next<SipMessage>(c, 'message');
    server.send(createResponse(m, 200));
    expect(await back).toMatchObject({ kind: 'response', status: 200 });
  });

  it('answers a malformed request with 400 and its reason, and keeps the connection', async () => {
    const l = await listen();
    const acc = accepted(l);
    const raw = await rawClient(l.port);
    const server = await acc;
    const invalid = next<SipError>(server, 'invalid');
    raw.sock.write(serializeMessage(req()).toString().replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'));
    expect(await raw.read()).toMatch(/^SIP\/2\.0 400 Bad CSeq Header\r\n/);
    expect(await invalid).toMatchObject({ code: 'SIP_BAD_HEADER', params: { header: 'CSeq', host: '127.0.0.1' } });
    const got = next<SipMessage>(server, 'message');
    raw.sock.write(serializeMessage(req(2)));
    expect(await got).toMatchObject({ method: 'OPTIONS' });
    expect(server.closed).toBe(false);
  });

  it('reports a request that cannot be answered (no Call-ID) and keeps the connection', async () => {
    const { c, server } = await pair();
    const invalid = next<SipError>(server, 'invalid');
    const noCallId = req(1);
    noCallId.headers = noCallId.headers.filter((h) => h.name !== 'Call-ID');
    const answered = new Promise((r) => c.once('message', r));
    c.send(noCallId);
    expect(await invalid).toMatchObject({ code: 'SIP_MISSING_HEADER', params: { header: 'Call-ID' } });
    const got = next<SipMessage>(server, 'message');
    c.send(req(2));
    expect(await got).toMatchObject({ method: 'OPTIONS' });
    expect(await Promise.race([answered.then(() => 'answered'), new Promise((r) => setTimeout(() => r('silent'), 50))])).toBe('silent');
  });

  it('closes a connection that leaves a message incomplete, however slowly it trickles', async () => {
    const l = await SipListener.listen({ host: '127.0.0.1', port: 0, messageTimeoutMs: 200 });
    cleanup.push(() => l.close());
    const acc = accepted(l);
    const raw = await rawClient(l.port);
    const server = await acc;
    const closed = next<SipError>(server, 'close');
    const text = serializeMessage(req(1, 'body')).toString();
    let i = 0;
    const drip = setInterval(() => !raw.sock.destroyed && i < text.length - 1 && raw.sock.write(text[i++]), 30);
    cleanup.push(() => clearInterval(drip));
    const t0 = Date.now();
    expect(await closed).toMatchObject({ code: 'SIP_INCOMPLETE_MESSAGE', params: { host: '127.0.0.1', timeoutMs: 200 } });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('closes a connection that sends what is not SIP, with the reason, and leaves the others alone', async () => {
    const l = await listen();
    const acc = accepted(l);
    const bad = await rawClient(l.port);
    const badServer = await acc;
    const good = await connect({ host: '127.0.0.1', port: l.port });
    cleanup.push(() => good.close());
    const closed = next<SipError>(badServer, 'close');
    bad.sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await closed).toMatchObject({ code: 'SIP_BAD_START_LINE' });
    await bad.closed;
    expect(l.connections.size).toBe(1);
    const goodServer = [...l.connections][0];
    const got = next<SipMessage>(goodServer, 'message');
    good.send(req(3));
    expect(await got).toMatchObject({ method: 'OPTIONS' });
  });

  it('survives a message handler that throws', async () => {
    const { c, server } = await pair();
    server.on('message', (m) => {
      if ((m as SipRequest).uri.includes('boom')) throw new Error('handler bug');
    });
    const got = new Promise<SipMessage>((r) => server.on('message', (m) => (m as SipRequest).uri.includes('fine') && r(m)));
    c.send({ ...req(1), uri: 'sip:boom@127.0.0.1' });
    c.send({ ...req(2), uri: 'sip:fine@127.0.0.1' });
    expect(await got).toMatchObject({ uri: 'sip:fine@127.0.0.1' });
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626)', async () => {
    const l = await listen();
    const c = await connect({ host: '127.0.0.1', port: l.port });
    cleanup.push(() => c.close());
    await expect(c.ping(2000)).resolves.toBeUndefined();
    await expect(c.ping(2000)).resolves.toBeUndefined();
  });

  it('closes a connection whose peer stops answering keep-alives, naming host and port', async () => {
    const silent = net.createServer((s) => s.on('data', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => silent.close(r)));
    const port = (silent.address() as net.AddressInfo).port;
    const c = await connect({ host: '127.0.0.1', port, keepAlive: { intervalMs: 50, timeoutMs: 100 } });
    const err = await next<SipError>(c, 'close');
    expect(err).toMatchObject({ code: 'SIP_KEEPALIVE_TIMEOUT', params: { host: '127.0.0.1', port, timeoutMs: 100 } });
  });

  it('reports a refused connection and a port in use with host, port and cause', async () => {
    const l = await listen();
    const port = l.port;
    await l.close();
    await expect(connect({ host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'SIP_CONNECT_FAILED', params: { host: '127.0.0.1', port, cause: 'ECONNREFUSED' } });
    const busy = await listen();
    await expect(SipListener.listen({ host: '127.0.0.1', port: busy.port })).rejects.toMatchObject({ code: 'SIP_CONNECT_FAILED', params: { port: busy.port, cause: 'EADDRINUSE' } });
  });
});

describe('SIP connections over TLS', () => {
  const cert = makeTestCert();

  it('accepts a certificate issued for the host name it connects to', async () => {
    const l = await listen(cert);
    const c = await connect({ host: '127.0.0.1', port: l.port, tls: { ca: cert.cert, servername: 'localhost' } });
    cleanup.push(() => c.close());
    expect(c.transport).toBe('TLS');
    await expect(c.ping(2000)).resolves.toBeUndefined();
  });

  it('refuses a certificate for another name, and a self-signed one it has no CA for', async () => {
    const l = await listen(cert);
    await expect(connect({ host: '127.0.0.1', port: l.port, tls: { ca: cert.cert, servername: 'pbx.example.test' } })).rejects.toMatchObject({
      code: 'SIP_CONNECT_FAILED', params: { host: '127.0.0.1', port: l.port, cause: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
    await expect(connect({ host: '127.0.0.1', port: l.port, tls: { servername: 'localhost' } })).rejects.toMatchObject({ code: 'SIP_CONNECT_FAILED', params: { cause: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
  });

  it('accepts exactly the pinned certificate, whatever its name', async () => {
    const l = await listen(cert);
    const c = await connect({ host: '127.0.0.1', port: l.port, tls: { fingerprint256: cert.fingerprint256.toUpperCase().replace(/(..)(?!$)/g, '$1:') } });
    cleanup.push(() => c.close());
    await expect(c.ping(2000)).resolves.toBeUndefined();
    const other = 'ab'.repeat(32);
    await expect(connect({ host: '127.0.0.1', port: l.port, tls: { fingerprint256: other } })).rejects.toMatchObject({
      code: 'SIP_TLS_PIN_MISMATCH', params: { host: '127.0.0.1', port: l.port, fingerprint: cert.fingerprint256, expected: other },
    });
  });
});
