import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent, CstaSwitchRequest } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import { startServerWithPhones } from '../../sim/sip-phones/testing/server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const until = async (f: () => boolean, what: string, ms = 3000) => {
  for (let t = 0; t < ms && !f(); t += 10) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

/** The server with two controllable simulated phones (201, 202) and two client logins. */
async function setup(userAgents?: string[]) {
  const srv = await startServerWithPhones({ clients: [{ user: 'cti1', password: 'c1' }, { user: 'cti2', password: 'c2' }], reopenMs: 50, userAgents });
  cleanup.push(srv.close);
  return srv;
}

/** A CTI client: registers with its login, opens the CSTA dialog, records events and device lists. */
async function client(port: number, user: string, password: string) {
  const ep = await SipEndpoint.start({ user, credentials: { user, password } });
  cleanup.push(() => ep.close());
  const reg = await ep.register({ registrar: `sip:127.0.0.1:${port};transport=tcp`, aor: `sip:${user}@127.0.0.1`, expires: 300 });
  const open = () => openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${port};transport=tcp` });
  return { ep, reg, open };
}

async function session(port: number, user: string, password: string) {
  const s: XmlCstaSession = await (await client(port, user, password)).open();
  cleanup.push(() => s.close());
  const events: CstaEvent[] = [];
  const requests: CstaSwitchRequest[] = [];
  s.onEvent((e) => events.push(e));
  s.onRequest((r) => requests.push(r));
  return { s, events, requests };
}

describe('uaCSTA server: client interface (TCP, 127.0.0.1)', () => {
  it('refuses a client with a wrong password, at REGISTER and at the INVITE', async () => {
    const { clients } = await setup();
    const c = await client(clients.port, 'cti1', 'wrong');
    expect(c.reg.status).toBe(401);
    await expect(c.open()).rejects.toMatchObject({ code: 'CSTA_REJECTED' });
  });

  it('two clients monitor one line: one monitor in the phone, BackInService to each, requests through, events to both; the phone monitor goes with the last client', async () => {
    const { clients, sims } = await setup();
    const a = await session(clients.port, 'cti1', 'c1');
    const b = await session(clients.port, 'cti2', 'c2');

    const ma = await a.s.invoke('monitorStart', { monitorObject: { device: { id: 'sip:201@127.0.0.1' } } });
    const mb = await b.s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    expect(ma.crossRefIdentifier).not.toBe(mb.crossRefIdentifier);
    await until(() => a.events.length === 1 && b.events.length === 1, 'back in service');
    expect(a.events[0]).toEqual({ category: 'deviceMaintenance', name: 'backInService', monitorCrossRefId: ma.crossRefIdentifier, device: { id: 'sip:201@127.0.0.1' } });
    expect(b.events[0]).toMatchObject({ name: 'backInService', monitorCrossRefId: mb.crossRefIdentifier });
    expect(sims[0].requests.filter((r) => r === 'monitorStart')).toHaveLength(1);
    expect(clients.monitoredLines()).toEqual([{ mac: '000413aabb01', device: 'sip:201@127.0.0.1', clients: 2, monitoredInPhone: true, ownLicence: false }]);

    // a request goes to the phone that owns the device, its result comes back
    const made = await a.s.invoke('makeCall', { callingDevice: { id: 'sip:201@127.0.0.1' }, calledDirectoryNumber: { id: '0301234567' } });
    expect(made.callingDevice).toEqual({ callId: '1', device: { id: 'sip:201@127.0.0.1' } });
    expect(sims[1].requests).not.toContain('makeCall');
    await until(() => a.events.length === 2 && b.events.length === 2, 'delivered to both');
    expect(a.events[1]).toMatchObject({ name: 'delivered', monitorCrossRefId: ma.crossRefIdentifier, calledDevice: { id: '0301234567' } });
    expect(b.events[1]).toMatchObject({ name: 'delivered', monitorCrossRefId: mb.crossRefIdentifier });
    await b.s.invoke('clearConnection', { connectionToBeCleared: { callId: '1', device: { id: '201' } } });
    await until(() => a.events.length === 3 && b.events.length === 3, 'cleared to both');
    expect(a.events[2]).toMatchObject({ name: 'connectionCleared' });

    // the phone's refusal comes back as it is; a device no phone has is out of service
    await expect(a.s.invoke('answerCall', { callToBeAnswered: { callId: '77', device: { id: '201' } } })).rejects.toMatchObject({ details: { failure: { error: 'invalidConnectionID' } } });
    await expect(a.s.invoke('makeCall', { callingDevice: { id: '999' }, calledDirectoryNumber: { id: '1' } })).rejects.toMatchObject({ details: { failure: { error: 'deviceOutOfService' } } });

    await a.s.invoke('monitorStop', { crossRefIdentifier: ma.crossRefIdentifier });
    expect(sims[0].monitors.size).toBe(1);
    await b.s.close();
    await until(() => sims[0].monitors.size === 0, 'phone monitor stopped with the last client');
    expect(sims[0].requests.filter((r) => r === 'monitorStop')).toHaveLength(1);
    expect(clients.monitoredLines()).toEqual([]);
  });

  it('enforces the manual\'s feature tables: refuses what the vendor or its firmware lacks before the phone sees it, emulates AlternateCall with HoldCall and RetrieveCall', async () => {
    const { clients, sims, phones } = await setup(['snomD785/10.1.73.14', 'snom370/8.7.3']);
    expect(phones.phone('000413aabb02')).toMatchObject({ vendor: 'snom', firmware: '8.7.3' });
    const a = await session(clients.port, 'cti1', 'c1');
    await a.s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await until(() => sims[0].monitors.size === 1, 'monitor in the phone');

    await expect(a.s.invoke('directedPickupCall', { callToBePickedUp: { callId: '9', device: { id: '202' } }, requestingDevice: { id: '201' } })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    expect(sims[0].requests).not.toContain('directedPickupCall');
    // DeflectCall needs snom 8.7.4: phone 202 has 8.7.3
    await expect(a.s.invoke('deflectCall', { callToBeDiverted: { callId: '1', device: { id: '202' } }, newDestination: { id: '203' } })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    expect(sims[1].requests).not.toContain('deflectCall');

    // two calls at 201: the first held, the second connected; AlternateCall swaps them
    const first = await sims[0].ring('0301');
    await sims[0].connect(first);
    await a.s.invoke('holdCall', { callToBeHeld: { callId: first, device: { id: '201' } } });
    const second = await sims[0].ring('0302');
    await sims[0].connect(second);
    const before = sims[0].requests.length;
    await expect(a.s.invoke('alternateCall', { heldCall: { callId: first, device: { id: '201' } }, activeCall: { callId: second, device: { id: '201' } } })).resolves.toEqual({});
    expect(sims[0].requests.slice(before)).toEqual(['holdCall', 'retrieveCall']);
    expect([sims[0].calls.get(first)?.state, sims[0].calls.get(second)?.state]).toEqual(['connected', 'held']);
    await until(() => a.events.filter((e) => e.name === 'held').length === 2 && a.events.some((e) => e.name === 'retrieved'), 'held and retrieved events');
  });

  it('lists the controllable phones\' identities, and tells monitoring clients OutOfService and BackInService when a phone\'s dialog drops and comes back', async () => {
    const { clients, sims, phones } = await setup();
    const a = await session(clients.port, 'cti1', 'c1');
    const res = await a.s.invoke('getSwitchingFunctionDevices', {});
    await until(() => a.requests.length === 1, 'device list');
    expect(a.requests[0]).toMatchObject({ service: 'switchingFunctionDevices', args: { serviceCrossRefID: res.serviceCrossRefID, lastSegment: true } });
    const list = (a.requests[0] as Extract<CstaSwitchRequest, { service: 'switchingFunctionDevices' }>).args.deviceList;
    expect(list.map((d) => [d.deviceID.id, d.deviceModelName]).sort()).toEqual([['201', 'snomD785/10.1.73.14'], ['202', 'snomD785/10.1.73.14']]);

    const m = await a.s.invoke('monitorStart', { monitorObject: { device: { id: '202' } } });
    await until(() => a.events.length === 1, 'back in service');
    await sims[1].dropDialogs();
    await until(() => a.events.length >= 2, 'out of service');
    expect(a.events[1]).toEqual({ category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: m.crossRefIdentifier, device: { id: '202' } });
    await until(() => a.events.length >= 3 && phones.phone('000413aabb02')?.status === 'controllable', 'back again');
    expect(a.events[2]).toMatchObject({ name: 'backInService', monitorCrossRefId: m.crossRefIdentifier });
    expect(sims[1].monitors.size).toBe(1);
    // events of the re-opened dialog reach the client
    await sims[1].ring('0307654321');
    await until(() => a.events.length === 4, 'delivered after re-open');
    expect(a.events[3]).toMatchObject({ name: 'delivered', monitorCrossRefId: m.crossRefIdentifier, callingDevice: { id: '0307654321' } });
  });
});
