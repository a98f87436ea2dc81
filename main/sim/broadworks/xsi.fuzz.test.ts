import { describe, expect, it } from 'vitest';
import { inWorker } from '../../web/testing/fuzz';
import { startBroadWorksSim } from './index';
import { channelSeesCall } from './testing/channel-check';
import { XsiClient } from '../../protocols/xsi/client';

const REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 100_000);

describe('BroadWorks simulator Xsi port under fuzzed input', () => {
  it(`survives ${REQUESTS} random and mutated HTTP requests, then still serves a channel and a call`, async () => {
    const errors: string[] = [];
    const sim = await startBroadWorksSim({ users: 30, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    const client = new XsiClient({ host: '127.0.0.1', port: sim.port, tls: false, prefix: '', user: sim.admin.userId, password: sim.admin.password });
    try {
      const stats = await inWorker<{ sent: number; wellFormed: number; answered: number }>(new URL('./testing/xsi-fuzzer.ts', import.meta.url), { port: sim.port, seed: 20261207, clients: 3, count: REQUESTS });
      expect(stats.sent).toBeGreaterThanOrEqual(REQUESTS);
      expect(stats.wellFormed).toBeGreaterThan(REQUESTS / 2);
      expect(stats.answered).toBeGreaterThanOrEqual(stats.wellFormed);
      expect(errors).toEqual([]);

      const seen = await channelSeesCall(client, sim.controlUrl);
      expect(seen.placed).toBe(200);
      expect(seen.types).toContain('CallReceivedEvent');
    } finally {
      client.close();
      await sim.close();
    }
  }, 240_000);
});
