import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent, CstaSwitchRequest } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { DigestServer, header, Registrar, SipEndpoint, type Binding } from '../../protocols/sip';
import { SimSipPhone } from './phone';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A registrar with digest (one password for every MAC) on 127.0.0.1, and the User-Agents it saw. */
async function registrarServer(password = 'phones') {
  const registrar = new Registrar({ auth: { server: new DigestServer({ realm: 'uacsta' }), password: (u) => (/^[0-9a-f]{12}$/.test(u) ? password : undefined) } });
  const ep = await SipEndpoint.start({ user: 'uacsta', listen: [{ host: '127.0.0.1', port: 0 }], timers: { tryingMs: 50 } });
  cleanup.push(() => registrar.close(), () => ep.close());
  const agents: string[] = [];
  ep.on('request', (inc) => {
    if (inc.request.method !== 'REGISTER') return inc.respond(405);
    agents.push(header(inc.request, 'User-Agent') ?? '');
    registrar.handle(inc);
  });
  return { registrar, ep, agents, server: { host: '127.0.0.1', port: ep.servers[0].port } };
}

async function phone(o: Parameters<typeof SimSipPhone.start>[0]) {
  const p = await SimSipPhone.start(o);
  cleanup.push(() => p.close());
  return p;
}

async function dialogTo(ep: SipEndpoint, b: Binding): Promise<XmlCstaSession> {
  const s = await openCstaDialog(ep, { uri: b.contact, connection: b.connection, to: b.aor });
  cleanup.push(() => s.close());
  return s;
}

const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

describe('simulated uaCSTA SIP phone', () => {
  it('registers with its MAC and digest over TCP, and a wrong password is refused', async () => {
    const srv = await registrarServer();
    const good = await phone({ mac: '00:04:13:AA:BB:CC', password: 'phones', server: srv.server });
    expect((await good.register()).status).toBe(200);
    expect(srv.registrar.lookup('000413aabbcc')).toHaveLength(1);
    expect(srv.agents.at(-1)).toBe('snomD785/10.1.73.14');
    const bad = await phone({ mac: '000413aabbcd', password: 'wrong', server: srv.server });
    expect((await bad.register()).status).toBe(401);
    expect(srv.registrar.lookup('000413aabbcd')).toEqual([]);
  });

  it('accepts the CSTA dialog and answers MonitorStart, GetSwitchingFunctionDevices, MakeCall, SnapshotDevice, AnswerCall and ClearConnection, with the events of its calls', async () => {
    const srv = await registrarServer();
    const p = await phone({ mac: '000413aabbcc', password: 'phones', server: srv.server, identities: ['201', '202'] });
    await p.register();
    const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
    expect(p.controlled).toBe(true);
    const events: CstaEvent[] = [];
    const lists: CstaSwitchRequest[] = [];
    s.onEvent((e) => events.push(e));
    s.onRequest((r) => lists.push(r));

    await expect(s.invoke('getSwitchingFunctionDevices', {})).resolves.toEqual({ serviceCrossRefID: '1' });
    await until(() => lists.length === 1, 'device list');
    expect(lists[0]).toMatchObject({ service: 'switchingFunctionDevices', args: { lastSegment: true, deviceList: [{ deviceID: { id: 'sip:201@127.0.0.1' } }, { deviceID: { id: 'sip:202@127.0.0.1' } }] } });

    const mon = await s.invoke('monitorStart', { monitorObject: { device: { id: 'sip:201@127.0.0.1' } } });
    expect(mon.crossRefIdentifier).toBe('1');
    await expect(s.invoke('monitorStart', { monitorObject: { device: { id: 'sip:999@127.0.0.1' } } })).rejects.toMatchObject({ details: { failure: { error: 'invalidMonitorObject' } } });

    const made = await s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301234567' } });
    expect(made.callingDevice).toEqual({ callId: '1', device: { id: 'sip:201@127.0.0.1' } });
    await until(() => events.length === 1, 'delivered');
    expect(events[0]).toMatchObject({ name: 'delivered', monitorCrossRefId: '1', calledDevice: { id: '0301234567' } });
    await expect(s.invoke('snapshotDevice', { snapshotObject: { id: 'sip:201@127.0.0.1' } })).resolves.toEqual({ calls: [{ connectionIdentifier: { callId: '1', device: { id: 'sip:201@127.0.0.1' } }, localCallState: { compound: ['initiated'] } }] });

    const incoming = await p.ring('0307654321');
    await until(() => events.length === 2, 'incoming delivered');
    expect(events[1]).toMatchObject({ name: 'delivered', connection: { callId: incoming }, callingDevice: { id: '0307654321' }, localConnectionInfo: 'alerting' });
    await s.invoke('answerCall', { callToBeAnswered: { callId: incoming, device: { id: 'sip:201@127.0.0.1' } } });
    await until(() => events.length === 3, 'established');
    expect(events[2]).toMatchObject({ name: 'established', answeringDevice: { id: 'sip:201@127.0.0.1' } });
    await s.invoke('clearConnection', { connectionToBeCleared: { callId: incoming, device: { id: 'sip:201@127.0.0.1' } } });
    await until(() => events.length === 4, 'cleared');
    expect(events[3]).toMatchObject({ name: 'connectionCleared', droppedConnection: { callId: incoming } });
    await expect(s.invoke('clearConnection', { connectionToBeCleared: { callId: incoming, device: { id: '201' } } })).rejects.toMatchObject({ details: { failure: { error: 'invalidConnectionID' } } });
    await expect(s.invoke('setDoNotDisturb', { device: { id: '201' }, doNotDisturbOn: true })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    expect(p.requests).toEqual(['getSwitchingFunctionDevices', 'monitorStart', 'monitorStart', 'makeCall', 'snapshotDevice', 'answerCall', 'clearConnection', 'clearConnection', 'setDoNotDisturb']);
  });

  it('plays Yealink as a variant: its User-Agent and its device IDs with the port', async () => {
    const srv = await registrarServer();
    const p = await phone({ mac: '001565aabbcc', password: 'phones', server: srv.server, vendor: 'yealink' });
    await p.register();
    expect(srv.agents.at(-1)).toBe('Yealink SIP-T46G 28.73.98.4');
    expect(p.identities).toEqual([`sip:201@127.0.0.1:${srv.server.port}`]);
  });

  it('ends the dialog with BYE when told to, and the server side sees it lost', async () => {
    const srv = await registrarServer();
    const p = await phone({ mac: '000413aabbcc', password: 'phones', server: srv.server });
    await p.register();
    const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
    const lost = new Promise((r) => s.onLost(r));
    await p.dropDialogs();
    await expect(lost).resolves.toMatchObject({ code: 'CSTA_CONNECTION_LOST' });
    expect(p.controlled).toBe(false);
  });
});
