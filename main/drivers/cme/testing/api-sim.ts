// Test support: the API harness and a CME simulator per test, both disposed after each.
import { afterEach } from 'vitest';
import type { CmeSim } from '../../../sim/cme';
import type { Dispatch } from '../../../api';
import { call, type ApiHarness } from '../../testing/api-harness';
import { freePort } from '../../shared/free-port';

export interface ApiAndSim {
  harness: ApiHarness | undefined;
  sim: CmeSim | undefined;
}

export function apiAndSimPerTest(): ApiAndSim {
  const t: ApiAndSim = { harness: undefined, sim: undefined };
  afterEach(async () => {
    await t.harness?.dispose();
    await t.sim?.close();
    t.harness = undefined;
    t.sim = undefined;
  });
  return t;
}

/**
 * Starts an instance on `sim` through the API with one line, the mobility user Ben's 3003 (key `3003|`), logged in
 * as the simulator's default xml user; resolves once the start was asked for (the line opens after).
 */
export async function startBensInstance(api: Dispatch, sim: CmeSim, advanced: Record<string, unknown> = {}): Promise<string> {
  const { id } = await call(api, 'instances.create', { family: 'cme', name: 'CME' });
  const connection = { host: '127.0.0.1', axlPort: sim.port, axlUser: 'cisco', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: sim.sip!.port };
  await call(api, 'instances.update', { id, patch: { connection, advanced } });
  await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'cisco' });
  await call(api, 'lines.add', { instanceId: id, line: { number: '3003', name: 'Ben' } });
  await call(api, 'driver.start', { instanceId: id });
  return id;
}
