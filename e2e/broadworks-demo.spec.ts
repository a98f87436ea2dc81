import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test('the demo BroadWorks platform: the wizard fills in its CTI connection, reads the group, its calls show live, Remote Office is set from the line control', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('button', { name: 'Try it with the demo BroadWorks platform' }).click();
  await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  await expect(wizard.getByLabel('Connection type')).toHaveValue('cti');
  await wizard.getByRole('button', { name: 'Test connection' }).click();
  await expect(wizard.getByRole('status').filter({ hasText: /CTI at cti:\/\/127\.0\.0\.1:\d+/ })).toBeVisible({ timeout: 20_000 });
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = wizard.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText(/20 devices: 20 to add/, { timeout: 30_000 });
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('status')).toContainText('Ready to create "Demo BroadWorks" with 20 lines');
  await expect(wizard.getByLabel('Summary')).toContainText('BroadWorks');
  await expect(wizard.getByLabel('Start the driver now')).toBeChecked();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
  await expect(lk.main().getByText('20 of 20 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 20_000 });

  // A call from outside to user 2003 arrives over the CTI socket and shows in the line monitor.
  await lk.apiCall('demo.placeCall', { from: '0301234567', to: '2003', family: 'broadworks' });
  await expect(lk.main().getByRole('region', { name: 'Line monitor' }).getByRole('row').filter({ hasText: '0301234567' }).first()).toBeVisible({ timeout: 15_000 });

  // (The wizard made its own instance for the demo: it is found by its name.)
  const { instances } = await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {});
  const made = instances.find((i) => i.name === 'Demo BroadWorks')!;

  // Remote Office for user 2004 from the line control (over HTTP beside the CTI socket), read back from the platform.
  await lk.openInstance('Demo BroadWorks');
  await lk.openPage('Status');
  const control = lk.main().getByRole('region', { name: 'Line control' });
  await control.getByLabel('Line', { exact: true }).fill('2004@sim.test');
  await control.getByLabel('Line', { exact: true }).blur();
  const toggle = control.getByLabel('Remote Office', { exact: true });
  await control.getByLabel('Remote Office number').fill('+4917012345');
  await expect(toggle).toBeEnabled({ timeout: 15_000 });
  await expect(toggle).not.toBeChecked();
  // A click, not check(): the box follows what the platform answers, not the click.
  await toggle.click();
  await expect(toggle).toBeChecked({ timeout: 15_000 });
  await expect(control.getByRole('status')).toContainText('Remote Office: calls ring at +4917012345.');
  await control.getByRole('button', { name: 'Read from the PBX' }).click();
  await expect(control.getByRole('list', { name: 'Settings at the PBX' })).toContainText('Remote Office: on (+4917012345)', { timeout: 15_000 });
  const read = await lk.apiCall<{ remoteOffice: unknown }>('line.features', { instanceId: made.id, line: '2004@sim.test' });
  expect(read.remoteOffice).toEqual({ active: true, number: '+4917012345' });

  // The same in German; switched off there, and read back off.
  await lk.chooseLanguage('Language', 'Deutsch');
  const steuerung = lk.main().getByRole('region', { name: 'Leitungssteuerung' });
  const schalter = steuerung.getByLabel('Remote-Office', { exact: true });
  await expect(schalter).toBeChecked();
  await expect(steuerung.getByLabel('Remote-Office-Rufnummer')).toHaveValue('+4917012345');
  await expect(steuerung.getByRole('status')).toContainText('Remote-Office: Anrufe klingeln bei +4917012345.');
  await schalter.click();
  await expect(schalter).not.toBeChecked({ timeout: 15_000 });
  await steuerung.getByRole('button', { name: 'Von der Anlage lesen' }).click();
  await expect(steuerung.getByRole('list', { name: 'Einstellungen in der Anlage' })).toContainText('Remote-Office: aus (+4917012345)', { timeout: 15_000 });
  await lk.chooseLanguage('Sprache', 'English');

  // Specs share one server: leave no demo behind.
  await lk.apiCall('driver.stop', { instanceId: made.id });
  await lk.apiCall('demo.stop', { family: 'broadworks' });
  await lk.apiCall('instances.delete', { id: made.id, confirmName: 'Demo BroadWorks' });
});
