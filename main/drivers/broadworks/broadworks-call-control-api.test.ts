// line.callControl for every BroadWorks operation through the API against the simulator, over the CTI socket: the
// states each operation leaves on the lines as line.status reports them, and the "return to held call" setting.
// Remote Office: set and read back over Xsi-Actions, refused input, and with CTI still over HTTP (the manual:
// HTTP(S) reads lines and sets Remote Office).
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import type { Dispatch } from '../../api';
import { bwInstance } from './testing/api-instance';

let harness: ApiHarness | undefined;
let sim: BroadWorksSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

const U = (ext: number) => `${ext}@sim.test`;

async function running(users: number, defaults?: Parameters<typeof startApi>[1]): Promise<{ api: Dispatch; id: string; s: BroadWorksSim }> {
  sim = await startBroadWorksSim({ users, ctiPort: 0 });
  harness = startApi(undefined, defaults);
  const { api } = harness;
  const { id } = await call(api, 'instances.create', { family: 'broadworks', name: 'Cloud PBX' });
  await call(api, 'instances.update', { id, patch: { connection: { mode: 'server', host: '127.0.0.1', connectionType: 'cti', port: sim.ctiPort, user: sim.admin.userId, groupUser: U(2000) }, advanced: { xsiHttpPort: sim.port } } });
  await call(api, 'instances.setSecret', { id, field: 'password', value: sim.admin.password });
  await call(api, 'lines.discover', { instanceId: id, requestId: 'cc' });
  await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'cc' });
  await call(api, 'driver.start', { instanceId: id });
  await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === users, 'all lines open');
  return { api, id, s: sim };
}

