// SIPp (Debian sip-tester) as an independent uaCSTA phone: it registers with its MAC and digest, answers the
// server's CSTA dialog as its own scenario says (checking each request the server sends), reports its identity,
// answers a client's MonitorStart and sends a DeliveredEvent, which reaches the client; unregistering ends it.
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { openCstaDialog } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import { freePort, SCENARIOS, startSipp } from '../../protocols/sip/testing/sipp';
import { UacstaServer } from './server';

const HERE = join(import.meta.dirname, 'testing', 'sipp');
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const until = async (f: () => boolean, what: string, ms = 8000) => {
  for (let t = 0; t < ms && !f(); t += 20) await new Promise((r) => setTimeout(r, 20));
  expect(f(), what).toBe(true);
};

describe('uaCSTA server with SIPp as the phone', () => {
  it('SIPp registers with its MAC, is controlled in the CSTA dialog, its event reaches a client, and unregistering takes it offline', { timeout: 60_000 }, async () => {
    const server = new UacstaServer({
      settings: { phones: { host: '127.0.0.1', tcpPort: 0 }, clients: { host: '127.0.0.1', tcpPort: 0 }, phonePassword: 'phones', clientLogins: [{ user: 'cti', password: 'c' }], autoActivate: true, expirySeconds: 300, keepAliveSeconds: 60, notifyVendors: [] },
      computerName: 'localhost',
    });
    cleanup.push(() => server.close());
    await server.start();
    const portOf = (i: 'phones' | 'clients') => server.status().listening.find((l) => l.interface === i)!.port;
    const sipp = startSipp({
      scenario: relative(SCENARIOS, join(HERE, 'phone-register.xml')),
      remote: `127.0.0.1:${portOf('phones')}`,
      port: await freePort(),
      timeoutS: 30,
      args: ['-s', '0004130a0b0c', '-au', '0004130a0b0c', '-ap', 'phones', '-oocsf', join(HERE, 'phone-csta.xml')],
    });
    cleanup.push(() => sipp.process.kill());
    await until(() => server.phone('0004130a0b0c')?.status === 'controllable', 'SIPp controllable');
    expect(server.phone('0004130a0b0c')).toMatchObject({ type: 'SIPp uaCSTA phone', vendor: 'unknown', identity: 'sip:201@127.0.0.1', dialog: 'open' });

    const ep = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password: 'c' } });
    cleanup.push(() => ep.close());
    const client = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${portOf('clients')};transport=tcp` });
    const events: CstaEvent[] = [];
    client.onEvent((e) => events.push(e));
    const m = await client.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await until(() => events.some((e) => e.name === 'delivered'), 'SIPp\'s DeliveredEvent at the client');
    expect(events[0]).toMatchObject({ name: 'backInService', monitorCrossRefId: m.crossRefIdentifier });
    expect(events.find((e) => e.name === 'delivered')).toMatchObject({ monitorCrossRefId: m.crossRefIdentifier, connection: { callId: '5' }, callingDevice: { id: '0301234567' } });

    const result = await sipp.done;
    expect({ code: result.code, failed: result.failed }, result.log).toEqual({ code: 0, failed: 0 });
    await until(() => server.phone('0004130a0b0c')?.status === 'offline', 'offline after unregistering');
  });
});
