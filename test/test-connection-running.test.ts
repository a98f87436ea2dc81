// "Test connection" on a running instance: the PBX (or a CME's session server port) takes one client, so while
// the form shows the stored settings the running link is the answer; changed values are tried on a link of their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';

let dir: string;
let services: Services;
let api: Dispatch;
let sim: PanasonicSim;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-test-running-'));
  services = createServices({ dataDir: dir, transport: 'websocket', drivers: { connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } } });
  api = createApi(services);
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-101' } });
});
afterEach(async () => {
  await services.dispose();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

it('answers from the running link while the form holds the stored settings, and tries changed ones itself', async () => {
  const { id } = await ok('instances.create', { family: 'panasonic', name: 'Running PBX' });
  await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: sim.tcpPort } } });
  await ok('driver.start', { instanceId: id });
  const stored = (await ok('instances.get', { id })).connection;
  const associations = sim.counters().associations.total;

  const same = await ok('instances.testConnection', { instanceId: id, values: { ...stored } });
  expect(same).toMatchObject({ ok: true, durationMs: 0, error: null });
  expect(sim.counters().associations.total).toBe(associations);

  // A changed field is a different connection: it is tried, and here nothing listens.
  const changed = await ok('instances.testConnection', { instanceId: id, values: { ...stored, port: 1 } });
  expect(changed).toMatchObject({ ok: false, port: 1, error: { code: 'CONNECT_REFUSED' } });
});
