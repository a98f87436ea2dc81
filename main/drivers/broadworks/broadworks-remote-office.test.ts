// Remote Office (BroadWorks) through the API against the simulator: set and read back over Xsi-Actions, refused
// input, and over the CTI socket still on HTTP (the manual: HTTP(S) reads lines and sets Remote Office).
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import { bwInstance } from './testing/api-instance';

let harness: ApiHarness | undefined;
let sim: BroadWorksSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

const raw = (api: ApiHarness['api'], method: string, input: unknown) => (api as (m: string, i: unknown) => Promise<unknown>)(method, input);

describe('BroadWorks Remote Office through the API', () => {
  it('over HTTP: sets it on with a number and off, reads it back with the other features; bad input is refused', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    harness = startApi();
    const { api } = harness;
    const id = await bwInstance(api, 'Cloud', { mode: 'server', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: sim.admin.userId, groupUser: '2000@sim.test' }, sim.admin.password, true);
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 3, 'the lines open');
    const line = '2001@sim.test';

    expect((await call(api, 'line.features', { instanceId: id, line })).remoteOffice).toEqual({ active: false, number: null });
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: '+4917012345' })).toEqual({ active: true, number: '+4917012345' });
    expect(sim.group.user(line)!.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '+4917012345' });
    expect(await call(api, 'line.features', { instanceId: id, line })).toMatchObject({ doNotDisturb: false, remoteOffice: { active: true, number: '+4917012345' } });
    // Another user's Remote Office stays as it was.
    expect(sim.group.user('2002@sim.test')!.services.remoteOffice.active).toBe(false);

    // Off without a number: the platform keeps the number it has.
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: false })).toEqual({ active: false, number: '+4917012345' });
    expect(sim.group.user(line)!.services.remoteOffice.active).toBe(false);

    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: 'yes', number: '1' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // A number the platform does not take: its refusal, coded, and nothing changed.
    expect(await raw(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: 'call me' })).toMatchObject({ ok: false, error: { code: 'REQUEST_REJECTED', details: { status: 400, service: 'services/RemoteOffice' } } });
    expect(sim.group.user(line)!.services.remoteOffice).toEqual({ active: false, remoteOfficeNumber: '+4917012345' });
  });

  it('over the CTI socket: Remote Office is read and set over HTTP, the other features over the socket', async () => {
    sim = await startBroadWorksSim({ users: 3, ctiPort: 0 });
    // No heartbeat on the socket while the requests are counted.
    harness = startApi(undefined, { keepAliveMs: 600_000 });
    const { api } = harness;
    const id = await bwInstance(api, 'Desk', { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: '2002@sim.test' }, 'secret', true);
    await call(api, 'instances.update', { id, patch: { connection: { connectionType: 'cti', port: sim.ctiPort }, advanced: { xsiHttpPort: sim.port } } });
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open');
    const line = '2002@sim.test';
    const counted = () => ({ http: sim!.xsi.counters.requests - sim!.xsi.counters.ctiRequests, cti: sim!.xsi.counters.ctiRequests });

    let before = counted();
    expect(await call(api, 'line.setRemoteOffice', { instanceId: id, line, active: true, number: '0301234' })).toEqual({ active: true, number: '0301234' });
    // The PUT and the read back, both over HTTP; nothing on the socket.
    expect(counted()).toEqual({ http: before.http + 2, cti: before.cti });
    expect(sim.group.user(line)!.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '0301234' });

    before = counted();
    expect((await call(api, 'line.features', { instanceId: id, line })).remoteOffice).toEqual({ active: true, number: '0301234' });
    // Do not disturb and the three forwardings over the socket, Remote Office over HTTP.
    expect(counted()).toEqual({ http: before.http + 1, cti: before.cti + 4 });
  });
});
