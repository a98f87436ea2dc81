// The simulator's SIP side under random requests over TCP while its SIP faults change at random (refused
// REGISTER and INVITE, unanswered INFO, dropped registration, ended dialogs): every request gets an answer or,
// with INFO ignored, none; nothing is logged as an error, and afterwards a session server registers, opens a
// dialog and sees a call as before.
import { describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { encodeRequest, openCstaDialog } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import { startCmeSim } from './index';

// REGISTER and INVITE weighted up: they pass the faults; the rest are refused whatever the state.
const METHODS = ['REGISTER', 'REGISTER', 'REGISTER', 'INVITE', 'INVITE', 'INVITE', 'INFO', 'OPTIONS', 'BYE', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE'];
const USERS = ['ss_ecsta', 'ss_ecsta', 'ss_ecsta', 'SS_ECSTA', '2001', '2001', '2900', '9999', 'tel:2001', '', 'x'.repeat(200), '%00'];
const BODIES = ['', '<RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"/>', '<GetCSTAFeatures/>', '<MonitorStart><monitorObject><deviceObject>2001</deviceObject></monitorObject></MonitorStart>', '<x', 'not xml'];
const EXPIRES = ['0', '1', '59', '60', '600', '3600', '99999999999', '-1', 'abc'];

describe('CME simulator SIP side under random requests and faults', () => {
  it('answers or (INFO ignored) stays silent, never fails, and still works afterwards', async () => {
    const errors: string[] = [];
    const sim = await startCmeSim({ phones: 4, sip: { port: 0 }, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    const ep = await SipEndpoint.start({ user: 'ss_ecsta', listen: [{ host: '127.0.0.1', port: 0 }], timers: { t1: 10 } });
    const sip = sim.sip!;
    const target = { host: '127.0.0.1', port: sip.port, transport: 'TCP' as const };
    try {
      // mulberry32: the picks of one step must not follow from each other.
      let seed = 11;
      const rand = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return (((x ^ (x >>> 14)) >>> 0) / 4294967296) * n | 0;
      };
      const pick = <T,>(xs: readonly T[]) => xs[rand(xs.length)];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        switch (rand(12)) {
          case 0: sip.faults.refuseRegister = rand(3); break;
          case 1: sip.faults.refuseInvite = rand(3); break;
          case 2: sip.faults.ignoreInfo = rand(4) === 0; break;
          case 3: await sip.dropRegistration(); break;
          case 4: await sip.endDialogs(); break;
        }
        const method = pick(METHODS);
        const user = pick(USERS);
        const body = pick(BODIES);
        const r = await ep
          .request({ method, uri: `sip:${encodeURIComponent(user) || 'cme'}@127.0.0.1:${sip.port};transport=tcp`, target, headers: [{ name: 'Expires', value: pick(EXPIRES) }], ...(body ? { body, contentType: rand(3) ? 'application/csta+xml' : 'text/plain' } : {}) })
          .then((x) => x.status, (e: Error) => e.message);
        if (typeof r === 'number') statuses.set(r, (statuses.get(r) ?? 0) + 1);
        // Now and then a dialog of its own, with random documents in INFO (unanswered while INFO is ignored).
        if (rand(10) === 0) {
          const dialog = await ep.invite({ uri: `sip:${pick(['ss_ecsta', '2001'])}@127.0.0.1:${sip.port};transport=tcp`, target, body: pick(BODIES) || undefined, contentType: 'application/csta+xml' }).then((x) => x.dialog, () => undefined);
          for (let k = 0; dialog && k < 3; k++) {
            const info = await dialog.request('INFO', { body: pick(BODIES) || '<x/>', contentType: 'application/csta+xml' }).then((x) => x.status, () => 0);
            if (info) statuses.set(info, (statuses.get(info) ?? 0) + 1);
          }
          await dialog?.bye();
        }
      }
      expect(statuses.get(500)).toBeUndefined();
      expect([...statuses.keys()].every((s) => s >= 200 && s < 700)).toBe(true);
      expect(errors).toEqual([]);

      // Faults off: registration, dialog, capability exchange, monitor and a call as usual.
      Object.assign(sip.faults, { refuseRegister: 0, refuseInvite: 0, ignoreInfo: false, withhold: [] });
      const reg = await ep.register({ registrar: `sip:127.0.0.1:${sip.port};transport=tcp`, aor: 'sip:ss_ecsta@127.0.0.1', expires: 600, target });
      expect(reg.status).toBe(200);
      const session = await openCstaDialog(ep, { uri: `sip:ss_ecsta@127.0.0.1:${sip.port};transport=tcp`, from: 'sip:ss_ecsta@127.0.0.1' });
      expect((await session.invoke('getCSTAFeatures', {})).services).toContain('makeCall');
      const events: CstaEvent[] = [];
      session.onEvent((e) => events.push(e));
      await session.invoke('monitorStart', { monitorObject: { device: { id: '2001' } } });
      sip.placeCall('0301234', '2001');
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.map((e) => e.name)).toContain('delivered');
      expect(encodeRequest('getCSTAFeatures', {}, 'ed3')).toContain('GetCSTAFeatures');
      await session.close();
    } finally {
      await ep.close();
      await sim.close();
    }
  }, 120_000);
});
