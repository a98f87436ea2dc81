import { test, expect, escapeRegExp } from './fixtures';

test('the wizard creates a Panasonic instance with its connection, typed lines and location', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Head office', host: '127.0.0.1', lines: '100,Reception\n101,Sales\n102,Support', ranges: '100-199', location: '49(89)1234' });
  const list = lk.page.getByRole('complementary', { name: 'Instances' });
  await expect(list.getByRole('button', { name: /Head office.*Panasonic.*3 lines/ })).toBeVisible();
  await expect(lk.page.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  await lk.screenshot('instance-connection');
  await lk.openPage('Lines');
  await expect(lk.page.getByRole('table', { name: 'Lines' }).getByRole('row')).toHaveCount(4);
  await lk.screenshot('lines');
  await lk.openPage('Location');
  await expect(lk.page.getByLabel('Location as country(area)local')).toHaveValue('49(89)1234');
  await expect(lk.page.getByRole('cell', { name: '+49(89)1234-100' })).toBeVisible();
  await lk.screenshot('location');
});

test('connection settings validate as you type, flag unsaved changes and save explicitly', async ({ lk }) => {
  await lk.addInstance({ family: 'Cisco CME', name: 'Branch', host: 'cme.example.net' });
  const port = lk.page.getByLabel('AXL port');
  await port.fill('70000');
  await expect(lk.page.getByText('AXL port must be 1-65535')).toBeVisible();
  await expect(lk.page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(lk.page.getByRole('status').filter({ hasText: 'Unsaved changes' })).toBeVisible();
  // A port the admin typed stays when the protocol changes; only the default port follows it.
  await port.fill('8080');
  await lk.page.getByLabel('AXL protocol').selectOption({ label: 'HTTPS' });
  await expect(port).toHaveValue('8080');
  await lk.page.getByLabel('AXL protocol').selectOption({ label: 'HTTP' });
  await port.fill('80');
  await lk.page.getByLabel('AXL protocol').selectOption({ label: 'HTTPS' });
  await expect(port).toHaveValue('443');
  await lk.save();
  await lk.page.reload();
  await lk.openInstance('Branch');
  await expect(lk.page.getByLabel('AXL port')).toHaveValue('443');
});

test('an instance can be duplicated and deleted after confirming its name', async ({ lk }) => {
  await lk.addInstance({ family: 'SIP phones', name: 'Lab', host: 'lab.local' });
  await lk.main().getByRole('button', { name: 'Duplicate' }).click();
  await expect(lk.instanceHeading()).not.toHaveText('Lab');
  const copyName = (await lk.instanceHeading().textContent())!;
  await lk.main().getByRole('button', { name: 'Delete instance' }).click();
  const dialog = lk.page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await dialog.getByLabel('Instance name').fill(copyName);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  const list = lk.page.getByRole('complementary', { name: 'Instances' });
  await expect(list.getByRole('button', { name: new RegExp(`^${escapeRegExp(copyName)}`) })).toHaveCount(0);
  await expect(list.getByRole('button', { name: /^Lab/ })).toBeVisible();
});
