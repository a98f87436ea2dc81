// The fleet's control API under seeded random requests to its routes (calls from outside, answer, hang up,
// faults, unplug and plug) with random JSON: every one is answered 2xx or a 4xx naming what is wrong, never a 5xx,
// and afterwards every phone plugged in again is controlled and a call from outside still rings.
import { describe, expect, it } from 'vitest';
import { PhoneInterface } from '../../servers/uacsta';
import { startFleetControl } from './control-api';
import { startFleet } from './fleet';

const PHONES = ['000413000001', '000413000002', '000413000003', '000413999999', 'xyz'];
const PATHS = ['/status', '/phones', '/calls', '/nope', ...PHONES.flatMap((m) => [`/phones/${m}`, `/phones/${m}/calls/1/answer`, `/phones/${m}/calls/2/hangup`, `/phones/${m}/calls/999999999/answer`, `/phones/${m}/faults`, `/phones/${m}/drop-connection`, `/phones/${m}/unplug`, `/phones/${m}/plug`, `/phones/${m}/calls/%zz/answer`])];
const VALUES: unknown[] = [null, true, false, 0, 1, -1, 2.5, '', '201', '202', '203', 'sip:202@127.0.0.1', '0301', 'x'.repeat(300), '__proto__', '<x/>', [], {}, ['201'], { a: 1 }];

describe('SIP phone fleet control API under random requests', () => {
  it('answers every request without a 5xx and keeps the fleet working', async () => {
    const errors: string[] = [];
    const server = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones' });
    const fleet = await startFleet({ server: { host: '127.0.0.1', port: server.port }, password: 'phones', count: 3, vendor: 'snom' });
    const control = await startFleetControl(fleet.exchange, '127.0.0.1', 0, { warn() {}, error: (m) => errors.push(m) });
    try {
      let seed = 20;
      const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
      const pick = <T,>(xs: readonly T[]) => xs[rand(xs.length)];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1500; i++) {
        const body: Record<string, unknown> = {};
        for (const k of ['to', 'from', 'unresponsive', 'unplugged', 'device'].filter(() => rand(2) === 0)) body[k] = pick(VALUES);
        const raw = rand(20) === 0 ? '{"to": ' : rand(20) === 0 ? '[1,2]' : JSON.stringify(body);
        const method = pick(['GET', 'POST', 'POST', 'POST', 'PUT']);
        const r = await fetch(`${control.url}${pick(PATHS)}`, { method, body: method === 'GET' || rand(6) === 0 ? undefined : raw });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      expect([...statuses.keys()].filter((s) => !((s >= 200 && s < 300) || (s >= 400 && s < 500)))).toEqual([]);
      expect(statuses.get(200)).toBeGreaterThan(100);
      expect(errors).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      for (const p of fleet.phones) {
        await fetch(`${control.url}/phones/${p.mac}/faults`, { method: 'POST', body: JSON.stringify({ unresponsive: false }) });
        await fetch(`${control.url}/phones/${p.mac}/plug`, { method: 'POST' });
      }
      for (let i = 0; i < 1000 && server.phones().filter((p) => p.status === 'controllable').length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.phones().map((p) => p.status)).toEqual(['controllable', 'controllable', 'controllable']);
      const r = await fetch(`${control.url}/calls`, { method: 'POST', body: JSON.stringify({ from: '0309', to: '203' }) });
      expect(r.status).toBe(200);
      const { callId } = (await r.json()) as { callId: string };
      expect(fleet.phones[2].calls.get(callId)).toMatchObject({ state: 'alerting', peer: '0309' });
    } finally {
      await control.close();
      await fleet.close();
      await server.close();
    }
  }, 180_000);
});
