// Re-registration after the CME drops the session server, through the API against the simulator over SIP/TCP:
// the CME forgets the registration (and clears its CTI sessions), refuses REGISTERs for a while, ends the dialogs,
// or refuses the renewal; it refuses the INVITE or stops answering INFO. Each time the link is reported lost (the
// link history says why), the driver registers again, reopens its dialog and monitors, and call events flow again.
import { describe, expect, it } from 'vitest';
import { startCmeSim } from '../../sim/cme';
import { call, startApi, until } from '../testing/api-harness';
import { apiAndSimPerTest } from './testing/api-sim';
import { freePort } from '../shared/free-port';

const t = apiAndSimPerTest();

const post = (path: string, body: unknown = {}) => fetch(`${t.sim!.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

/** A running CME instance with its lines open; `defaults` shorten the driver's timings. */
async function running(defaults?: Record<string, unknown>): Promise<{ id: string; lines: number }> {
  t.sim = await startCmeSim({ phones: 4, sip: { port: 0 } });
  t.harness = startApi(undefined, defaults);
  const { api } = t.harness;
  const { id } = await call(api, 'instances.create', { family: 'cme', name: 'CME' });
  await call(api, 'instances.update', { id, patch: { connection: { host: '127.0.0.1', axlPort: t.sim.port, axlUser: 'cisco', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: t.sim.sip!.port } } });
  await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'cisco' });
  await call(api, 'lines.discover', { instanceId: id, requestId: 'r' });
  const { lineCount } = await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r' });
  await call(api, 'driver.start', { instanceId: id });
  await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === lineCount, 'all lines open');
  return { id, lines: lineCount };
}

/** The link went down with `code` and came back up, and every line is open again with the CME monitoring it. */
async function cameBack(id: string, lines: number, code: string): Promise<void> {
  const { api } = t.harness!;
  const history = async () => (await call(api, 'driver.linkHistory', { instanceId: id })).events as Array<{ kind: string; code?: string }>;
  await until(async () => (await history()).some((e) => e.kind === 'down'), 'the link reported lost');
  expect((await history()).find((e) => e.kind === 'down')).toMatchObject({ code });
  await until(async () => (await history()).at(-1)?.kind === 'up', 'the link back up', 20_000);
  await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === lines && t.sim!.sip!.monitoredNumbers().length === lines, 'every line monitored again', 20_000);
  expect(t.sim!.sip!.registered).toBe(true);
}

/** A call to 2001 reaches its line after the reconnect. */
async function eventsFlow(): Promise<void> {
  const { events } = t.harness!;
  const before = events.length;
  await post('/calls', { from: '0301234', to: '2001' });
  await until(() => events.slice(before).some((e) => e.event === 'delivered' && e.line === '2001|001122000001'), 'the call delivered after the reconnect');
}

describe('CME: re-registration after the CME drops the session server', () => {
  it('the CME forgets the registration and refuses the next REGISTERs: link lost, registered again, monitors back', async () => {
    const { id, lines } = await running();
    const sessions = t.sim!.sip!.sessions;
    expect(await post('/faults', { refuseRegister: 2 })).toMatchObject({ refuseRegister: 2 });
    expect(await post('/sip/drop-registration')).toEqual({ dropped: 1, ended: 1 });
    await cameBack(id, lines, 'LINK_LOST');
    // Both refusals were spent on attempts of the driver, and a new CTI dialog was opened.
    expect(t.sim!.sip!.faults.refuseRegister).toBe(0);
    expect(t.sim!.sip!.sessions).toBe(sessions + 1);
    await eventsFlow();
  }, 60_000);

  it('the CME ends the CTI dialog (clear cti session): the lines go through link lost and come back', async () => {
    const { id, lines } = await running();
    expect(await post('/sip/end-dialogs')).toEqual({ ended: 1 });
    await cameBack(id, lines, 'LINK_LOST');
    await eventsFlow();
  }, 60_000);

  it('a refused renewal of the registration ends the link, and the runtime registers again', async () => {
    // Granted 600 s, renewed after 0.6 s.
    const { id, lines } = await running({ sip: { renewAt: 0.001 } });
    const asked = t.sim!.sip!.lastExpiresAsked;
    await post('/faults', { refuseRegister: 1 });
    await cameBack(id, lines, 'LINK_LOST');
    expect(asked).toBe(600);
    await eventsFlow();
  }, 60_000);

  it('the CME refuses the INVITE of the new dialog twice: the runtime keeps trying until it takes it', async () => {
    const { id, lines } = await running();
    await post('/faults', { refuseInvite: 2 });
    await post('/sip/end-dialogs');
    await cameBack(id, lines, 'LINK_LOST');
    expect(t.sim!.sip!.faults.refuseInvite).toBe(0);
    await eventsFlow();
  }, 60_000);

  it('the CME stops answering INFO: the keep-alive ends the link (NO_ANSWER); once it answers, the lines open again', async () => {
    const { id, lines } = await running({ keepAliveMs: 300, answerTimeoutMs: 1000 });
    await post('/faults', { ignoreInfo: true });
    const history = async () => (await call(t.harness!.api, 'driver.linkHistory', { instanceId: id })).events as Array<{ kind: string; code?: string }>;
    await until(async () => (await history()).some((e) => e.kind === 'down'), 'the hung CME noticed');
    expect((await history()).find((e) => e.kind === 'down')).toMatchObject({ code: 'NO_ANSWER' });
    await post('/faults', { ignoreInfo: false });
    await cameBack(id, lines, 'NO_ANSWER');
    await eventsFlow();
  }, 60_000);
});
