import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { test, expect } from './fixtures';
import { startPanasonicSim } from '../main/sim/panasonic';
import { CstaTestClient, monitorArg } from '../main/protocols/csta-ber/testing/client';
import { makeTestCert } from '../main/protocols/sip/testing/certs';
import { encodeFrame } from '../main/protocols/csta-ber';
import { hotelEscapeApdu } from '../main/servers/mux/testing/hotel';

interface Status {
  listening?: { bind: string; tlsPort?: number };
}

test('the multiplexer page sets the TLS port with a picked certificate and a pasted key, the interface and the login; its dashboard shows who holds CDR, data collection, the hotel role and the monitors per device', async ({ lk }) => {
  const sim = await startPanasonicSim({ port: 0 });
  const tls = makeTestCert();
  const apps: CstaTestClient[] = [];
  try {
    await lk.goTo('Multiplexer');
    const main = lk.main();
    await main.getByLabel('PBX host name or IP address').fill('127.0.0.1');
    await main.getByLabel('PBX port').fill(String(sim.tcpPort));
    await main.getByLabel('Port for applications (TCP)').fill('0');
    await expect(main.getByLabel('Interface for applications')).toHaveValue('127.0.0.1');
    await main.getByLabel('Port for applications (TLS), empty for none').fill('0');
    // a TLS port without a certificate cannot be started
    await expect(main.getByRole('button', { name: 'Start the multiplexer' })).toBeDisabled();
    await main.getByLabel('Certificate (PEM, or PFX without key)').setInputFiles(tls.certPath);
    await main.getByLabel('or paste the key (PEM)').fill(tls.key);
    await expect(main.getByText(/characters of PEM read/)).toHaveCount(2);
    await main.getByLabel('Applications must log in').check();
    await main.getByLabel('User name').fill('ops');
    await main.getByLabel('Password').fill('tls-secret');
    await main.getByRole('button', { name: 'Start the multiplexer' }).click();
    const link = main.getByRole('region', { name: 'Link to the PBX' });
    await expect(link).toContainText('Connected 127.0.0.1', { timeout: 20_000 });
    const status = await lk.apiCall<Status>('mux.status', {});
    expect(status.listening).toMatchObject({ bind: '127.0.0.1' });
    const tlsPort = status.listening!.tlsPort!;
    await expect(link).toContainText(`(TLS: ${tlsPort})`);

    // applications over TLS with the login: one takes CDR and monitors 100, the other data collection and 100, 101
    const login = { user: 'ops', password: 'tls-secret' };
    for (let i = 0; i < 2; i++) apps.push(await CstaTestClient.login({ port: tlsPort, tls: true, login }));
    const [cdr, dc] = apps;
    expect((await cdr.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).kind).toBe('returnResult');
    expect((await dc.invoke('startDataCollection', { object: { device: { deviceIdentifier: { dialingNumber: '102' } } } as never })).kind).toBe('returnResult');
    for (const [a, d] of [[cdr, '100'], [dc, '100'], [dc, '101']] as const) expect((await a.invoke('monitorStart', monitorArg(d))).kind).toBe('returnResult');

    const roles = main.getByRole('region', { name: 'Services one application holds' });
    await expect(roles).toContainText(/Call detail records\s*application #\d+, 127\.0\.0\.1:\d+, user ops/);
    await expect(roles).toContainText(/Data collection\s*application #\d+/);
    await expect(roles).toContainText(/Hotel application\s*nobody/);
    // a third application sends the Panasonic hotel escape and holds the role until it leaves
    const hotel = await CstaTestClient.login({ port: tlsPort, tls: true, login });
    apps.push(hotel);
    hotel.sendRaw(encodeFrame(hotelEscapeApdu(60)));
    await expect(roles).toContainText(/Hotel application\s*application #\d+, 127\.0\.0\.1:\d+, user ops/);
    hotel.close();
    await expect(roles).toContainText(/Hotel application\s*nobody/);
    const devices = main.getByRole('region', { name: 'Monitors per device' });
    await expect(devices.getByRole('row', { name: /^100 2 applications/ })).toBeVisible();
    await expect(devices.getByRole('row', { name: /^101 1 application/ })).toBeVisible();
    await lk.screenshot('multiplexer-dashboard');
  } finally {
    for (const a of apps) a.close();
    await lk.apiCall('mux.stop', {});
    await sim.close();
    rmSync(dirname(tls.certPath), { recursive: true, force: true });
  }
});
