// Test support: the API harness and a CME simulator per test, both disposed after each.
import { afterEach } from 'vitest';
import type { CmeSim } from '../../../sim/cme';
import type { ApiHarness } from '../../testing/api-harness';

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
