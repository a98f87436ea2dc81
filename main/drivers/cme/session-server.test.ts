// The session server's configuration over the XML API against the simulator: ISexecCLI lines (`register-id`,
// `keepalive`, `authenticate register`, both spellings of `cti aware`) change what ISgetSessionServer answers and
// what the registrar takes; the driver reads them and keeps its registration within the keepalive.
import { afterEach, describe, expect, it } from 'vitest';
import { CmeXmlClient, readSessionServers } from '../../protocols/cme-xml';
import { startCmeSim, type CmeSim } from '../../sim/cme';
import { failureOf } from '../testing/failure-of';
import { CmeDriver } from './cme-driver';
import { applyCommands } from './config-helper';
import { CmeSipLink } from './sip-link';

let sim: CmeSim | undefined;
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  await sim?.close();
  sim = undefined;
});

function client(s: CmeSim): CmeXmlClient {
  const c = new CmeXmlClient({ host: '127.0.0.1', port: s.port, tls: false, user: 'cisco', password: 'cisco' });
  cleanup.push(() => c.close());
  return c;
}

function driver(s: CmeSim, sessionServerId: string, password = 'cisco'): CmeDriver {
  const d = new CmeDriver({ host: '127.0.0.1', port: s.port, tls: false, user: 'cisco', password, readLineButtons: false, sip: { localHost: '127.0.0.1', localPort: 0, cmeSipPort: s.sip!.port, sessionServerId } });
  cleanup.push(() => d.close());
  return d;
}

describe('CME session server configuration', () => {
  it('ISexecCLI changes the session servers, authenticate register and the registrar; ISgetSessionServer says so', async () => {
    sim = await startCmeSim({ phones: 2, sip: { port: 0 } });
    const c = client(sim);
    expect(await readSessionServers(c)).toEqual({ servers: [{ tag: '1', registerId: 'ss_ecsta', keepalive: 600 }], authenticateRegister: false });
    const lines = ['voice register session-server 1', ' cti aware', ' register-id ss_lab', ' keepalive 90', 'voice register session-server 2', ' cti-aware', ' register-id ss_two', ' keepalive 120', 'voice register global', ' authenticate register'];
    expect(await applyCommands(c, lines)).toEqual({ ok: true });
    expect(await readSessionServers(c)).toEqual({ servers: [{ tag: '1', registerId: 'ss_lab', keepalive: 90 }, { tag: '2', registerId: 'ss_two', keepalive: 120 }], authenticateRegister: true });
    expect(await applyCommands(c, ['voice register session-server 1', ' keepalive 30'])).toMatchObject({ ok: false, line: 2, error: 'invalid input: keepalive must be 60-3600, got 30' });

    // The old register-id is no session server any more; the new one must log in (authenticate register).
    expect((await failureOf(driver(sim, 'ss_ecsta').connect())).params).toMatchObject({ half: 'sip', status: 404 });
    const wrongDigest = CmeSipLink.open({ cmeHost: '127.0.0.1', cmeSipPort: sim.sip!.port, localHost: '127.0.0.1', localPort: 0, sessionServerId: 'ss_lab', user: 'cisco', password: 'wrong' });
    expect((await failureOf(wrongDigest)).code).toBe('LOGIN_REJECTED');
    await driver(sim, 'ss_lab').connect();
    expect(sim.sip!.registered).toBe(true);
    expect(sim.sip!.registrar.lookup('ss_lab')).toHaveLength(1);

    await applyCommands(c, ['voice register global', ' no authenticate register']);
    expect((await readSessionServers(c)).authenticateRegister).toBe(false);
  });

  it('the driver asks for no more than the keepalive and renews within it; the CME grants no more either', async () => {
    sim = await startCmeSim({ phones: 2, sip: { port: 0 } });
    await applyCommands(client(sim), ['voice register session-server 1', ' keepalive 75']);
    const d = driver(sim, 'ss_ecsta');
    expect(await d.connect()).toMatch(/session server ss_ecsta registered at 127\.0\.0\.1:\d+ for 75 s$/);
    expect(d.sessionServer).toEqual({ keepalive: 75, authenticateRegister: false, configured: true });
    expect(sim.sip!.lastExpiresAsked).toBe(75);
    expect(d.sipLink!.renewInMs).toBeGreaterThan(0);
    expect(d.sipLink!.renewInMs).toBeLessThan(75_000);
    const binding = sim.sip!.registrar.lookup('ss_ecsta')[0];
    expect(binding.expiresAt - binding.registeredAt).toBe(75_000);
  });

  it('with authenticate register and no AXL password the SIP half fails before any REGISTER, naming why', async () => {
    sim = await startCmeSim({ phones: 2, sip: { port: 0, authenticateRegister: true }, password: '' });
    const f = await failureOf(driver(sim, 'ss_ecsta', '').connect());
    expect(f).toMatchObject({ code: 'LOGIN_REJECTED', params: { half: 'sip' } });
    expect(f.message).toContain('authenticate register');
    expect(sim.sip!.lastExpiresAsked).toBeUndefined();
  });
});
