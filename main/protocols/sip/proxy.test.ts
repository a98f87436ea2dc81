import { afterEach, describe, expect, it } from 'vitest';
import type { Dialog } from './dialog';
import { SipEndpoint } from './endpoint';
import { bodyText, headerValues, type SipRequest } from './message';
import { startTestServer } from './testing/server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const MAC = '000413aabbcc';
const CSTA = 'application/csta+xml';

/** A uaCSTA-style server (registrar + proxy), a phone registered over its own connection, and a CTI client. */
async function setup() {
  const srv = await startTestServer({ minExpires: 60 });
  // neither the phone nor the client listens: everything must come over the connections they opened
  const phone = await SipEndpoint.start({ user: MAC });
  const client = await SipEndpoint.start({ user: 'cti' });
  cleanup.push(() => srv.close(), () => phone.close(), () => client.close());
  const { port } = srv;
  const reg = await phone.register({ registrar: `sip:127.0.0.1:${port};transport=tcp`, aor: `sip:${MAC}@127.0.0.1`, expires: 300 });
  expect(reg.status).toBe(200);
  return { server: srv.endpoint, phone, client, port, seenByServer: srv.methods };
}

describe('proxy to registered bindings', () => {
  it('routes an INVITE to the phone over the phone\'s own connection, and the whole dialog through itself', async () => {
    const { server, phone, client, port, seenByServer } = await setup();
    let phoneSide: Dialog | undefined;
    let invite: SipRequest | undefined;
    let acked!: Promise<unknown>;
    phone.on('request', (inc) => {
      invite = inc.request;
      phoneSide = inc.accept({ body: '<RequestSystemStatusResponse/>', contentType: CSTA });
      acked = new Promise((r) => phoneSide!.once('ack', () => r('ack')));
    });
    const { dialog, response } = await client.invite({ uri: `sip:${MAC}@127.0.0.1:${port};transport=tcp`, body: '<RequestSystemStatus/>', contentType: CSTA });
    expect(bodyText(response)).toBe('<RequestSystemStatusResponse/>');
    // the ACK for the 200 is end to end: it reached the phone through the proxy
    expect(await acked).toBe('ack');
    // the phone saw our Record-Route, and the Request-URI rewritten to its Contact
    expect(headerValues(invite!, 'Record-Route')).toEqual([`<sip:127.0.0.1:${port};transport=tcp;lr>`]);
    expect(invite!.uri).toMatch(new RegExp(`^sip:${MAC}@127\\.0\\.0\\.1:\\d+;transport=tcp$`));
    expect(dialog.s.routeSet).toEqual([`<sip:127.0.0.1:${port};transport=tcp;lr>`]);
    expect(server.servers[0].connections.size).toBe(2);

    // client → phone and phone → client INFO, both via the proxy
    const atPhone = new Promise<string>((r) => phoneSide!.once('request', (inc) => (r(bodyText(inc.request)), inc.respond(200, { body: '<MonitorStartResponse/>', headers: [{ name: 'Content-Type', value: CSTA }] }))));
    expect(bodyText(await dialog.request('INFO', { body: '<MonitorStart/>', contentType: CSTA }))).toBe('<MonitorStartResponse/>');
    expect(await atPhone).toBe('<MonitorStart/>');
    const atClient = new Promise<string>((r) => dialog.once('request', (inc) => (r(bodyText(inc.request)), inc.respond(200))));
    expect((await phoneSide!.request('INFO', { body: '<DeliveredEvent/>', contentType: CSTA })).status).toBe(200);
    expect(await atClient).toBe('<DeliveredEvent/>');

    const ended = new Promise((r) => phoneSide!.once('terminated', r));
    await dialog.bye();
    await ended;
    expect(seenByServer).toEqual(['REGISTER', 'INVITE', 'INFO', 'INFO', 'BYE']);
    expect(server.servers[0].connections.size).toBe(2);
    expect(server.dialogCount).toBe(0);
  });

  it('answers 480 for a user with no binding, and relays the phone\'s error response', async () => {
    const { phone, client, port } = await setup();
    const absent = await client.request({ method: 'NOTIFY', uri: `sip:001122334455@127.0.0.1:${port};transport=tcp`, headers: [{ name: 'Event', value: 'uaCSTA' }] });
    expect(absent.status).toBe(480);
    phone.on('request', (inc) => inc.respond(486));
    await expect(client.invite({ uri: `sip:${MAC}@127.0.0.1:${port};transport=tcp` })).rejects.toMatchObject({ params: { status: 486 } });
  });

  it('carries an out-of-dialog NOTIFY with Event: uaCSTA to the phone and its CSTA answer back', async () => {
    const { phone, client, port } = await setup();
    phone.on('request', (inc) => inc.respond(200, { headers: [{ name: 'Content-Type', value: CSTA }], body: `<AnswerCallResponse/>` }));
    const res = await client.request({ method: 'NOTIFY', uri: `sip:${MAC}@127.0.0.1:${port};transport=tcp`, body: '<AnswerCall/>', contentType: CSTA, headers: [{ name: 'Event', value: 'uaCSTA' }, { name: 'Subscription-State', value: 'active' }] });
    expect(res.status).toBe(200);
    expect(bodyText(res)).toBe('<AnswerCallResponse/>');
  });

  it('opens a connection to the Contact when the binding\'s own connection has gone (bindings kept on close)', async () => {
    const srv = await startTestServer({ minExpires: 60, dropWithConnection: false });
    // this phone listens, so its Contact can be reached anew
    const phone = await SipEndpoint.start({ user: MAC, listen: [{ host: '127.0.0.1', port: 0 }] });
    const client = await SipEndpoint.start({ user: 'cti' });
    cleanup.push(() => srv.close(), () => phone.close(), () => client.close());
    expect((await phone.register({ registrar: `sip:127.0.0.1:${srv.port};transport=tcp`, aor: `sip:${MAC}@127.0.0.1`, expires: 300 })).status).toBe(200);
    const first = [...srv.endpoint.servers[0].connections][0];
    const gone = new Promise((r) => first.once('close', r));
    first.close();
    await gone;
    phone.on('request', (inc) => inc.respond(200, { body: '<AnswerCallResponse/>', headers: [{ name: 'Content-Type', value: CSTA }] }));
    const res = await client.request({ method: 'NOTIFY', uri: `sip:${MAC}@127.0.0.1:${srv.port};transport=tcp`, body: '<AnswerCall/>', contentType: CSTA, headers: [{ name: 'Event', value: 'uaCSTA' }] });
    expect(res.status).toBe(200);
    expect(bodyText(res)).toBe('<AnswerCallResponse/>');
    expect(phone.servers[0].connections.size).toBe(1);
  });

  it('refuses a request whose Max-Forwards is used up with 483', async () => {
    const { client, port } = await setup();
    const res = await client.request({ method: 'MESSAGE', uri: `sip:${MAC}@127.0.0.1:${port};transport=tcp`, headers: [{ name: 'Max-Forwards', value: '0' }] });
    expect(res.status).toBe(483);
  });
});
