// Issue 21's "done when" end to end: a CME instance made with the wizard against the simulator WITH its SIP side
// (host located through a DHCP responder on loopback), Test connection naming the half that failed, its lines
// discovered in the wizard (SIP phones skipped with the reason), opened by the driver started at the end, a phone
// that registers turning its line from out of service to in service, and a live call in the line monitor. Also the
// wizard's demo CME button.
import { expect } from '@playwright/test';
import type { CmeSim } from '../main/sim/cme';
import { freePort } from '../main/drivers/shared/free-port';
import { cmeTest } from './cme-fixture';

const test = cmeTest({ phones: 6, user: 'axl', password: 'axl-secret', sip: { port: 0 } });
test.describe.configure({ timeout: 240_000 });

async function control(sim: CmeSim, path: string, body: unknown): Promise<unknown> {
  const r = await fetch(`${sim.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(r.status, `${path}: ${await r.clone().text()}`).toBe(200);
  return r.json();
}

test('wizard against the simulated CME with SIP: lines discovered and opened, out of service until the phone registers, calls live', async ({ lk, cme }) => {
  const { sim } = cme;
  const sipPort = await freePort();
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('radio', { name: 'Cisco CME' }).check();
  await wizard.getByLabel('Instance name').fill('Live CME');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByLabel('Network for Locate').selectOption('127.0.0.1');
  await wizard.getByRole('button', { name: 'Locate' }).click();
  await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  await wizard.getByLabel('AXL port').fill(String(sim.port));
  await wizard.getByLabel('AXL user name').fill('axl');
  await wizard.getByLabel('AXL password').fill('axl-secret');
  await wizard.getByLabel('Local SIP interface (empty = all)').fill('127.0.0.1');
  await wizard.getByLabel('Local SIP port').fill(String(sipPort));
  await wizard.getByLabel('Session server ID').fill('ss_ecsta');

  // Test connection names the half that failed: nothing listens on this CME SIP port, so the SIP half fails ...
  const testButton = wizard.getByRole('button', { name: 'Test connection' });
  const outcome = wizard.locator('.test-connection [role="status"]');
  await wizard.getByLabel('CME SIP port').fill(String(await freePort()));
  await testButton.click();
  await expect(outcome).toHaveText(/^SIP \(session server\) failed: /, { timeout: 30_000 });
  // ... with a wrong AXL password the XML API half fails first ...
  await wizard.getByLabel('CME SIP port').fill(String(sim.sip!.port));
  await wizard.getByLabel('AXL password').fill('wrong');
  await testButton.click();
  await expect(outcome).toHaveText(/^XML API failed: /, { timeout: 30_000 });
  // ... and with both right, both halves answer.
  await wizard.getByLabel('AXL password').fill('axl-secret');
  await testButton.click();
  await expect(outcome).toContainText(/Connected to 127\.0\.0\.1:\d+ \(TCP\) in [\d,]+ ms\. CME .* registered; /, { timeout: 30_000 });
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Lines read over the XML API: 4 desk lines, the shared 2900 once per sales desk, two mobility users; SIP phones skipped.
  await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = wizard.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText('8 devices: 8 to add', { timeout: 60_000 });
  await expect(preview.getByText('SIP phone 0013.1978.3CA5 (2501) is skipped: only SCCP phones can be monitored.')).toBeVisible();
  await expect(preview.getByText(/SIP phone .* \(2502\) is skipped/)).toBeVisible();
  const added = preview.getByRole('list', { name: 'Changes to the line list' });
  for (const n of ['2001', '2003', '2900', '3001', '3003']) await expect(added.getByRole('listitem').filter({ hasText: n }).first()).toBeVisible();
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('status')).toContainText('Ready to create "Live CME" with 8 lines');
  await wizard.getByLabel('Start the driver now').check();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();

  // The driver registered as the session server and monitors every line, whatever its phone's registration.
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 60_000 });
  await expect(lk.main().getByText('8 of 8 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => ((await (await fetch(`${sim.controlUrl}/sip`)).json()) as { registered: boolean }).registered, { timeout: 30_000 }).toBe(true);

  // Ephone 3 (2003) is not registered: its line is out of service.
  const monitor = lk.main().getByRole('region', { name: 'Line monitor' });
  const events = monitor.getByRole('table', { name: 'Call events' });
  const rowsOf = (line: string) => events.getByRole('row').filter({ has: lk.page.getByRole('cell', { name: line, exact: true }) });
  await expect(rowsOf('2003').filter({ hasText: 'Phone out of service' }).first()).toContainText('Out of service', { timeout: 30_000 });
  const lineControl = lk.main().getByRole('region', { name: 'Line control' });
  await lineControl.getByLabel('Line', { exact: true }).fill('2003');
  await lineControl.getByLabel('Line', { exact: true }).blur();
  await expect(lineControl.getByRole('status')).toContainText('Line 2003: Out of service, 0 calls.', { timeout: 15_000 });
  await expect(rowsOf('2001').filter({ hasText: 'Phone out of service' })).toHaveCount(0);
  // The shared 2900 is two lines (one per sales desk): its number alone does not say which.
  await lineControl.getByLabel('Line', { exact: true }).fill('2900');
  await lineControl.getByLabel('Line', { exact: true }).blur();
  await expect(lineControl.getByRole('alert')).toContainText('Number 2900 is on several lines (a shared line): enter one of 2900|001122000005, 2900|001122000006.');
  await lineControl.getByLabel('Line', { exact: true }).fill('2003');
  await lineControl.getByLabel('Line', { exact: true }).blur();
  await expect(lineControl.getByRole('status')).toContainText('Line 2003: Out of service, 0 calls.', { timeout: 15_000 });

  // The phone registers: the line is back in service, without a restart.
  await control(sim, '/ephones/3', { registered: true });
  await expect(rowsOf('2003').filter({ hasText: 'Phone back in service' }).first()).toContainText('Monitored', { timeout: 30_000 });
  await expect(lineControl.getByRole('status')).toContainText('Line 2003: Monitored, 0 calls.', { timeout: 15_000 });

  // A call placed on the CME: 2001 dials 2003, whose line rings (the call shows in the line control too).
  await control(sim, '/calls', { from: '2001', to: '2003' });
  await expect(rowsOf('2003').filter({ hasText: 'Call ringing' }).first()).toContainText('2001', { timeout: 30_000 });
  await expect(rowsOf('2001').filter({ hasText: /Call dialled|Call ringing/ }).first()).toBeVisible({ timeout: 30_000 });
  await expect(lineControl.getByRole('status')).toContainText('Line 2003: Monitored, 1 calls.', { timeout: 15_000 });

  // Unregistered again: out of service once more.
  await control(sim, '/ephones/3', { registered: false });
  await expect(lineControl.getByRole('status')).toContainText('Line 2003: Out of service', { timeout: 30_000 });

  // In German: the in-service and out-of-service words, and the half that failed.
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    const events = lk.main().getByRole('region', { name: 'Leitungsmonitor' }).getByRole('table', { name: 'Anrufereignisse' });
    await expect(events.getByRole('row').filter({ hasText: 'Telefon außer Betrieb' }).first()).toContainText('Außer Betrieb');
    await expect(events.getByRole('row').filter({ hasText: 'Telefon wieder in Betrieb' }).first()).toContainText('Überwacht');
    await expect(lk.main().getByRole('region', { name: 'Leitungssteuerung' }).getByRole('status')).toContainText('Leitung 2003: Außer Betrieb');
    // Test connection on the Connection page (with the driver stopped: the running one holds the local SIP port).
    await lk.main().getByRole('button', { name: 'Treiber anhalten' }).click();
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Angehalten', { timeout: 30_000 });
    await lk.openPage('Verbindung');
    const outcome = lk.main().locator('.test-connection [role="status"]');
    await lk.main().getByLabel('SIP-Port der CME').fill(String(await freePort()));
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(outcome).toHaveText(/^SIP \(Session-Server\) fehlgeschlagen: Die Verbindung wurde abgewiesen/, { timeout: 30_000 });
    await lk.main().getByLabel('SIP-Port der CME').fill(String(sim.sip!.port));
    await lk.main().getByLabel('AXL-Port').fill(String(await freePort()));
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(outcome).toHaveText(/^XML-API fehlgeschlagen: Die Verbindung wurde abgewiesen/, { timeout: 30_000 });
    await lk.main().getByLabel('AXL-Port').fill(String(sim.port));
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(outcome).toContainText('Verbunden mit 127.0.0.1', { timeout: 30_000 });
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});

test('the wizard\'s demo CME router: the demo instance, its lines discovered and opened', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('button', { name: 'Try it with the demo CME router' }).click();
  await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  await expect(wizard.getByLabel('AXL user name')).toHaveValue('demo');
  await expect(wizard.getByLabel('Local SIP interface (empty = all)')).toHaveValue('127.0.0.1');
  await wizard.getByRole('button', { name: 'Test connection' }).click();
  await expect(wizard.locator('.test-connection [role="status"]')).toContainText(/Connected to 127\.0\.0\.1:\d+ .*10 phones/, { timeout: 30_000 });
  await wizard.getByRole('button', { name: 'Next' }).click();

  // 8 desk lines, the shared 2900 on two sales desks, two mobility users; the two SIP phones skipped.
  await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = wizard.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText('12 devices: 12 to add', { timeout: 60_000 });
  await expect(preview.getByText(/SIP phone .* \(2501\) is skipped: only SCCP phones can be monitored\./)).toBeVisible();
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('status')).toContainText('Ready to create "Demo CME" with 12 lines');
  await expect(wizard.getByLabel('Start the driver now')).toBeChecked();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 60_000 });
  await expect(lk.main().getByText('12 of 12 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 60_000 });

  // A demo call reaches the line monitor over the CTI dialog.
  await lk.apiCall('demo.placeCall', { from: '2001', to: '2002', family: 'cme' });
  await expect(lk.main().getByRole('region', { name: 'Line monitor' }).getByRole('row').filter({ hasText: 'Call ringing' }).filter({ hasText: '2002' }).first()).toBeVisible({ timeout: 30_000 });

  const { instances } = await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {});
  const made = instances.find((i) => i.name === 'Demo CME')!;
  await lk.apiCall('driver.stop', { instanceId: made.id });
  await lk.apiCall('demo.stop', { family: 'cme' });
});
