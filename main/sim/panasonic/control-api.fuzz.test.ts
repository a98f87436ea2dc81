import { describe, expect, it } from 'vitest';
import { inWorker } from '../../web/testing/fuzz';
import { startPanasonicSim } from './index';
import { CstaTestClient } from '../../protocols/csta-ber/testing/client';

const REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 100_000);

describe('Panasonic simulator control API under fuzzed input', () => {
  it(`survives ${REQUESTS} random and mutated HTTP requests, then still answers and places calls`, async () => {
    const errors: string[] = [];
    const sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' }, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    try {
      // The client runs in a worker thread, so the server's thread does only the server's work.
      const stats = await inWorker<{ sent: number; wellFormed: number; answered: number }>(new URL('./testing/control-api-fuzzer.ts', import.meta.url), {
        port: sim.controlPort,
        seed: 20261207,
        clients: 3,
        count: REQUESTS,
      });
      expect(stats.sent).toBeGreaterThanOrEqual(REQUESTS);
      // Every well-formed request on a connection that nothing broke got its answer.
      expect(stats.wellFormed).toBeGreaterThan(REQUESTS / 2);
      expect(stats.answered).toBeGreaterThanOrEqual(stats.wellFormed);
      expect(errors).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      const status = await fetch(`${sim.controlUrl}/status`);
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ devices: 10 });
      const cti = await CstaTestClient.connect({ port: sim.tcpPort, autoAck: false });
      expect((await cti.login()).result).toBe(0);
      cti.close();
    } finally {
      await sim.close();
    }
  }, 240_000);
});
