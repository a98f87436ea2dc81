// The CME as the built-in demo PBX (a registry whose demo family is the CME): demo.start makes the instance that
// points at the simulator (XML API and SIP, no password), its lines are read and opened, and a demo call shows.
import { afterEach, describe, expect, it } from 'vitest';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import { cmeFamily } from './family';

let harness: ApiHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('the CME demo', () => {
  it('starts the simulated CME and an instance that discovers, opens its lines and shows a demo call', async () => {
    harness = startApi({ cme: cmeFamily });
    const { api, events } = harness;
    const info = await call(api, 'demo.start', {});
    expect(info).toMatchObject({ running: true, host: '127.0.0.1', devices: 10 });
    expect(await call(api, 'instances.testConnection', { instanceId: info.instanceId })).toMatchObject({ ok: true });
    await call(api, 'lines.discover', { instanceId: info.instanceId, requestId: 'demo' });
    const applied = await call(api, 'lines.applyDiscovery', { instanceId: info.instanceId, requestId: 'demo' });
    expect(applied.lineCount).toBe(12);
    await call(api, 'driver.start', { instanceId: info.instanceId });
    await until(async () => (await call(api, 'driver.status', { instanceId: info.instanceId })).lines.open === 12, 'the demo lines open');
    await call(api, 'demo.placeCall', { from: '0301234', to: '2001' });
    await until(() => events.some((e) => e.event === 'delivered' && e.number === '2001'), 'the demo call at 2001');
    await call(api, 'demo.stop', {});
  });
});
