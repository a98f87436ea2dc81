// Reconnects through the API against the Panasonic simulator: the history of drops (with cause) and recoveries
// survives a restart of the services, and "reconnect now" does not wait for the back-off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';

const dir = mkdtempSync(join(tmpdir(), 'lk-reconnect-history-'));
const live: Services[] = [];
let sim: PanasonicSim | undefined;
afterEach(async () => {
  for (const s of live.splice(0)) await s.dispose();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): Dispatch {
  // a long back-off: only "reconnect now" brings the link back within the test's wait
  const services = createServices({ dataDir: dir, transport: 'websocket', drivers: { timing: { reconnectInitialMs: 20_000, reconnectMaxMs: 20_000, reconnectJitter: 0 }, connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } } });
  live.push(services);
  return createApi(services);
}

async function ok<T = any>(api: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('"reconnect now" skips the wait, and the drops and recoveries are still listed after a restart', async () => {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-101' } });
  let api = open();
  const { id } = await ok(api, 'instances.create', { family: 'panasonic', name: 'Restarted' });
  await ok(api, 'instances.update', { id, patch: { connection: { host: '127.0.0.1', port: sim.tcpPort } } });
  await ok(api, 'lines.add', { instanceId: id, line: { number: '100', name: '' } });
  expect((await ok(api, 'driver.start', { instanceId: id })).connection.state).toBe('connected');

  sim.setFault({ refuseLogin: true, dropLink: true });
  await waitFor(async () => (await ok(api, 'driver.status', { instanceId: id })).connection.attempts >= 1 && (await ok(api, 'driver.status', { instanceId: id })).connection.state === 'retrying', 'the first failed attempt');
  const waiting = (await ok(api, 'driver.status', { instanceId: id })).connection;
  expect(Date.parse(waiting.nextAttemptAt) - Date.now()).toBeGreaterThan(10_000);
  sim.setFault({ refuseLogin: false });
  expect((await ok(api, 'driver.reconnectNow', { instanceId: id })).connection.state).toBe('connected');

  const before = (await ok(api, 'driver.linkHistory', { instanceId: id })).events;
  expect(before.map((e: { kind: string }) => e.kind)).toEqual(['up', 'down', 'up']);
  expect(before[1]).toMatchObject({ code: 'LINK_LOST' });
  expect(before[2].downMs).toBeGreaterThanOrEqual(0);

  await ok(api, 'driver.stop', { instanceId: id });
  await live.pop()!.dispose();
  api = open();
  expect((await ok(api, 'driver.linkHistory', { instanceId: id })).events.map((e: { kind: string }) => e.kind)).toEqual(['up', 'down', 'up', 'stopped']);
  // a stopped instance has nothing to reconnect
  expect(await (api as any)('driver.reconnectNow', { instanceId: id })).toMatchObject({ ok: false, error: { code: 'NOT_RUNNING' } });
});
