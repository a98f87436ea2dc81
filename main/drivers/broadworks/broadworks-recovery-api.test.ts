// Event loss recovery through the API against the simulator's faults: the event stream or the CTI socket cut
// without a word, subscriptions terminated by the platform, a platform that stops answering — the driver
// re-opens, events flow again, and a call that began while the link was down shows after recovery.
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';

let harness: ApiHarness | undefined;
let sim: BroadWorksSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

const post = (path: string, body?: unknown) => fetch(`${sim!.controlUrl}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

/** A running server-mode instance with the group's lines open, over HTTP or the CTI socket. */
async function running(type: 'http' | 'cti', o: { keepAliveMs?: number; answerTimeoutMs?: number } = {}) {
  sim = await startBroadWorksSim({ users: 4, ctiPort: 0 });
  harness = startApi(undefined, { keepAliveMs: o.keepAliveMs, answerTimeoutMs: o.answerTimeoutMs });
  const { api, events } = harness;
  const { id } = await call(api, 'instances.create', { family: 'broadworks', name: `Recovery ${type}` });
  await call(api, 'instances.update', { id, patch: { connection: { mode: 'server', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: sim.admin.userId, groupUser: '2000@sim.test' } } });
  await call(api, 'instances.setSecret', { id, field: 'password', value: sim.admin.password });
  await call(api, 'lines.discover', { instanceId: id, requestId: 'r' });
  await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r' });
  if (type === 'cti') await call(api, 'instances.update', { id, patch: { connection: { connectionType: 'cti', port: sim.ctiPort }, advanced: { xsiHttpPort: sim.port } } });
  await call(api, 'driver.start', { instanceId: id });
  const status = () => call(api, 'driver.status', { instanceId: id });
  await until(async () => (await status()).lines.open === 4, 'all lines open');
  /** An outside call to `ext`, seen as a `delivered` line event. */
  const ring = async (ext: number, from: string) => {
    const { callId } = (await (await post('/calls', { from, to: String(ext) })).json()) as { callId: string };
    await until(() => events.some((e) => e.event === 'delivered' && e.numbers.calling === from), `the call from ${from}`, 20_000);
    return callId;
  };
  return { api, id, events, status, ring };
}

describe('BroadWorks event loss recovery', () => {
  for (const type of ['http', 'cti'] as const) {
    it(`over ${type.toUpperCase()}: the event transport cut without a word is re-opened and events flow again`, async () => {
      const { status, ring } = await running(type);
      await ring(2001, '0301000001');
      const opened = sim!.xsi.counters.channelsOpened;
      expect(await (await post('/faults/cut-channels')).json()).toEqual({ cut: 1 });
      await until(async () => sim!.xsi.counters.channelsOpened > opened && (await status()).connection.state === 'connected' && (await status()).lines.open === 4, 'reconnected', 20_000);
      await ring(2002, '0301000002');
    });
  }

  it('a SubscriptionTerminatedEvent is answered by subscribing again on the same channel; events keep coming', async () => {
    const { status, ring } = await running('http');
    const opened = sim!.xsi.counters.channelsOpened;
    // Server mode: three group-wide subscriptions.
    expect(await (await post('/faults/terminate-subscriptions')).json()).toEqual({ terminated: 3 });
    await until(() => sim!.xsi.status().subscriptions === 3, 'subscribed again');
    expect(sim!.xsi.counters.channelsOpened).toBe(opened);
    expect((await status()).connection.state).toBe('connected');
    await ring(2003, '0301000003');
  });

  it('workstation mode: the user\'s own subscriptions are made again too', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    harness = startApi();
    const { api, events } = harness;
    const { id } = await call(api, 'instances.create', { family: 'broadworks', name: 'Desk' });
    await call(api, 'instances.update', { id, patch: { connection: { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: '2001@sim.test' } } });
    await call(api, 'instances.setSecret', { id, field: 'password', value: 'secret' });
    await call(api, 'lines.discover', { instanceId: id, requestId: 'w' });
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'w' });
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open');
    expect(sim.xsi.terminateSubscriptions()).toBe(3);
    await until(() => sim!.xsi.status().subscriptions === 3, 'subscribed again');
    await post('/calls', { from: '0302000001', to: '2001' });
    await until(() => events.some((e) => e.event === 'delivered' && e.line === '2001@sim.test'), 'the call after the new subscriptions');
    // Stopping the line removes the subscriptions made again, not only the first ones.
    await call(api, 'driver.stop', { instanceId: id });
    await until(() => sim!.xsi.status().subscriptions === 0, 'unsubscribed');
  });

  for (const type of ['http', 'cti'] as const) {
    it(`over ${type.toUpperCase()}: a platform that stops answering loses the link; a call begun meanwhile shows after recovery`, async () => {
      const { api, id, events, status, ring } = await running(type, { keepAliveMs: 200, answerTimeoutMs: 600 });
      await ring(2000, '0303000000');
      expect(await (await post('/faults', { silent: true })).json()).toMatchObject({ silent: true });
      await until(async () => (await status()).connection.state !== 'connected', 'the unanswered heartbeat noticed', 20_000);
      expect((await status()).connection.lastError?.code).toMatch(/^(LINK_LOST|NO_ANSWER)$/);
      // While the platform is silent, a call begins: no channel carries its events.
      const { callId } = (await (await post('/calls', { from: '0303000001', to: '2001' })).json()) as { callId: string };
      expect(events.some((e) => e.numbers.calling === '0303000001')).toBe(false);
      // A slow platform is still one that answers: the link comes back through the delay.
      await post('/faults', { silent: false, answerDelayMs: 100 });
      await until(async () => (await status()).connection.state === 'connected' && (await status()).lines.open === 4, 'reconnected', 30_000);
      await until(() => events.some((e) => e.event === 'snapshotFound' && e.line === '2001@sim.test'), 'the call found after recovery', 20_000);
      const line = await call(api, 'line.status', { instanceId: id, line: '2001@sim.test' });
      expect(line.calls).toMatchObject([{ state: 'alerting', direction: 'unknown' }]);
      expect(line.calls[0].callId).toBe(callId);
      await post('/faults', { answerDelayMs: 0 });
      await ring(2002, '0303000002');
    });
  }
});
