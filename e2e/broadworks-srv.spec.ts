// A BroadWorks instance made with the wizard against the simulator, its platform found through SRV records that an
// in-process DNS server on loopback answers (`linekeeper serve` is pointed at it with LINEKEEPER_DNS_SERVER): the
// group's lines are read in server mode, a call shows live over CTI, HTTP and HTTPS (the simulator's test
// certificate trusted in the wizard by its fingerprint, as the console offers), the Status page names the SRV
// target in use (in German too), and a password changed on the platform brings the console's prompt.
import { test as base, expect } from '@playwright/test';
import { startBroadWorksSim, type BroadWorksSim } from '../main/sim/broadworks';
import { startDnsServer } from '../main/protocols/xsi/testing/dns-server';
import { makeTestCert } from '../main/protocols/sip/testing/certs';
import { ConsolePage } from './fixtures';
import { startServe, type ServeProcess } from './server';

const DOMAIN = 'bw.sim.test';

type Dns = Awaited<ReturnType<typeof startDnsServer>>;
const test = base.extend<{ lk: ConsolePage }, { bw: { sim: BroadWorksSim; dns: Dns; server: ServeProcess } }>({
  bw: [
    async ({}, use) => {
      const cert = makeTestCert();
      const sim = await startBroadWorksSim({ port: 0, users: 4, ctiPort: 0, tls: { port: 0, cert: cert.cert, key: cert.key } });
      const dns = await startDnsServer({
        srv: {
          [`_ecsta._tcp.${DOMAIN}`]: [{ target: `xsp.${DOMAIN}`, port: sim.port, priority: 10, weight: 1 }],
          [`_ecsta-cti._tcp.${DOMAIN}`]: [{ target: `cti.${DOMAIN}`, port: sim.ctiPort!, priority: 10, weight: 1 }],
          [`_ecsta._tls.${DOMAIN}`]: [{ target: `xsps.${DOMAIN}`, port: sim.tlsPort!, priority: 10, weight: 1 }],
        },
        a: { [`xsp.${DOMAIN}`]: '127.0.0.1', [`cti.${DOMAIN}`]: '127.0.0.1', [`xsps.${DOMAIN}`]: '127.0.0.1' },
      });
      const server = await startServe([], { LINEKEEPER_DNS_SERVER: dns.address });
      await use({ sim, dns, server });
      await server.stop();
      await dns.close();
      await sim.close();
    },
    { scope: 'worker' },
  ],
  lk: async ({ page, bw }, use) => {
    const lk = new ConsolePage(page, bw.server);
    await lk.open();
    await use(lk);
  },
});
test.describe.configure({ timeout: 120_000, mode: 'serial' });

