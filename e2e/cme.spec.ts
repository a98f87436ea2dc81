// A CME instance made with the wizard against the simulator: its host located through a DHCP responder on
// loopback, the AXL password given in the wizard, the XML API helper's commands shown with the admin's values, and the CSTA
// helper's commands for two chosen extensions applied to the simulated CME after the confirmation.
import { expect } from '@playwright/test';
import { cmeTest } from './cme-fixture';

const test = cmeTest({ phones: 4 });

test('wizard with Locate, then the XML API and CSTA helpers against the simulated CME', async ({ lk, cme }) => {
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('radio', { name: 'Cisco CME' }).check();
  await wizard.getByLabel('Instance name').fill('Branch CME');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Locate: the DHCP responder names 127.0.0.1 as the TFTP server; it becomes the host.
  await wizard.getByLabel('Network for Locate').selectOption('127.0.0.1');
  await wizard.getByRole('button', { name: 'Locate' }).click();
  await expect(wizard.getByRole('status').filter({ hasText: 'names the TFTP server 127.0.0.1' })).toBeVisible();
  await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  expect(cme.dhcp.informs).toBe(1);
  await wizard.getByLabel('AXL port').fill(String(cme.sim.port));
  await wizard.getByLabel('AXL user name').fill('cisco');
  await wizard.getByLabel('AXL password').fill('cisco');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'Later' }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.instanceHeading()).toHaveText('Branch CME');

  await lk.openPage('Connection');
  await expect(lk.main().getByText('A password is stored.')).toBeVisible();

  // The XML API helper: the admin's values in the commands, to copy (nothing to apply).
  const xml = lk.page.locator('[data-helper="cmeXmlApi"]');
  await xml.getByLabel('HTTPS').check();
  await xml.getByLabel('Password', { exact: true }).fill('s3cret');
  await xml.getByRole('button', { name: 'Show commands' }).click();
  await expect(xml.locator('pre')).toContainText('ip http secure-server');
  await expect(xml.locator('pre')).toContainText('xml user cisco password s3cret 15');
  await expect(xml.getByRole('button', { name: 'Apply to the PBX' })).toHaveCount(0);

  // The CSTA helper: extensions read from the CME, two chosen, applied after the confirmation, marked configured.
  const csta = lk.page.locator('[data-helper="cmeCsta"]');
  await csta.getByRole('button', { name: 'Read extensions from the PBX' }).click();
  await csta.getByLabel('2001 User 1').check();
  await csta.getByLabel('2002 User 2').check();
  await csta.getByRole('button', { name: 'Show commands' }).click();
  await expect(csta.locator('pre')).toContainText('register-id ss_ecsta');
  await expect(csta.locator('pre')).toContainText('ephone-dn 2\n cti watch\n cti notify');
  lk.page.once('dialog', (d) => {
    expect(d.message()).toContain('They change its running configuration');
    void d.accept();
  });
  await csta.getByRole('button', { name: 'Apply to the PBX' }).click();
  await expect(csta.getByRole('status')).toContainText('configuration lines applied to the PBX');
  expect(cme.sim.xml.layout.extensions.filter((x) => x.ctiWatch && x.ctiNotify).map((x) => x.number)).toEqual(['2001', '2002']);
  await csta.getByRole('button', { name: 'Read extensions from the PBX' }).click();
  await expect(csta.getByRole('listitem').filter({ hasText: '2001 User 1' }).getByText('configured')).toBeVisible();
});
