import { describe, expect, it } from 'vitest';
import { inWorker } from '../../web/testing/fuzz';
import { startBroadWorksSim } from './index';
import { channelSeesCall } from './testing/channel-check';
import { CtiClient } from '../../protocols/xsi/cti';
import type { CtiFraming } from '../../protocols/xsi/cti-framing';

const REQUESTS = Number(process.env.FUZZ_CTI_REQUESTS ?? 10_000);

describe('BroadWorks simulator CTI socket under fuzzed input', () => {
  for (const framing of ['xml', 'length'] as CtiFraming[]) {
    it(`(${framing}) answers every well-framed request of ${REQUESTS} random, odd and damaged ones, then still serves a channel and a call`, async () => {
      const errors: string[] = [];
      const sim = await startBroadWorksSim({ users: 30, ctiPort: 0, ctiFraming: framing, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
      const client = new CtiClient({ host: '127.0.0.1', port: sim.ctiPort!, tls: false, prefix: '', user: sim.admin.userId, password: sim.admin.password, framing: 'auto' });
      try {
        const stats = await inWorker<{ sent: number; wellFormed: number; answered: number }>(new URL('./testing/cti-fuzzer.ts', import.meta.url), { port: sim.ctiPort, seed: 20261207, count: REQUESTS, framing });
        expect(stats.sent).toBeGreaterThanOrEqual(REQUESTS);
        expect(stats.wellFormed).toBeGreaterThan(REQUESTS / 2);
        expect(stats.answered).toBe(stats.wellFormed);
        expect(errors).toEqual([]);

        await client.connect();
        expect(client.framing).toBe(framing);
        const seen = await channelSeesCall(client, sim.controlUrl);
        expect(seen.placed).toBe(200);
        expect(seen.types).toContain('CallReceivedEvent');
      } finally {
        client.close();
        await sim.close();
      }
    }, 240_000);
  }
});