for (const type of ['cti', 'http', 'https'] as const) {
  test(`over ${type.toUpperCase()}: the wizard's instance finds the platform through SRV, reads the group, shows a call, and asks for a changed password`, async ({ lk, bw }) => {
    const name = `SRV ${type}`;
    await lk.goTo('Driver instances');
    await lk.main().getByRole('button', { name: 'Add instance' }).click();
    const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
    await wizard.getByRole('radio', { name: 'BroadWorks' }).check();
    await wizard.getByLabel('Instance name').fill(name);
    await wizard.getByRole('button', { name: 'Next' }).click();

    await wizard.getByLabel('Mode', { exact: true }).selectOption('server');
    await wizard.getByLabel('Host name or IP address').fill(DOMAIN);
    await wizard.getByLabel('Connection type').selectOption(type);
    // The configured port is wrong on purpose: only the SRV records lead to the simulator.
    await wizard.getByLabel('Port', { exact: true }).fill('1');
    await wizard.getByLabel('User name').fill(bw.sim.admin.userId);
    await wizard.getByLabel('User ID of one user of the group').fill(bw.sim.group.users[0].userId);
    await wizard.getByLabel('Password', { exact: true }).fill(bw.sim.admin.password);
    await wizard.getByRole('button', { name: 'Test connection' }).click();
    if (type === 'https') {
      // The simulator's certificate is its own: the console shows its fingerprint and offers to trust it.
      await expect(wizard.getByText(/Its SHA-256 fingerprint is [0-9A-F:]{95}\./)).toBeVisible({ timeout: 20_000 });
      await wizard.getByRole('button', { name: 'Trust this certificate' }).click();
    }
    const [record, host, port] = {
      cti: [`_ecsta-cti._tcp.${DOMAIN}`, `cti.${DOMAIN}`, bw.sim.ctiPort!],
      http: [`_ecsta._tcp.${DOMAIN}`, `xsp.${DOMAIN}`, bw.sim.port],
      https: [`_ecsta._tls.${DOMAIN}`, `xsps.${DOMAIN}`, bw.sim.tlsPort!],
    }[type];
    await expect(wizard.getByRole('status').filter({ hasText: `SRV ${record} → ${host}:${port}` })).toBeVisible({ timeout: 20_000 });
    await expect(wizard.getByTestId('test-target')).toHaveText(`Found through the SRV record ${record}: ${host}:${port}.`);
    await wizard.getByRole('button', { name: 'Next' }).click();

    await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
    const preview = wizard.getByRole('region', { name: 'Lines read from the PBX' });
    await expect(preview).toContainText(/4 devices: 4 to add/, { timeout: 30_000 });
    await preview.getByRole('button', { name: 'Take these lines' }).click();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('status')).toContainText(`Ready to create "${name}" with 4 lines`);
    await wizard.getByLabel('Start the driver now').check();
    await wizard.getByRole('button', { name: 'Create the instance' }).click();
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
    await expect(lk.main().getByText('4 of 4 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 20_000 });
    expect(bw.dns.queries).toContain(`SRV _ecsta._${type === 'https' ? 'tls' : 'tcp'}.${DOMAIN}`);
    await expect(lk.main().getByTestId('connection-target')).toHaveText(`Connected to ${host}:${port}, a target of the SRV record ${record}.`);

    // A call from outside to the group's second user, placed at the simulator's control API, shows live.
    const caller = { cti: '0301112222', http: '0303334444', https: '0305556666' }[type];
    await fetch(`${bw.sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: caller, to: bw.sim.group.users[1].userId }) });
    await expect(lk.main().getByRole('region', { name: 'Line monitor' }).getByRole('row').filter({ hasText: caller }).first()).toBeVisible({ timeout: 15_000 });

    // The group administrator's password is changed on the platform; the channels restart and the console asks.
    const changed = `changed-${type}`;
    await fetch(`${bw.sim.controlUrl}/users/${encodeURIComponent(bw.sim.admin.userId)}/password`, { method: 'POST', body: JSON.stringify({ password: changed }) });
    await fetch(`${bw.sim.controlUrl}/faults/terminate-channels`, { method: 'POST' });
    const dialog = lk.page.getByRole('dialog', { name: `New password for ${name}` });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await dialog.getByLabel('New password').fill(changed);
    await dialog.getByRole('button', { name: 'Store and reconnect' }).click();
    await expect(dialog).toBeHidden();
    await expect(lk.main().getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });

    const { instances } = await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {});
    const made = instances.find((i) => i.name === name)!;
    await lk.apiCall('driver.stop', { instanceId: made.id });
    await lk.apiCall('instances.delete', { id: made.id, confirmName: name });
  });
}

test('in German: test connection names the SRV target and offers to trust the certificate, the Status page names the target', async ({ lk, bw }) => {
  const name = 'SRV Deutsch';
  const { id } = await lk.apiCall<{ id: string }>('instances.create', { family: 'broadworks', name });
  await lk.apiCall('instances.update', { id, patch: { connection: { mode: 'workstation', host: DOMAIN, connectionType: 'https', port: 1, user: bw.sim.group.users[1].userId } } });
  await lk.apiCall('instances.setSecret', { id, field: 'password', value: 'secret' });
  await lk.openInstance(name);
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.openPage('Verbindung');
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(lk.main().getByText(/Sein SHA-256-Fingerabdruck ist [0-9A-F:]{95}\./)).toBeVisible({ timeout: 20_000 });
    await lk.main().getByRole('button', { name: 'Diesem Zertifikat vertrauen' }).click();
    const record = `_ecsta._tls.${DOMAIN}`;
    const target = `xsps.${DOMAIN}:${bw.sim.tlsPort}`;
    await expect(lk.main().getByTestId('test-target')).toHaveText(`Gefunden über den SRV-Eintrag ${record}: ${target}.`, { timeout: 20_000 });

    await lk.apiCall('driver.start', { instanceId: id });
    await lk.openPage('Status');
    await expect(lk.main().getByTestId('connection-target')).toHaveText(`Verbunden mit ${target}, einem Ziel des SRV-Eintrags ${record}.`, { timeout: 20_000 });
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
    await lk.apiCall('driver.stop', { instanceId: id });
    await lk.apiCall('instances.delete', { id, confirmName: name });
  }
});
