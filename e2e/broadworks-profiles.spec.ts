import { test, expect } from './fixtures';

const GOOD = ['id,label,host,connectionType,port,urlPrefix', 'acme,ACME Telecom,xsp.acme.example,cti,,', ''].join('\n');
const BAD = ['id,label,host,connectionType,port,urlPrefix', 'acme,ACME Telecom,xsp.acme.example,cti,,', 'nordic,Nordic,nordic.example,smtp,,'].join('\n');

test('provider profiles: a file with a bad line is refused naming it, a good one is added and offered in the connection', async ({ lk }) => {
  await lk.goTo('Settings');
  const card = lk.main().getByRole('region', { name: 'Access profiles: BroadWorks' });
  const table = card.getByRole('table', { name: 'Access profiles of BroadWorks' });
  await expect(table).toContainText('Plusnet GmbH (Deutschland)');
  await expect(table).toContainText('Routit (Netherlands)');

  await card.getByLabel('Import profile file…').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) });
  const alert = card.getByRole('alert');
  await expect(alert).toContainText('bad.csv was not imported and nothing was changed');
  await expect(alert).toContainText('line 3: connection type "smtp" must be one of http, https, cti, ctis');
  await expect(table).not.toContainText('ACME Telecom');

  await card.getByLabel('Import profile file…').setInputFiles({ name: 'providers.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
  await expect(card.getByRole('status')).toContainText('providers.csv: one profile imported');
  await expect(table.getByRole('row').filter({ hasText: 'ACME Telecom' })).toContainText('Added');

  const { id } = await lk.apiCall<{ id: string }>('instances.create', { family: 'broadworks', name: 'Provider choice' });
  await lk.page.reload();
  await lk.openInstance('Provider choice');
  await lk.openPage('Connection');
  const provider = lk.main().getByLabel('Provider', { exact: true });
  await expect(provider.locator('option')).toHaveText(['Enter by hand', 'Plusnet GmbH (Deutschland)', 'Routit (Netherlands)', 'ACME Telecom']);
  await provider.selectOption({ label: 'ACME Telecom' });
  await expect(lk.main().getByLabel('Host name or IP address')).toHaveValue('xsp.acme.example');
  await expect(lk.main().getByLabel('Port', { exact: true })).toHaveValue('8011');
  await lk.save();
  expect((await lk.apiCall<{ connection: Record<string, unknown> }>('instances.get', { id })).connection).toMatchObject({ provider: 'acme', host: 'xsp.acme.example', connectionType: 'cti', port: 8011 });
  await lk.apiCall('instances.delete', { id, confirmName: 'Provider choice' });
});
