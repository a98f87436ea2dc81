import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenerOf, UACSTA_DEFAULT_SETTINGS, type ProvisioningCandidate, type ProvisioningResult, type UacstaStatus } from '../../../shared/api/uacsta';
import { ProvisionablePhone } from '../../sim/sip-phones/web';
import { apiHarness, eventually } from './api-harness';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Services with plug and play on loopback (no multicast), the API over them, the server configured and started. */
async function setup() {
  const { services, call } = apiHarness('lk-prov-', { uacstaPnp: { host: '127.0.0.1', port: 0, group: null } });
  cleanup.push(() => services.dispose());
  await call('uacsta.saveSettings', { settings: { ...UACSTA_DEFAULT_SETTINGS, phone: { lan: '127.0.0.1', tcpPort: 0 }, client: { lan: '127.0.0.1', tcpPort: 0 }, configured: true }, phonePassword: 'phones', clientUser: 'cti', clientPassword: 'c' });
  const started: UacstaStatus = await call('uacsta.start');
  return { services, call, port: listenerOf(started.listening, 'phones')!.port };
}

async function phone(o: Parameters<typeof ProvisionablePhone.start>[0]) {
  const p = await ProvisionablePhone.start(o);
  cleanup.push(() => p.close());
  return p;
}

describe('Manage telephones: provisioning through the phones\' web interface', () => {
  it('finds snom and Yealink phones by address, refuses a wrong web login, provides them so they register, restarts and deletes again', async () => {
    const { services, call, port } = await setup();
    const snom = await phone({ vendor: 'snom', mac: '000413aabb01', identities: ['301'], web: { user: 'admin', password: 'web-secret' } });
    const yealink = await phone({ vendor: 'yealink', mac: '001565aabb02', identities: ['302'], web: { user: 'admin', password: 'web-secret' } });

    // the shipped default login (admin/admin) is refused by these phones
    const refused: ProvisioningCandidate[] = await call('uacsta.provisioning.find', { addresses: [snom.address] });
    expect(refused).toEqual([{ address: snom.address, via: 'address', vendor: 'unknown', problem: expect.objectContaining({ code: 'uacstaProvisioning.loginRefused' }) }]);

    expect(await call('uacsta.provisioning.saveOptions', { webUser: 'admin', webPassword: 'web-secret', transport: 'tcp', restart: false, webPort: 80 })).toEqual({ webUser: 'admin', webPasswordSet: true, transport: 'tcp', restart: false, webPort: 80 });
    expect(await services.secrets.get('uacsta/phone-web-password')).toBe('web-secret');
    const found: ProvisioningCandidate[] = await call('uacsta.provisioning.find', { addresses: [snom.address, yealink.address] });
    expect(found).toEqual([
      { address: snom.address, via: 'address', vendor: 'snom', model: 'snomD785', mac: '000413aabb01', firmware: '10.1.73.14' },
      { address: yealink.address, via: 'address', vendor: 'yealink', model: 'SIP-T46G', mac: '001565aabb02', firmware: '28.73.98.4' },
    ]);

    const provided: ProvisioningResult[] = await call('uacsta.provisioning.provide', { addresses: [snom.address, yealink.address] });
    expect(provided.map((r) => [r.ok, r.mac])).toEqual([[true, '000413aabb01'], [true, '001565aabb02']]);
    for (const p of [snom, yealink]) expect(p.account).toEqual({ host: '127.0.0.1', port, transport: 'tcp', user: p.mac, password: 'phones', csta: true });
    await eventually(async () => ((await call('uacsta.status')) as UacstaStatus).phones.filter((p) => p.status === 'controllable').length === 2, 'both provided phones controllable');

    // with restart on, the phone is restarted after the settings and registers again
    await call('uacsta.provisioning.saveOptions', { webUser: 'admin', transport: 'tcp', restart: true, webPort: 80 });
    expect(await call('uacsta.provisioning.provide', { addresses: [snom.address] })).toEqual([{ address: snom.address, ok: true, mac: '000413aabb01', restarted: true }]);
    expect(snom.restarts).toBe(1);
    await eventually(async () => ((await call('uacsta.phone', { mac: '000413aabb01' })).dialog === 'open'), 'the restarted phone controllable again');

    const removed: ProvisioningResult[] = await call('uacsta.provisioning.remove', { addresses: [yealink.address] });
    expect(removed[0]).toMatchObject({ ok: true, restarted: true });
    expect(yealink.account).toBeUndefined();
    await eventually(async () => ((await call('uacsta.status')) as UacstaStatus).phones.find((p) => p.mac === '001565aabb02')?.status === 'offline', 'the deprovisioned phone offline');
  });

  it('says why an address gives no phone: nothing listens, something else answers, TLS without a TLS port', async () => {
    const { call } = await setup();
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    const web: Server = createServer((_q, s) => s.end('<html>a printer</html>'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => web.close());
    const other = `127.0.0.1:${(web.address() as AddressInfo).port}`;
    const found: ProvisioningCandidate[] = await call('uacsta.provisioning.find', { addresses: [`127.0.0.1:${closedPort}`, other] });
    expect(found.map((c) => c.problem?.code)).toEqual(['uacstaProvisioning.unreachable', 'uacstaProvisioning.notAPhone']);
    expect(found[0].problem!.message).toContain('ECONNREFUSED');
    const results: ProvisioningResult[] = await call('uacsta.provisioning.provide', { addresses: [other] });
    expect(results).toEqual([{ address: other, ok: false, problem: expect.objectContaining({ code: 'uacstaProvisioning.notAPhone' }) }]);

    const snom = await phone({ vendor: 'snom', mac: '000413aabb03' });
    await call('uacsta.provisioning.saveOptions', { webUser: 'admin', transport: 'tls', restart: false, webPort: 80 });
    expect(await call('uacsta.provisioning.provide', { addresses: [snom.address] })).toEqual([{ address: snom.address, ok: false, problem: expect.objectContaining({ code: 'uacstaProvisioning.noTlsPort' }) }]);
    expect(snom.account).toBeUndefined();
  });

  it('finds a snom and a Yealink phone by their plug-and-play SUBSCRIBE and fills the guides and Mitel\'s startup.cfg with this server', async () => {
    const { services, call, port } = await setup();
    // a phone announces itself while the console searches; its web port, where an address names none, is set in
    // the options as an admin would
    const foundByPnp = async (p: ProvisionablePhone) => {
      await call('uacsta.provisioning.saveOptions', { webUser: 'admin', webPassword: 'admin', transport: 'tcp', restart: false, webPort: p.webPort });
      const search = call('uacsta.provisioning.discover', { seconds: 1 });
      await eventually(() => services.uacsta.provisioning.pnpListener !== undefined, 'the plug-and-play listener');
      await p.announce({ host: '127.0.0.1', port: services.uacsta.provisioning.pnpListener!.port });
      return search;
    };
    const snom = await phone({ vendor: 'snom', mac: '000413aabb04' });
    expect(await foundByPnp(snom)).toEqual([{ address: snom.address, via: 'pnp', vendor: 'snom', model: 'snomD785', mac: '000413aabb04', firmware: '10.1.73.14' }]);
    // Yealink's announcement names the vendor "Yealink"; the phone is read through its own web interface
    const yealink = await phone({ vendor: 'yealink', mac: '001565aabb05' });
    expect(await foundByPnp(yealink)).toEqual([{ address: yealink.address, via: 'pnp', vendor: 'yealink', model: 'SIP-T46G', mac: '001565aabb05', firmware: '28.73.98.4' }]);

    const guide = await call('uacsta.provisioning.guide');
    expect(guide).toEqual({ address: '127.0.0.1', port, transport: 'tcp', password: 'phones', mitelStartupCfg: `csta: 1\ncsta proxy: 127.0.0.1\ncsta port: ${port}\ncsta password: phones\n` });
  });
});
