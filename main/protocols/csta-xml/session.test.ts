import { afterEach, describe, expect, it } from 'vitest';
import { CstaSessionError, type CstaEvent } from '../csta/model';
import { bodyText, callIdOf, header, SipEndpoint, type SipConnection, type SipMessage } from '../sip';
import { SipDialogCarrier, SipNotifyCarrier } from './carrier';
import { encodeResponse, type CstaXmlRequest } from './codec';
import { namespaceOf } from './editions';
import { acceptCstaDialog, openCstaDialog, openCstaSession } from './sip-dialog';
import { XmlCstaSwitch, type CstaRequestHandler } from './switch';
import { sampleEvents } from './testing/samples';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const PHONE = 'sip:201@pbx.example.test:5060';
const callEvents = sampleEvents.filter((e) => ['delivered', 'established', 'connectionCleared'].includes(e.name)).slice(0, 3);
const failure = (category: 'operation', error: string) => new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category, error } });

async function endpoint(listen: boolean) {
  const ep = await SipEndpoint.start({ timers: { t1: 20, tryingMs: 30 }, ...(listen ? { user: 'switch', listen: [{ host: '127.0.0.1', port: 0 }] } : { user: 'cti' }) });
  cleanup.push(() => ep.close());
  return ep;
}

/** Every SIP message a connection carries, to check what went over the wire. */
function record(conn: SipConnection, into: SipMessage[]) {
  conn.on('message', (m) => into.push(m));
}

/** A switch on 127.0.0.1 that accepts CSTA dialogs, answers with `handler`, writes ed5; the peer's side comes back. */
async function switchServer(handler: CstaRequestHandler) {
  const ep = await endpoint(true);
  const sides: XmlCstaSwitch[] = [];
  const wire: SipMessage[] = [];
  ep.on('connection', (c) => record(c, wire));
  ep.on('request', (inc) => {
    if (inc.request.method === 'INVITE') sides.push(acceptCstaDialog(ep, inc, (r) => handler(r), { edition: 'ed5' }));
    else inc.respond(405);
  });
  const uri = `sip:${PHONE.slice(4, 7)}@127.0.0.1:${ep.servers[0].port};transport=tcp`;
  return { ep, sides, wire, uri };
}

