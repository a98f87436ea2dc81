import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestServer } from './digest';
import type { Dialog } from './dialog';
import { SipEndpoint, type SipEndpointOptions } from './endpoint';
import type { SipError } from './errors';
import type { IncomingRequest } from './incoming';
import { bodyText, header, headerValues, serializeMessage, type SipRequest } from './message';
import { SipStreamParser } from './parser';

const MONITOR_START = '<?xml version="1.0" encoding="utf-8"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>201</deviceObject></monitorObject></MonitorStart>';
const MONITOR_START_RESPONSE = '<?xml version="1.0" encoding="utf-8"?><MonitorStartResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><monitorCrossRefID>0</monitorCrossRefID></MonitorStartResponse>';
const CSTA = 'application/csta+xml';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function endpoint(o: SipEndpointOptions = {}) {
  const ep = await SipEndpoint.start({ timers: { t1: 20, tryingMs: 30 }, ...o });
  cleanup.push(() => ep.close());
  return ep;
}
const server = (o: SipEndpointOptions = {}) => endpoint({ user: 'uacsta', listen: [{ host: '127.0.0.1', port: 0 }], ...o });
const uriOf = (ep: SipEndpoint, user = 'phone') => `sip:${user}@127.0.0.1:${ep.servers[0].port};transport=tcp`;
const nextRequest = (ep: SipEndpoint | Dialog) => new Promise<IncomingRequest>((r) => (ep as SipEndpoint).once('request', r));

