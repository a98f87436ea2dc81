import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent, CstaSwitchRequest } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { DigestServer, header, Registrar, SipEndpoint, type Binding } from '../../protocols/sip';
import { SimExchange, SimSipPhone, VENDOR_PROFILES, type PhoneVendor } from './phone';

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
    await expect(s.invoke('directedPickupCall', { callToBePickedUp: { callId: '9', device: { id: '202' } }, requestingDevice: { id: '201' } })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    expect(p.requests).toEqual(['getSwitchingFunctionDevices', 'monitorStart', 'monitorStart', 'makeCall', 'snapshotDevice', 'answerCall', 'clearConnection', 'clearConnection', 'directedPickupCall']);
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

  it.each([
    ['auerswald', 'Auerswald COMfortel 2600 IP 2.8D', ['snapshotCall'], ['systemRegister']],
    ['mitel', 'Mitel 6867i/4.1.0.2033', ['systemRegister', 'systemRegisterCancel'], ['snapshotCall']],
    ['yealink', 'Yealink SIP-T46G 28.73.98.4', ['systemRegister', 'snapshotCall'], []],
    ['snom', 'snomD785/10.1.73.14', ['snapshotCall'], ['systemRegister']],
  ] as Array<[PhoneVendor, string, string[], string[]]>)('plays %s: its User-Agent, and it refuses what the vendor lacks (%s)', async (vendor, agent, lacks, has) => {
    const srv = await registrarServer();
    const p = await phone({ mac: `${VENDOR_PROFILES[vendor].oui}000001`, password: 'phones', server: srv.server, vendor });
    expect((await p.register()).status).toBe(200);
    expect(srv.agents.at(-1)).toBe(agent);
    const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
    const args = (service: string) => (service === 'snapshotCall' ? { snapshotObject: { callId: '1', device: { id: '201' } } } : service === 'systemRegisterCancel' ? { sysStatRegisterID: '1' } : { requestTypes: ['switchingFunctionDevicesChanged'] });
    for (const service of [...lacks, 'alternateCall', 'directedPickupCall']) {
      const a = service === 'alternateCall' ? { heldCall: { callId: '1' }, activeCall: { callId: '2' } } : service === 'directedPickupCall' ? { callToBePickedUp: { callId: '1', device: { id: '202' } }, requestingDevice: { id: '201' } } : args(service);
      await expect(s.invoke(service as never, a as never), service).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    }
    const call = await p.ring('0301234567');
    await s.invoke('answerCall', { callToBeAnswered: { callId: call, device: { id: '201' } } });
    await until(() => p.calls.get(call)?.state === 'connected', 'answered');
    for (const service of has) await expect(s.invoke(service as never, args(service) as never), service).resolves.toBeDefined();
  });

  it('runs the call model: consultation, transfer, conference, single-step transfer, deflection, DTMF, DND and forwarding, with their events', async () => {
    const srv = await registrarServer();
    const p = await phone({ mac: '000952000001', password: 'phones', server: srv.server, vendor: 'auerswald' });
    await p.register();
    const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
    const events: CstaEvent[] = [];
    s.onEvent((e) => events.push(e));
    await s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    const seen = (name: string, n = 1) => until(() => events.filter((e) => e.name === name).length >= n, name);

    const first = await p.ring('0301111111');
    await p.connect(first);
    const consult = await s.invoke('consultationCall', { existingCall: { callId: first, device: { id: '201' } }, consultedDevice: { id: '0302222222' } });
    await seen('held');
    await seen('delivered', 2);
    expect(p.calls.get(first)?.state).toBe('held');
    await p.connect(consult.initiatedCall.callId!);
    await s.invoke('transferCall', { heldCall: { callId: first, device: { id: '201' } }, activeCall: consult.initiatedCall });
    await seen('transferred');
    expect(events.find((e) => e.name === 'transferred')).toMatchObject({ transferringDevice: { id: 'sip:201@127.0.0.1' }, transferredToDevice: { id: '0302222222' } });
    expect(p.calls.size).toBe(0);

    const a = await p.ring('0303333333');
    await p.connect(a);
    const b = await s.invoke('consultationCall', { existingCall: { callId: a }, consultedDevice: { id: '0304444444' } });
    await seen('delivered', 4);
    await p.connect(b.initiatedCall.callId!);
    await expect(s.invoke('conferenceCall', { heldCall: { callId: a }, activeCall: b.initiatedCall })).resolves.toMatchObject({ conferenceCall: b.initiatedCall });
    await seen('conferenced');
    expect(events.find((e) => e.name === 'conferenced')).toMatchObject({ addedParty: { id: '0303333333' } });
    await s.invoke('generateDigits', { connectionToSendDigits: b.initiatedCall, charactersToSend: '12#' });
    expect(p.digits.get(b.initiatedCall.callId!)).toBe('12#');
    await s.invoke('singleStepTransferCall', { activeCall: b.initiatedCall, transferredTo: { id: '205' } });
    await seen('transferred', 2);

    const ringing = await p.ring('0305555555');
    await expect(s.invoke('transferCall', { heldCall: { callId: ringing }, activeCall: { callId: ringing } })).rejects.toMatchObject({ details: { failure: { error: 'invalidConnectionID' } } });
    await s.invoke('deflectCall', { callToBeDiverted: { callId: ringing }, newDestination: { id: '209' } });
    await seen('diverted');
    expect(events.find((e) => e.name === 'diverted')).toMatchObject({ newDestination: { id: '209' } });

    await s.invoke('setDoNotDisturb', { device: { id: '201' }, doNotDisturbOn: true });
    await seen('doNotDisturb');
    await expect(s.invoke('getDoNotDisturb', { device: { id: '201' } })).resolves.toMatchObject({ doNotDisturbOn: true });
    await expect(s.invoke('setForwarding', { device: { id: '201' }, forwardingType: 'forwardBusy', activateForward: true })).rejects.toMatchObject({ details: { failure: { error: 'invalidForwardingDestination' } } });
    await s.invoke('setForwarding', { device: { id: '201' }, forwardingType: 'forwardBusy', activateForward: true, forwardDN: { id: '0306666666' } });
    await seen('forwarding');
    await expect(s.invoke('getForwarding', { device: { id: '201' } })).resolves.toMatchObject({ forwardingList: [{ forwardingType: 'forwardBusy', forwardStatus: true, forwardDN: { id: '0306666666' } }] });
  });

  /** Phones 201, 202 (snom) and 203 (Yealink) on one exchange, each controlled and monitored, with its events. */
  async function exchangeOfThree() {
    const srv = await registrarServer();
    const exchange = new SimExchange();
    const parties = [];
    for (const [i, vendor] of (['snom', 'snom', 'yealink'] as PhoneVendor[]).entries()) {
      const p = await phone({ mac: `${VENDOR_PROFILES[vendor].oui}00000${i + 1}`, password: 'phones', server: srv.server, vendor, identities: [String(201 + i)], exchange });
      await p.register();
      const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
      const events: CstaEvent[] = [];
      s.onEvent((e) => events.push(e));
      await s.invoke('monitorStart', { monitorObject: { device: { id: String(201 + i) } } });
      const seen = async (name: string, n = 1) => {
        await until(() => events.filter((e) => e.name === name).length >= n, `${201 + i}: ${name} ×${n}`);
        return events.filter((e) => e.name === name)[n - 1] as CstaEvent & Record<string, unknown>;
      };
      parties.push({ p, s, events, seen, id: p.identities[0] });
    }
    return parties;
  }

  it('calls between phones of one exchange: the called phone rings, both sides see answer, hold, retrieve and clearing', async () => {
    const [a, b] = await exchangeOfThree();
    const made = await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    await expect(a.seen('delivered')).resolves.toMatchObject({ connection: made.callingDevice, calledDevice: { id: '202' }, localConnectionInfo: 'connected' });
    const ringing = await b.seen('delivered');
    expect(ringing).toMatchObject({ alertingDevice: { id: 'sip:202@127.0.0.1' }, callingDevice: { id: 'sip:201@127.0.0.1' }, localConnectionInfo: 'alerting' });
    const bCall = (ringing.connection as { callId: string }).callId;
    expect(b.p.calls.get(bCall)).toMatchObject({ state: 'alerting', direction: 'in' });

    await b.s.invoke('answerCall', { callToBeAnswered: { callId: bCall, device: { id: '202' } } });
    await expect(b.seen('established')).resolves.toMatchObject({ answeringDevice: { id: 'sip:202@127.0.0.1' }, localConnectionInfo: 'connected' });
    await expect(a.seen('established')).resolves.toMatchObject({ establishedConnection: made.callingDevice, answeringDevice: { id: '202' } });

    await a.s.invoke('holdCall', { callToBeHeld: made.callingDevice });
    await expect(a.seen('held')).resolves.toMatchObject({ localConnectionInfo: 'hold' });
    await expect(b.seen('held')).resolves.toMatchObject({ heldConnection: { callId: bCall }, holdingDevice: { id: 'sip:201@127.0.0.1' }, localConnectionInfo: 'connected' });
    await a.s.invoke('retrieveCall', { callToBeRetrieved: made.callingDevice });
    await expect(b.seen('retrieved')).resolves.toMatchObject({ retrievingDevice: { id: 'sip:201@127.0.0.1' } });

    await b.s.invoke('clearConnection', { connectionToBeCleared: { callId: bCall, device: { id: '202' } } });
    await expect(a.seen('connectionCleared')).resolves.toMatchObject({ droppedConnection: made.callingDevice, releasingDevice: { id: 'sip:202@127.0.0.1' } });
    await b.seen('connectionCleared');
    expect(a.p.calls.size + b.p.calls.size).toBe(0);
    // a number no phone of the exchange has is an outside party, as before
    await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301234567' } });
    await a.seen('delivered', 2);
    expect(b.events.filter((e) => e.name === 'delivered')).toHaveLength(1);
  });

  it('calls between phones of one exchange: consultation and transfer join the far parties, conference links all three', async () => {
    const [a, b, c] = await exchangeOfThree();
    const first = await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    await b.seen('delivered');
    await b.p.connect([...b.p.calls.keys()][0]);
    await a.seen('established');
    const consult = await a.s.invoke('consultationCall', { existingCall: first.callingDevice, consultedDevice: { id: '203' } });
    await b.seen('held');
    const cRing = await c.seen('delivered');
    expect(cRing).toMatchObject({ callingDevice: { id: 'sip:201@127.0.0.1' }, alertingDevice: { id: c.id } });
    await c.p.connect((cRing.connection as { callId: string }).callId);
    await a.seen('established', 2);
    await a.s.invoke('transferCall', { heldCall: first.callingDevice, activeCall: consult.initiatedCall });
    await expect(b.seen('transferred')).resolves.toMatchObject({ transferringDevice: { id: 'sip:201@127.0.0.1' }, transferredToDevice: { id: '203' } });
    await c.seen('transferred');
    expect(a.p.calls.size).toBe(0);
    // 202 and 203 now talk to each other: 202 hanging up ends 203's call
    await b.p.hangup([...b.p.calls.keys()][0]);
    await expect(c.seen('connectionCleared')).resolves.toMatchObject({ releasingDevice: { id: 'sip:202@127.0.0.1' }, localConnectionInfo: 'null' });
    expect(c.p.calls.size).toBe(0);

    const again = await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    await b.seen('delivered', 2);
    await a.p.connect(again.callingDevice.callId!);
    await b.seen('established', 2);
    const third = await a.s.invoke('consultationCall', { existingCall: again.callingDevice, consultedDevice: { id: '203' } });
    await c.seen('delivered', 2);
    await a.p.connect(third.initiatedCall.callId!);
    await c.seen('established', 2);
    await a.s.invoke('conferenceCall', { heldCall: again.callingDevice, activeCall: third.initiatedCall });
    await expect(b.seen('conferenced')).resolves.toMatchObject({ conferencingDevice: { id: 'sip:201@127.0.0.1' } });
    await c.seen('conferenced');
    // one leaving a conference clears its connection only
    await b.p.hangup([...b.p.calls.keys()][0]);
    await expect(c.seen('connectionCleared', 2)).resolves.toMatchObject({ droppedConnection: { device: { id: 'sip:202@127.0.0.1' } }, localConnectionInfo: 'connected' });
    await a.seen('connectionCleared');
    expect(c.p.calls.size).toBe(1);
    await a.p.hangup(third.initiatedCall.callId!);
    await expect(c.seen('connectionCleared', 3)).resolves.toMatchObject({ localConnectionInfo: 'null' });
    expect(c.p.calls.size).toBe(0);
  });

  it('calls between phones of one exchange: DND refuses, immediate forwarding and deflection ring the other phone', async () => {
    const [a, b, c] = await exchangeOfThree();
    await b.s.invoke('setDoNotDisturb', { device: { id: '202' }, doNotDisturbOn: true });
    const refused = await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    await expect(a.seen('failed')).resolves.toMatchObject({ failedConnection: refused.callingDevice, cause: 'doNotDisturb' });
    expect(b.p.calls.size).toBe(0);
    await a.p.hangup(refused.callingDevice.callId!);
    await b.s.invoke('setDoNotDisturb', { device: { id: '202' }, doNotDisturbOn: false });

    await b.s.invoke('setForwarding', { device: { id: '202' }, forwardingType: 'forwardImmediate', activateForward: true, forwardDN: { id: '203' } });
    await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    await expect(c.seen('delivered')).resolves.toMatchObject({ callingDevice: { id: 'sip:201@127.0.0.1' } });
    expect(b.p.calls.size).toBe(0);
    await b.s.invoke('setForwarding', { device: { id: '202' }, forwardingType: 'forwardImmediate', activateForward: false });

    const third = await a.s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    const ringing = await b.seen('delivered');
    await b.s.invoke('deflectCall', { callToBeDiverted: ringing.connection as never, newDestination: { id: '203' } });
    await expect(a.seen('diverted')).resolves.toMatchObject({ connection: { callId: third.callingDevice.callId }, newDestination: { id: '203' } });
    await c.seen('delivered', 2);
    expect(b.p.calls.size).toBe(0);
    const cCall = [...c.p.calls.values()].find((x) => x.links[0]?.callId === third.callingDevice.callId);
    await c.p.connect(cCall!.id);
    await expect(a.seen('established')).resolves.toMatchObject({ establishedConnection: third.callingDevice });
  });

  it('faults: a dropped connection removes the registration, unplugging unregisters', async () => {
    const srv = await registrarServer();
    const p = await phone({ mac: '00085d000001', password: 'phones', server: srv.server, vendor: 'mitel' });
    await p.register();
    const s = await dialogTo(srv.ep, srv.registrar.lookup(p.mac)[0]);
    const lost = new Promise((r) => s.onLost(r));
    await p.dropConnection();
    await expect(lost).resolves.toMatchObject({ code: 'CSTA_CONNECTION_LOST' });
    await until(() => srv.registrar.lookup(p.mac).length === 0, 'binding gone with its connection');
    expect((await p.register()).status).toBe(200);
    expect(srv.registrar.lookup(p.mac)).toHaveLength(1);
    await p.unplug();
    expect(srv.registrar.lookup(p.mac)).toEqual([]);
  });
});