describe('XmlCstaSession over a SIP INVITE dialog (TCP, 127.0.0.1)', () => {
  it('a client and a server built from this stack exchange MonitorStart and the events of a call inside one dialog', async () => {
    const seen: CstaXmlRequest[] = [];
    const server = await switchServer((r) => {
      seen.push(r);
      if (r.service === 'monitorStart') return { crossRefIdentifier: '0', monitorExistingCalls: true };
      throw failure('operation', 'serviceNotSupported');
    });
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: server.uri, edition: 'ed3' });
    cleanup.push(() => session.close());
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));

    const monitor = await session.invoke('monitorStart', { monitorObject: { device: { id: PHONE } } });
    expect(monitor).toEqual({ crossRefIdentifier: '0', monitorExistingCalls: true });
    expect(seen).toEqual([{ kind: 'request', service: 'monitorStart', args: { monitorObject: { device: { id: PHONE } } } }]);
    for (const e of callEvents) await server.sides[0].sendEvent(e);
    expect(events).toEqual(callEvents);

    // one dialog carried it all: the INVITE with RequestSystemStatus, INFO MonitorStart (ed3, our edition), three
    // INFO events from the switch (ed5, its edition), each answered 200
    const requests = server.wire.filter((m) => m.kind === 'request') as Extract<SipMessage, { kind: 'request' }>[];
    expect(requests.map((r) => r.method)).toEqual(['INVITE', 'ACK', 'INFO']);
    expect(new Set(server.wire.map(callIdOf)).size).toBe(1);
    expect(header(requests[0], 'Content-Disposition')).toBe('signal;handling=required');
    expect(bodyText(requests[0])).toContain(`<RequestSystemStatus xmlns="${namespaceOf('ed3')}"`);
    expect(bodyText(requests[2])).toContain(`<MonitorStart xmlns="${namespaceOf('ed3')}"><monitorObject><deviceObject>${PHONE}</deviceObject>`);
    const responses = server.wire.filter((m) => m.kind === 'response') as Extract<SipMessage, { kind: 'response' }>[];
    expect(responses.map((r) => `${r.status} ${header(r, 'CSeq')}`)).toEqual(['200 1 INFO', '200 2 INFO', '200 3 INFO']);
    expect(responses.every((r) => bodyText(r) === '')).toBe(true);
    expect(session.open).toBe(true);
  });

  it('gets results and refusals, and the peer reads what the switch side is asked', async () => {
    const server = await switchServer((r) => {
      if (r.service === 'makeCall') return { callingDevice: { callId: '8', device: r.args.callingDevice } };
      if (r.service === 'answerCall') return {};
      throw failure('operation', 'invalidDeviceID');
    });
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: server.uri });
    cleanup.push(() => session.close());
    await expect(session.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301234567' } })).resolves.toEqual({ callingDevice: { callId: '8', device: { id: '201' } } });
    await expect(session.invoke('answerCall', { callToBeAnswered: { callId: '8', device: { id: '201' } } })).resolves.toEqual({});
    await expect(session.invoke('setDoNotDisturb', { device: { id: '999' }, doNotDisturbOn: true })).rejects.toMatchObject({
      code: 'CSTA_UNIVERSAL_FAILURE', details: { service: 'setDoNotDisturb', failure: { category: 'operation', error: 'invalidDeviceID' } },
    });
    // what XML cannot carry never leaves
    await expect(session.invoke('makeCall', { callingDevice: { id: '1', name: 'Reception' }, calledDirectoryNumber: { id: '2' } })).rejects.toMatchObject({ code: 'CSTA_UNSUPPORTED' });
  });

  it('takes a response sent as a request of its own after an empty 200 (the variant some peers use)', async () => {
    const server = await endpoint(true);
    server.on('request', (inc) => {
      const dialog = inc.accept();
      const carrier = new SipDialogCarrier(dialog, server);
      carrier.onInbound((m) => {
        m.reply();
        setTimeout(() => void carrier.send(encodeResponse('getDoNotDisturb', { doNotDisturbOn: true }, 'ed5')), 20);
      });
    });
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: `sip:201@127.0.0.1:${server.servers[0].port};transport=tcp`, inviteBody: 'empty' });
    cleanup.push(() => session.close());
    await expect(session.invoke('getDoNotDisturb', { device: { id: '201' } })).resolves.toEqual({ doNotDisturbOn: true });
  });

  it('answers an unreadable document with 400 and keeps the session; the switch status request is answered', async () => {
    const server = await switchServer(() => ({ crossRefIdentifier: '1' }));
    const client = await endpoint(false);
    const warnings: unknown[] = [];
    const session = await openCstaDialog(client, { uri: server.uri, logger: { warn: (m) => warnings.push(m) } });
    cleanup.push(() => session.close());
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));
    const carrier = server.sides[0].carrier;
    await expect(carrier.send('<DeliveredEvent><monitorCrossRefID>1</monitorCrossRefID>')).rejects.toMatchObject({ code: 'CSTA_REJECTED', details: { cause: 'SIP 400' } });
    await expect(carrier.send('<!DOCTYPE x [<!ENTITY a "b">]><X>&a;</X>')).rejects.toMatchObject({ code: 'CSTA_REJECTED' });
    expect(warnings).toMatchObject([{ code: 'logServers.cstaXmlUnreadable', params: { failure: 'CSTA_XML_MALFORMED' } }, { code: 'logServers.cstaXmlUnreadable', params: { failure: 'CSTA_XML_DOCTYPE' } }]);
    await expect(carrier.send(`<SystemStatus xmlns="${namespaceOf('ed5')}"><systemStatus>normal</systemStatus></SystemStatus>`)).resolves.toContain('<SystemStatusResponse');
    await expect(carrier.send(`<SetMicrophoneMute xmlns="${namespaceOf('ed5')}"/>`)).resolves.toContain('<operation>serviceNotSupported</operation>');
    await server.sides[0].sendEvent(callEvents[0]);
    expect(events).toEqual([callEvents[0]]);
    expect(session.open).toBe(true);
  });

  it('hands device-list segments to onRequest and answers them', async () => {
    const server = await switchServer(() => ({ serviceCrossRefID: 'C1' }));
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: server.uri });
    cleanup.push(() => session.close());
    const got: unknown[] = [];
    session.onRequest((r) => got.push(r));
    await expect(session.invoke('getSwitchingFunctionDevices', {})).resolves.toEqual({ serviceCrossRefID: 'C1' });
    const segment = { serviceCrossRefID: 'C1', lastSegment: true, deviceList: [{ deviceID: { id: PHONE } }] };
    await server.sides[0].sendDevices(segment);
    expect(got).toEqual([{ service: 'switchingFunctionDevices', args: segment }]);
  });

  it('reports the end of the dialog once, and fails what was waiting', async () => {
    let release!: () => void;
    const server = await switchServer(() => new Promise((r) => (release = () => r({})))); // never answers until told
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: server.uri });
    const lost: CstaSessionError[] = [];
    session.onLost((e) => lost.push(e));
    const waiting = session.invoke('holdCall', { callToBeHeld: { callId: '1' } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await server.sides[0].close();
    expect(await waiting).toMatchObject({ code: 'CSTA_CONNECTION_LOST' });
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(lost.map((e) => e.code)).toEqual(['CSTA_CONNECTION_LOST']);
    expect(session.open).toBe(false);
    await expect(session.invoke('holdCall', { callToBeHeld: { callId: '1' } })).rejects.toMatchObject({ code: 'CSTA_NOT_CONNECTED' });
  });

  it('ends with CSTA_KEEPALIVE_TIMEOUT when the peer stops answering the RequestSystemStatus keep-alive', async () => {
    const server = await switchServer(() => new Promise(() => undefined));
    const client = await endpoint(false);
    const session = await openCstaDialog(client, { uri: server.uri, keepAlive: { intervalMs: 100 }, invokeTimeoutMs: 150 });
    cleanup.push(() => session.close());
    const lost = await new Promise<CstaSessionError>((r) => session.onLost(r));
    expect(lost.code).toBe('CSTA_KEEPALIVE_TIMEOUT');
  });

  it('refuses a session whose switch reports a status other than normal, or is not there', async () => {
    const ep = await endpoint(true);
    ep.on('request', (inc) => acceptCstaDialog(ep, inc, () => ({}), { systemStatus: 'disabled' }));
    const client = await endpoint(false);
    await expect(openCstaDialog(client, { uri: `sip:201@127.0.0.1:${ep.servers[0].port};transport=tcp` })).rejects.toMatchObject({ code: 'CSTA_REJECTED', details: { cause: 'disabled' } });
    await expect(openCstaDialog(client, { uri: 'sip:201@127.0.0.1:1;transport=tcp' })).rejects.toMatchObject({ code: 'CSTA_NOT_CONNECTED' });
  });
});

