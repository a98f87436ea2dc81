import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Services } from '../../app/services';
import type { MuxStatus } from '../../../shared/api/mux';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { monitorArg, CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { apiHarness } from './api-harness';
import { readMuxServiceSettings } from '../../services-control/settings';
import { hotelEscapeApdu } from '../../servers/mux/testing/hotel';
import { encodeFrame } from '../../protocols/csta-ber';

let services: Services | undefined;
let sim: PanasonicSim | undefined;
afterEach(async () => {
  await services?.dispose();
  await sim?.close();
  services = undefined;
  sim = undefined;
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** The API over a fresh data directory with a Panasonic simulator to point the multiplexer at; every pushed status kept. */
async function withSim() {
  const h = apiHarness('lk-api-mux-');
  services = h.services;
  sim = await startPanasonicSim({ port: 0 });
  const pushed: MuxStatus[] = [];
  services.bus.on('mux.status', (s) => pushed.push(s));
  return { h, sim, pushed };
}

describe('the Multiplexer page', () => {
  it('starts the multiplexer, shows the PBX link, applications and monitors live, and stops it', async () => {
    const { h, sim, pushed } = await withSim();
    expect(await h.call('mux.status')).toMatchObject({ running: false, applications: [] });

    const started: MuxStatus = await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1' });
    expect(started.running).toBe(true);
    expect(started.warnings).toEqual(['LOGIN_NOT_REQUIRED_ON_TCP', 'DEFAULT_CREDENTIALS']);
    await until(() => pushed.some((s) => s.pbx?.state === 'connected'), 'PBX link state pushed');

    const app = await CstaTestClient.login({ port: started.listening!.tcpPort });
    await app.invoke('monitorStart', monitorArg('100'));
    await until(() => pushed.at(-1)!.applications[0]?.monitors.includes('100') ?? false, 'the application and its monitor pushed');
    const live: MuxStatus = await h.call('mux.status');
    expect(live.applications[0]).toMatchObject({ address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), transport: 'tcp', monitors: ['100'], cdr: false });
    expect(live.pbxMonitors).toBe(1);
    expect(live.counters!.monitorStartsUpstream).toBe(1);
    app.close();

    expect(await h.call('mux.stop')).toMatchObject({ running: false });
    expect(pushed.at(-1)!.running).toBe(false);
  });

  it("shows the application that takes the hotel role as its holder, refuses it to a second one, and frees it when the holder leaves", async () => {
    const { h, sim, pushed } = await withSim();
    const started: MuxStatus = await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1' });
    await until(() => pushed.some((s) => s.pbx?.state === 'connected'), 'the PBX link');
    const port = started.listening!.tcpPort;
    const [hotel, other] = [await CstaTestClient.login({ port }), await CstaTestClient.login({ port })];
    try {
      await until(() => pushed.at(-1)!.applications.length === 2, 'both applications pushed');
      const holders = (s: MuxStatus) => s.applications.filter((a) => a.hotel).map((a) => a.id);
      expect(holders(await h.call('mux.status'))).toEqual([]);

      hotel.sendRaw(encodeFrame(hotelEscapeApdu(40)));
      // The simulator knows no hotel escape and answers it with an error; the role is the multiplexer's to give.
      await hotel.waitFor((x) => x[0] !== 0xa1 && x[4] === 40);
      const hotelId = pushed.at(-1)!.applications.find((a) => a.address.endsWith(`:${hotel.socket.localPort}`))?.id;
      await until(() => holders(pushed.at(-1)!).length === 1, 'the holder pushed');
      expect(holders(await h.call('mux.status'))).toEqual([hotelId]);

      other.sendRaw(encodeFrame(hotelEscapeApdu(41)));
      expect(await other.waitFor((x) => x[0] === 0xa3 && x[4] === 41)).toBeDefined();
      expect(holders(await h.call('mux.status'))).toEqual([hotelId]);

      hotel.close();
      await until(() => pushed.at(-1)!.applications.length === 1, 'the holder gone');
      expect(holders(await h.call('mux.status'))).toEqual([]);
      other.sendRaw(encodeFrame(hotelEscapeApdu(42)));
      await other.waitFor((x) => x[0] !== 0xa1 && x[4] === 42);
      await until(() => holders(pushed.at(-1)!).length === 1, 'the second application holding it');
      expect((await h.call('mux.status')).applications).toMatchObject([{ hotel: true, cdr: false, dataCollection: false }]);
    } finally {
      hotel.close();
      other.close();
    }
  });

  it('remembers the settings it started with after a stop, in the document the service starts from', async () => {
    const h = apiHarness('lk-api-mux-');
    services = h.services;
    expect(await h.call('mux.settings')).toEqual({ settings: null, user: null });
    await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0, bind: '127.0.0.1', requireLogin: true, user: 'ops', password: 'pw' });
    await h.call('mux.stop');
    expect(await h.call('mux.settings')).toEqual({ settings: { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0, bind: '127.0.0.1', requireLogin: true }, user: 'ops' });
    expect(await readMuxServiceSettings(services.docs)).toMatchObject({ pbxHost: '127.0.0.1', pbxPort: 1, requireLogin: true });
  });

  it('keeps a changed login in the secret store and drops the default-login warning', async () => {
    const h = apiHarness('lk-api-mux-');
    services = h.services;
    const s: MuxStatus = await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0, bind: '127.0.0.1', requireLogin: true, user: 'ops', password: 'pw' });
    expect(s.warnings).toEqual([]);
    expect(await services.secrets.get('mux/user')).toBe('ops');
    const refused = await CstaTestClient.open({ port: s.listening!.tcpPort });
    refused.client.close();
    expect(refused.aare).toMatchObject({ result: 1 });
  });

  it('listens on 127.0.0.1 unless the admin chooses an interface', async () => {
    const h = apiHarness('lk-api-mux-');
    services = h.services;
    const s: MuxStatus = await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0 });
    expect(s.listening).toMatchObject({ bind: '127.0.0.1', requireLogin: false });
    expect(s.warnings).toContain('LOGIN_NOT_REQUIRED_ON_TCP');
  });

  it('reports a taken port as MUX_PORT_IN_USE and a TLS port without certificate as invalid input', async () => {
    const h = apiHarness('lk-api-mux-');
    services = h.services;
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    expect(await h.fail('mux.start', { pbxHost: '127.0.0.1', tcpPort: port, bind: '127.0.0.1' })).toMatchObject({ code: 'MUX_PORT_IN_USE', message: expect.stringContaining(String(port)) });
    blocker.close();
    expect(await h.fail('mux.start', { pbxHost: '127.0.0.1', tcpPort: 0, tlsPort: 0 })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('cert') });
  });
});
