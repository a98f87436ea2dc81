// The CME simulator's control API under random requests to its routes (mobility, calls, phone actions, faults,
// the session server's registration and CTI dialogs)
// with random JSON: every one is answered with a 2xx or a 4xx naming what is wrong, never a 500, and the
// simulator still serves the XML API and places calls afterwards.
import { describe, expect, it } from 'vitest';
import { startCmeSim } from './index';

const ROUTES = ['/mobility', '/calls', '/calls/1/answer', '/calls/2/clear', '/calls/999999999/answer', '/offhook', '/ephones/1', '/ephones/99', '/faults', '/status', '/sip', '/sip/drop-registration', '/sip/end-dialogs', '/nope'];
const VALUES: unknown[] = [['conferenceCall'], ['x y'], null, true, false, 0, 1, -1, 2.5, 1e9, '', '2001', '2002', '0301', 'anna', 'ben', 'x'.repeat(300), '__proto__', [], {}, ['2001'], { a: 1 }];

describe('CME simulator control API under random requests', () => {
  it('answers every request without a 500 and keeps working', async () => {
    const errors: string[] = [];
    const sim = await startCmeSim({ phones: 5, sip: { port: 0 }, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    try {
      let seed = 5;
      const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
      const pick = <T,>(xs: readonly T[]) => xs[rand(xs.length)];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 800; i++) {
        const body: Record<string, unknown> = {};
        for (const k of ['user', 'ephone', 'from', 'to', 'device', 'registered', 'allLimit', 'isErrorCode', 'serviceEvents', 'refuseCli', 'refuseRegister', 'refuseInvite', 'ignoreInfo', 'withhold'].filter(() => rand(3) === 0)) body[k] = pick(VALUES);
        const raw = rand(20) === 0 ? '{"user": ' : rand(20) === 0 ? '[1,2]' : JSON.stringify(body);
        const get = rand(6) === 0;
        const r = await fetch(`${sim.controlUrl}${pick(ROUTES)}`, { method: get ? 'GET' : 'POST', body: get || rand(6) === 0 ? undefined : raw });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      expect(statuses.get(500)).toBeUndefined();
      expect([...statuses.keys()].every((s) => (s >= 200 && s < 300) || (s >= 400 && s < 500))).toBe(true);
      expect(errors).toEqual([]);
      await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ allLimit: 1000, refuseCli: '' }) });
      const r = await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
      expect(r.status).toBe(200);
      expect(sim.xml.layout.ephones).toHaveLength(5);
    } finally {
      await sim.close();
    }
  }, 120_000);
});