describe('XmlCstaSession over out-of-dialog NOTIFY (Event: uaCSTA)', () => {
  it('carries requests, answers and events in NOTIFYs on one connection', async () => {
    const server = await endpoint(true);
    const wire: SipMessage[] = [];
    let side: XmlCstaSwitch | undefined;
    server.on('connection', (c) => {
      record(c, wire);
      side = new XmlCstaSwitch(new SipNotifyCarrier(server, { uri: 'sip:cti@127.0.0.1', connection: c }), (r) => (r.service === 'monitorStart' ? { crossRefIdentifier: '5' } : {}), { edition: 'ed5' });
    });
    const client = await endpoint(false);
    const session = await openCstaSession(client, { mode: 'notify', uri: `sip:201@127.0.0.1:${server.servers[0].port};transport=tcp`, edition: 'ed4' });
    cleanup.push(() => session.close());
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));
    await expect(session.invoke('monitorStart', { monitorObject: { device: { id: '201' } } })).resolves.toEqual({ crossRefIdentifier: '5' });
    for (const e of callEvents) await side!.sendEvent(e);
    expect(events).toEqual(callEvents);
    const notifies = wire.filter((m) => m.kind === 'request');
    expect(notifies).toHaveLength(1);
    expect(header(notifies[0], 'Event')).toBe('uaCSTA');
    expect(header(notifies[0], 'Content-Type')).toBe('application/csta+xml');
    expect(bodyText(notifies[0])).toContain(namespaceOf('ed4'));
  });
});
