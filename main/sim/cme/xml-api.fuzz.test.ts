import { describe, expect, it } from 'vitest';
import { inWorker } from '../../web/testing/fuzz';
import { CmeXmlClient, readInventory } from '../../protocols/cme-xml';
import { startCmeSim } from './index';

const REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 100_000);

describe('CME simulator XML API under fuzzed input', () => {
  it(`survives ${REQUESTS} random and mutated HTTP requests, then still serves the inventory`, async () => {
    const errors: string[] = [];
    const sim = await startCmeSim({ phones: 12, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    const client = new CmeXmlClient({ host: '127.0.0.1', port: sim.port, tls: false, user: 'cisco', password: 'cisco' });
    try {
      const stats = await inWorker<{ sent: number; wellFormed: number; answered: number }>(new URL('./testing/xml-fuzzer.ts', import.meta.url), { port: sim.port, seed: 20261207, clients: 3, count: REQUESTS });
      expect(stats.sent).toBeGreaterThanOrEqual(REQUESTS);
      expect(stats.wellFormed).toBeGreaterThan(REQUESTS / 2);
      expect(stats.answered).toBeGreaterThanOrEqual(stats.wellFormed);
      expect(errors).toEqual([]);
      const inv = await readInventory(client);
      expect(inv.phones.length).toBeGreaterThanOrEqual(12);
      // The fuzzer's ISexecCLI lines touch ephone-dns 100-299 only; the phones' own lines are as configured.
      expect(inv.phones[0].buttons[0]).toMatchObject({ button: 1, number: '2001' });
    } finally {
      client.close();
      await sim.close();
    }
  }, 300_000);
});
