import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test('a Panasonic instance in multiplexer mode reaches the multiplexer started from the same console, both at their defaults', async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  await lk.goTo('Multiplexer');
  await lk.main().getByLabel('PBX host name or IP address').fill(demo.host);
  await lk.main().getByLabel('PBX port').fill(String(demo.port));
  await lk.main().getByLabel('Port for applications (TCP)').fill('0');
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  const link = lk.main().getByRole('region', { name: 'Link to the PBX' });
  await expect(link).toContainText(`Connected ${demo.host}:${demo.port}`, { timeout: 20_000 });
  const { listening } = await lk.apiCall<{ listening: { tcpPort: number } }>('mux.status', {});

  // The instance keeps its default user and gets no password: the multiplexer's shipped login is what both use.
  await lk.addInstance({ family: 'Panasonic', name: 'Through my multiplexer', host: '127.0.0.1' });
  await lk.openPage('Connection');
  await lk.main().getByLabel('Mode').selectOption({ label: 'Through the CSTA multiplexer' });
  await lk.main().getByLabel('Port', { exact: true }).fill(String(listening.tcpPort));
  await lk.save();
  await lk.main().getByRole('button', { name: 'Test connection' }).click();
  await expect(lk.main().getByRole('status').filter({ hasText: `Connected to 127.0.0.1:${listening.tcpPort}` })).toBeVisible({ timeout: 20_000 });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(lk.main().getByRole('status').filter({ hasText: `Verbunden mit 127.0.0.1:${listening.tcpPort}` })).toBeVisible({ timeout: 20_000 });
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }

  await lk.openPage('Status');
  await lk.main().getByRole('button', { name: 'Start the driver' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
  await lk.main().getByRole('button', { name: 'Stop the driver' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Stopped');
  await lk.goTo('Multiplexer');
  await link.getByRole('button', { name: 'Stop the multiplexer' }).click();
  await expect(lk.main().getByRole('button', { name: 'Start the multiplexer' })).toBeVisible();
});

test('trying the demo again while it runs walks its instance, even renamed, and creates no second one', async ({ lk }) => {
  const demo = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  await lk.apiCall('instances.update', { id: demo.instanceId, patch: { name: 'Renamed demo' } });
  try {
    await lk.page.reload();
    await lk.goTo('Driver instances');
    await lk.main().getByRole('button', { name: 'Add instance' }).click();
    const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
    await wizard.getByRole('button', { name: 'Try it with the demo PBX' }).click();
    await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
    const sidebar = lk.page.getByRole('complementary', { name: 'Instances' });
    await expect(sidebar.getByRole('button', { name: /^Renamed demo/ })).toBeVisible();
    await expect(sidebar.getByRole('button', { name: /^Demo PBX/ })).toHaveCount(0);
  } finally {
    await lk.apiCall('instances.update', { id: demo.instanceId, patch: { name: 'Demo PBX' } });
  }
});
