import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test('the demo BroadWorks platform: the wizard fills in its CTI connection, reads the group, and its calls show live', async ({ lk }) => {
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
  await expect(wizard.getByRole('status')).toContainText('"Demo BroadWorks" is set up with 20 lines');
  await expect(wizard.getByLabel('Summary')).toContainText('BroadWorks');
  await expect(wizard.getByLabel('Start the driver now')).toBeChecked();
  await wizard.getByRole('button', { name: 'Open the instance' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
  await expect(lk.main().getByText('20 of 20 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 20_000 });

  // A call from outside to user 2003 arrives over the CTI socket and shows in the line monitor.
  await lk.apiCall('demo.placeCall', { from: '0301234567', to: '2003', family: 'broadworks' });
  await expect(lk.main().getByRole('region', { name: 'Line monitor' }).getByRole('row').filter({ hasText: '0301234567' }).first()).toBeVisible({ timeout: 15_000 });

  // Specs share one server: leave no demo behind.
  const demo = await lk.apiCall<{ instanceId: string }>('demo.status', { family: 'broadworks' });
  await lk.apiCall('driver.stop', { instanceId: demo.instanceId });
  await lk.apiCall('demo.stop', { family: 'broadworks' });
  await lk.apiCall('instances.delete', { id: demo.instanceId, confirmName: 'Demo BroadWorks' });
});