describe('SIP endpoint: transactions', () => {
  it('answers OPTIONS by default with what it allows', async () => {
    const s = await server();
    const c = await endpoint();
    const res = await c.request({ method: 'OPTIONS', uri: uriOf(s) });
    expect(res.status).toBe(200);
    expect(headerValues(res, 'Allow')).toContain('INFO');
  });

  it('ends a request that gets no final answer after Timer F (64 × T1) with a clear error', async () => {
    const s = await server();
    s.on('request', () => undefined);
    const c = await endpoint();
    const t0 = Date.now();
    await expect(c.request({ method: 'MESSAGE', uri: uriOf(s), body: 'hi', contentType: 'text/plain' })).rejects.toMatchObject({
      code: 'SIP_TRANSACTION_TIMEOUT', params: { method: 'MESSAGE', host: '127.0.0.1', port: s.servers[0].port, timeoutMs: 1280 },
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1200);
    expect(c.transactions.size.clients).toBe(0);
    // the server, never told what to answer, has let the request go too
    await new Promise((r) => setTimeout(r, 100));
    expect(s.transactions.size.servers).toBe(0);
  });

  it('ends an INVITE that is never answered finally after Timer B, despite its 100 Trying', async () => {
    const s = await server();
    s.on('request', () => undefined);
    const c = await endpoint();
    await expect(c.invite({ uri: uriOf(s) })).rejects.toMatchObject({ code: 'SIP_TRANSACTION_TIMEOUT', params: { method: 'INVITE', timeoutMs: 1280 } });
    expect(c.dialogCount).toBe(0);
  });

  it('sends 100 Trying for a slow INVITE, and ACKs an error response inside the transaction', async () => {
    const s = await server();
    s.on('request', (inc) => setTimeout(() => inc.respond(486), 100));
    const c = await endpoint();
    const provisional: number[] = [];
    const conn = await c.connectionTo({ host: '127.0.0.1', port: s.servers[0].port });
    const inv = c.invite({ uri: uriOf(s), connection: conn });
    conn.on('message', (m) => m.kind === 'response' && provisional.push(m.status));
    await expect(inv).rejects.toMatchObject({ code: 'SIP_REQUEST_FAILED', params: { method: 'INVITE', status: 486 } });
    expect(provisional).toEqual([100, 486]);
    // the ACK reached the server transaction, which is gone without waiting for Timer H
    await new Promise((r) => setTimeout(r, 50));
    expect(s.transactions.size.servers).toBe(0);
  });

  it('gives up an unacknowledged INVITE error response after Timer H', async () => {
    const s = await server();
    s.on('request', (inc) => inc.respond(603));
    const raw = net.connect({ host: '127.0.0.1', port: s.servers[0].port });
    cleanup.push(() => raw.destroy());
    const parser = new SipStreamParser({ role: 'client' });
    const got = new Promise<number>((r) => raw.on('data', (d) => parser.push(d).forEach((i) => i.type === 'message' && i.message.kind === 'response' && r(i.message.status))));
    raw.write(invite());
    expect(await got).toBe(603);
    expect(s.transactions.size.servers).toBe(1);
    await new Promise((r) => setTimeout(r, 64 * 20 + 200));
    expect(s.transactions.size.servers).toBe(0);
  });

  it('fails pending requests at once when the connection closes', async () => {
    const s = await server();
    s.on('request', (inc) => inc.connection.close());
    const c = await endpoint();
    await expect(c.request({ method: 'INFO', uri: uriOf(s) })).rejects.toMatchObject({ code: 'SIP_CONNECTION_LOST', params: { host: '127.0.0.1' } });
  });

  it('delivers out-of-dialog NOTIFY (Event: uaCSTA), INFO and MESSAGE with their bodies, and carries the answer back', async () => {
    const s = await server();
    const seen: string[] = [];
    s.on('request', (inc) => {
      seen.push(`${inc.request.method} ${header(inc.request, 'Event') ?? '-'} ${bodyText(inc.request).length}`);
      inc.respond(200, { headers: [{ name: 'Content-Type', value: CSTA }], body: MONITOR_START_RESPONSE });
    });
    const c = await endpoint();
    for (const method of ['NOTIFY', 'INFO', 'MESSAGE']) {
      const res = await c.request({ method, uri: uriOf(s), body: MONITOR_START, contentType: CSTA, headers: method === 'NOTIFY' ? [{ name: 'Event', value: 'uaCSTA' }, { name: 'Subscription-State', value: 'active' }] : [] });
      expect(bodyText(res)).toBe(MONITOR_START_RESPONSE);
    }
    expect(seen).toEqual([`NOTIFY uaCSTA ${MONITOR_START.length}`, `INFO - ${MONITOR_START.length}`, `MESSAGE - ${MONITOR_START.length}`]);
  });
});

describe('SIP endpoint: dialogs', () => {
  it('opens an INVITE dialog with a CSTA body, carries INFO both ways inside it, and ends it with BYE', async () => {
    const s = await server();
    const phoneDialog = new Promise<Dialog>((resolve) =>
      s.on('request', (inc) => {
        expect(bodyText(inc.request)).toContain('MonitorStart');
        resolve(inc.accept({ body: MONITOR_START_RESPONSE, contentType: CSTA }));
      }),
    );
    const c = await endpoint();
    const { dialog, response } = await c.invite({ uri: uriOf(s), body: MONITOR_START, contentType: CSTA, headers: [{ name: 'Content-Disposition', value: 'signal;handling=required' }] });
    expect(bodyText(response)).toBe(MONITOR_START_RESPONSE);
    const phone = await phoneDialog;
    expect(await new Promise((r) => (phone.s.remoteSeq ? phone.once('ack', () => r('ack')) : r('ack')))).toBe('ack');

    // server → phone INFO, answer in the 200
    phone.once('request', (inc) => inc.respond(200, { headers: [{ name: 'Content-Type', value: CSTA }], body: '<MakeCallResponse/>' }));
    const r1 = await dialog.request('INFO', { body: '<MakeCall/>', contentType: CSTA });
    expect(bodyText(r1)).toBe('<MakeCallResponse/>');
    // phone → server event INFO
    const ev = new Promise<string>((r) => dialog.once('request', (inc) => (r(bodyText(inc.request)), inc.respond(200))));
    expect((await phone.request('INFO', { body: '<DeliveredEvent/>', contentType: CSTA })).status).toBe(200);
    expect(await ev).toBe('<DeliveredEvent/>');
    expect(dialog.s.localSeq).toBe(2);

    const ended = new Promise((r) => phone.once('terminated', r));
    await dialog.bye();
    await ended;
    expect(phone.state).toBe('terminated');
    expect(s.dialogCount + c.dialogCount).toBe(0);
  });

  it('refuses a request in a dialog whose CSeq is not above the last one with 500', async () => {
    const s = await server();
    s.on('request', (inc) => inc.accept());
    const c = await endpoint();
    const { dialog } = await c.invite({ uri: uriOf(s) });
    const replay = (seq: number): SipRequest => ({
      kind: 'request', method: 'INFO', uri: dialog.s.remoteTarget, body: new Uint8Array(0),
      headers: [
        { name: 'Via', value: `SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-replay-${seq}` },
        { name: 'From', value: `${dialog.s.localUri};tag=${dialog.s.localTag}` },
        { name: 'To', value: `${dialog.s.remoteUri};tag=${dialog.s.remoteTag}` },
        { name: 'Call-ID', value: dialog.s.callId },
        { name: 'CSeq', value: `${seq} INFO` },
      ],
    });
    expect((await c.forward(dialog.connection, replay(1))).status).toBe(500);
    expect((await c.forward(dialog.connection, replay(2))).status).toBe(200);
    expect((await c.forward(dialog.connection, replay(2))).status).toBe(500);
  });

  it('answers a request in a dialog it does not know with 481', async () => {
    const s = await server();
    const c = await endpoint();
    const res = await c.request({ method: 'INFO', uri: uriOf(s), to: `<${uriOf(s)}>;tag=unknown` });
    expect(res.status).toBe(481);
  });

  it('ends the dialog on both sides when its connection drops', async () => {
    const s = await server();
    s.on('request', (inc) => inc.accept());
    const c = await endpoint();
    const { dialog } = await c.invite({ uri: uriOf(s) });
    const why = new Promise<SipError | undefined>((r) => dialog.once('terminated', r));
    for (const l of s.servers) for (const conn of l.connections) conn.close();
    expect(await why).toMatchObject({ code: 'SIP_CONNECTION_LOST' });
    await expect(dialog.request('INFO')).rejects.toMatchObject({ code: 'SIP_DIALOG_GONE' });
  });
});

describe('SIP endpoint: digest and connection reuse', () => {
  const passwords: Record<string, string> = { '000413aabbcc': 's3cret' };

  it('answers a digest challenge to INVITE and INFO once, with SHA-256 when offered', async () => {
    const digest = new DigestServer({ realm: 'phone' });
    const s = await server();
    const authorizations: string[] = [];
    s.on('request', (inc) => {
      if (!inc.authenticate(digest, (u) => passwords[u])) return;
      authorizations.push(header(inc.request, 'Authorization') ?? '');
      inc.accept();
    });
    const c = await endpoint({ credentials: { user: '000413aabbcc', password: 's3cret' } });
    const { dialog } = await c.invite({ uri: uriOf(s) });
    expect(dialog.state).toBe('confirmed');
    expect(authorizations[0]).toMatch(/algorithm=SHA-256/);
    const wrong = await endpoint({ credentials: { user: '000413aabbcc', password: 'nope' } });
    await expect(wrong.invite({ uri: uriOf(s) })).rejects.toMatchObject({ params: { status: 401 } });
  });

  it('retries with a fresh nonce when the server says stale=true, without failing', async () => {
    let now = 1_000_000;
    const digest = new DigestServer({ realm: 'r', nonceTtlMs: 1000, now: () => now });
    const s = await server();
    const seen: number[] = [];
    s.on('request', (inc) => {
      const user = inc.authenticate(digest, (u) => passwords[u]);
      seen.push(inc.answered && !user ? 401 : 200);
      // the nonce just issued expires before the client answers it
      if (seen.length === 1) now += 5000;
      if (user) inc.respond(200);
    });
    const c = await endpoint({ credentials: { user: '000413aabbcc', password: 's3cret' } });
    expect((await c.request({ method: 'MESSAGE', uri: uriOf(s) })).status).toBe(200);
    expect(seen).toEqual([401, 401, 200]);
  });

  it('sends requests to a peer over the connection the peer opened (Via alias, RFC 5923)', async () => {
    const s = await server();
    const c = await endpoint();
    const first = nextRequest(s);
    const opts = c.request({ method: 'OPTIONS', uri: uriOf(s) });
    const inc = await first;
    inc.respond(200);
    await opts;
    const via = (inc.request as SipRequest).headers.find((h) => h.name === 'Via')!.value;
    expect(via).toMatch(/;alias/);
    const [, host, port] = /TCP ([\d.]+):(\d+)/.exec(via)!;
    const back = nextRequest(c);
    const notify = s.request({ method: 'NOTIFY', uri: `sip:linekeeper@${host}:${port};transport=tcp`, headers: [{ name: 'Event', value: 'uaCSTA' }] });
    (await back).respond(200);
    expect((await notify).status).toBe(200);
    expect(s.servers[0].connections.size).toBe(1);
  });

  it('pings its connections (CRLF, RFC 5626) and fails what waits on one whose peer stopped answering', async () => {
    const silent = net.createServer((sock) => sock.on('data', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => silent.close(r)));
    const port = (silent.address() as net.AddressInfo).port;
    const c = await endpoint({ keepAlive: { intervalMs: 50, timeoutMs: 100 } });
    await expect(c.request({ method: 'OPTIONS', uri: `sip:127.0.0.1:${port}` })).rejects.toMatchObject({ code: 'SIP_KEEPALIVE_TIMEOUT', params: { host: '127.0.0.1', port } });
    // a peer that answers the pings keeps the connection
    const s = await server();
    const kept = await endpoint({ keepAlive: { intervalMs: 30, timeoutMs: 100 } });
    const conn = await kept.connectionTo({ host: '127.0.0.1', port: s.servers[0].port });
    await new Promise((r) => setTimeout(r, 300));
    expect(conn.closed).toBe(false);
  });

  it('reports a failing OPTIONS keep-alive', async () => {
    const s = await server();
    const port = s.servers[0].port;
    const c = await endpoint();
    const failure = new Promise<SipError>((r) => {
      const stop = c.optionsKeepAlive({ host: '127.0.0.1', port }, 50, (e) => (stop(), r(e)));
    });
    await new Promise((r) => setTimeout(r, 120));
    await s.close();
    expect(await failure).toMatchObject({ params: { host: '127.0.0.1', port } });
  });
});

function invite(): Buffer {
  return serializeMessage({
    kind: 'request', method: 'INVITE', uri: 'sip:x@127.0.0.1', body: new Uint8Array(0),
    headers: [
      { name: 'Via', value: 'SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-h' },
      { name: 'From', value: '<sip:a@127.0.0.1>;tag=1' },
      { name: 'To', value: '<sip:x@127.0.0.1>' },
      { name: 'Call-ID', value: 'h-1' },
      { name: 'CSeq', value: '1 INVITE' },
    ],
  });
}