describe('BroadWorks line.callControl through the API', () => {
  it('answer, hold, retrieve, consult, alternate, transfer, redirect, blind transfer and conference', async () => {
    const { api, id, s } = await running(8);
    const calls = async (ext: number) => (await call(api, 'line.status', { instanceId: id, line: U(ext) })).calls as Array<{ callId: string; state: string }>;
    const states = async (ext: number) => (await calls(ext)).map((c) => c.state).sort().join();
    const cc = (ext: number, request: Record<string, unknown>) => call(api, 'line.callControl', { instanceId: id, line: U(ext), request });
    const ringing = async (ext: number) => {
      await until(async () => (await states(ext)).includes('alerting'), `${ext} rings`);
      return (await calls(ext)).find((c) => c.state === 'alerting')!.callId;
    };
    const incoming = async (to: number) => {
      await fetch(`${s.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234567', to: String(to) }) });
      return ringing(to);
    };

    const first = await incoming(2001);
    expect(await cc(2001, { op: 'answer', callId: first })).toEqual({ callId: null });
    await until(async () => (await states(2001)) === 'connected', 'answered');
    await cc(2001, { op: 'hold', callId: first });
    await until(async () => (await states(2001)) === 'held', 'held');
    await cc(2001, { op: 'retrieve', callId: first });
    await until(async () => (await states(2001)) === 'connected', 'retrieved');

    const consult = (await cc(2001, { op: 'consult', callId: first, to: '2002' })).callId as string;
    expect(consult).toMatch(/^callhalf-/);
    await cc(2002, { op: 'answer', callId: await ringing(2002) });
    await until(async () => (await states(2001)) === 'connected,held', 'one held, one talking');
    await cc(2001, { op: 'alternate', heldCallId: first, activeCallId: consult });
    await until(async () => (await calls(2001)).find((c) => c.callId === first)?.state === 'connected', 'swapped');
    expect((await calls(2001)).find((c) => c.callId === consult)?.state).toBe('held');
    await cc(2001, { op: 'transfer', heldCallId: consult, activeCallId: first });
    await until(async () => (await states(2001)) === '', '2001 out of both calls');
    expect(s.xsi.calls.callsOf(U(2002)).map((h) => `${h.state} ${h.remote.address}`)).toEqual(['Active tel:0301234567']);

    // Redirect while ringing, blind transfer while talking.
    const atThree = await incoming(2003);
    await cc(2003, { op: 'redirect', callId: atThree, to: '2004' });
    const atFour = await ringing(2004);
    await until(async () => (await states(2003)) === '', 'gone from 2003');
    await cc(2004, { op: 'answer', callId: atFour });
    await until(async () => (await states(2004)) === 'connected', '2004 talking');
    await cc(2004, { op: 'blindTransfer', callId: atFour, to: '2005' });
    const atFive = await ringing(2005);
    await until(async () => (await states(2004)) === '', 'gone from 2004');

    // Conference: the caller at 2005, a consultation to 2006, then all three together.
    await cc(2005, { op: 'answer', callId: atFive });
    const toSix = (await cc(2005, { op: 'consult', callId: atFive, to: '2006' })).callId as string;
    await cc(2006, { op: 'answer', callId: await ringing(2006) });
    await until(async () => (await states(2005)) === 'connected,held', '2005 consulting');
    expect(await cc(2005, { op: 'conference', heldCallId: atFive, activeCallId: toSix })).toEqual({ callId: atFive });
    await until(async () => (await states(2005)) === 'connected,connected', 'the conference');
    expect(s.xsi.calls.conferenceOf(U(2005)).sort()).toEqual([atFive, toSix].sort());

    // What the platform does not offer says so.
    await expect(cc(2005, { op: 'digits', callId: atFive, digits: '12' })).rejects.toThrow(/NOT_SUPPORTED/);
  });

  it('"return to held call": on, the held call comes back when the consultation ends; off (a settings change), it stays held', async () => {
    const { api, id, s } = await running(3);
    const states = async (ext: number) => ((await call(api, 'line.status', { instanceId: id, line: U(ext) })).calls as Array<{ state: string }>).map((c) => c.state).sort().join();
    const consultAndHangUp = async () => {
      const { callId } = await call(api, 'line.makeCall', { instanceId: id, line: U(2001), number: '0301234' });
      await fetch(`${s.controlUrl}/calls/${callId}/answer`, { method: 'POST' });
      await until(async () => (await states(2001)) === 'connected', 'the far end answered');
      const consult = await call(api, 'line.callControl', { instanceId: id, line: U(2001), request: { op: 'consult', callId, to: '0309999' } });
      await until(async () => (await states(2001)) === 'held,initiated', 'consulting');
      await call(api, 'line.clearCall', { instanceId: id, line: U(2001), callId: consult.callId });
      return callId as string;
    };

    const back = await consultAndHangUp();
    await until(async () => (await states(2001)) === 'connected', 'the held call back');
    await call(api, 'line.clearCall', { instanceId: id, line: U(2001), callId: back });
    await until(async () => (await states(2001)) === '', 'cleared');

    const opened = s.xsi.counters.channelsOpened;
    await call(api, 'instances.update', { id, patch: { advanced: { returnToHeldAfterConsultation: false } } });
    // The changed setting reaches the running link (it reconnects with it).
    await until(async () => s.xsi.counters.channelsOpened === opened + 1 && (await call(api, 'driver.status', { instanceId: id })).lines.open === 3, 'the link with the new setting');
    await consultAndHangUp();
    await until(async () => (await states(2001)) === 'held', 'the consultation gone');
    await new Promise((r) => setTimeout(r, 300));
    expect(await states(2001)).toBe('held');
  });
});

const raw = (api: ApiHarness['api'], method: string, input: unknown) => (api as (m: string, i: unknown) => Promise<unknown>)(method, input);

describe('BroadWorks Remote Office through the API (line.setRemoteOffice, line.features)', () => {
  it('over HTTP: sets it on with a number and off, reads it back with the other features; bad input is refused', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    harness = startApi();
    const { api } = harness;
    const id = await bwInstance(api, 'Cloud', { mode: 'server', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: sim.admin.userId, groupUser: U(2000) }, sim.admin.password, true);
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 3, 'the lines open');
    const line = U(2001);

    expect((await call(api, 'line.features', { instanceId: id, line })).remoteOffice).toEqual({ active: false, number: null });
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: '+4917012345' })).toEqual({ active: true, number: '+4917012345' });
    expect(sim.group.user(line)!.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '+4917012345' });
    expect(await call(api, 'line.features', { instanceId: id, line })).toMatchObject({ doNotDisturb: false, remoteOffice: { active: true, number: '+4917012345' } });
    // Another user's Remote Office stays as it was.
    expect(sim.group.user(U(2002))!.services.remoteOffice.active).toBe(false);

    // Off without a number: the platform keeps the number it has.
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: false })).toEqual({ active: false, number: '+4917012345' });
    expect(sim.group.user(line)!.services.remoteOffice.active).toBe(false);

    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: 'yes', number: '1' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // A number the platform does not take: its refusal, coded, and nothing changed.
    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: 'call me' })).toMatchObject({ ok: false, error: { code: 'REQUEST_REJECTED', details: { status: 400, service: 'services/RemoteOffice' } } });
    expect(sim.group.user(line)!.services.remoteOffice).toEqual({ active: false, remoteOfficeNumber: '+4917012345' });

    // A user without the service: the other features are still read, setting it is the platform's refusal.
    await fetch(`${sim.controlUrl}/users/${U(2002)}/services/remoteOffice`, { method: 'POST', body: JSON.stringify({ assigned: false }) });
    await call(api, 'line.setDoNotDisturb', { instanceId: id, line: U(2002), on: true });
    const without = await call(api, 'line.features', { instanceId: id, line: U(2002) });
    expect(without.doNotDisturb).toBe(true);
    expect(without).not.toHaveProperty('remoteOffice');
    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line: U(2002), active: true, number: '0301' })).toMatchObject({ ok: false, error: { code: 'REQUEST_REJECTED', details: { status: 400 } } });
  });

  it('over the CTI socket: Remote Office is read and set over HTTP, the other features over the socket', async () => {
    // No heartbeat on the socket while the requests are counted.
    const { api, id } = await running(3, { keepAliveMs: 600_000 });
    const line = U(2002);
    const counted = () => ({ http: sim!.xsi.counters.requests - sim!.xsi.counters.ctiRequests, cti: sim!.xsi.counters.ctiRequests });

    let before = counted();
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: '0301234' })).toEqual({ active: true, number: '0301234' });
    // The PUT and the read back, both over HTTP; nothing on the socket.
    expect(counted()).toEqual({ http: before.http + 2, cti: before.cti });
    expect(sim!.group.user(line)!.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '0301234' });

    before = counted();
    expect((await call(api, 'line.features', { instanceId: id, line })).remoteOffice).toEqual({ active: true, number: '0301234' });
    // Do not disturb and the three forwardings over the socket, Remote Office over HTTP.
    expect(counted()).toEqual({ http: before.http + 1, cti: before.cti + 4 });
  });
});
