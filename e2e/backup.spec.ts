import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';

test('a configuration backup downloaded from settings restores a deleted instance', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Backup PBX', host: 'pbx.local', lines: '500,Keep me' });
  await lk.goTo('Settings');
  const downloaded = lk.page.waitForEvent('download');
  await lk.main().getByRole('button', { name: 'Download a backup' }).click();
  const file = await downloaded;
  const content = readFileSync(await file.path());

  await lk.openInstance('Backup PBX');
  await lk.main().getByRole('button', { name: 'Delete instance' }).click();
  await lk.page.getByRole('dialog').getByLabel('Instance name').fill('Backup PBX');
  await lk.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Backup PBX/ })).toHaveCount(0);

  await lk.goTo('Settings');
  lk.page.once('dialog', (d) => void d.accept());
  await lk.main().getByLabel('Restore from a backup').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: content });
  await expect(lk.main().getByRole('status').filter({ hasText: /documents? restored/ })).toBeVisible();
  await lk.screenshot('settings');
  await lk.openInstance('Backup PBX');
  await lk.openPage('Lines');
  await expect(lk.page.getByRole('table', { name: 'Lines' }).getByRole('row', { name: /500 Keep me/ })).toBeVisible();
});

test('a damaged instance is named with its backup copy and comes back from it', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Damaged PBX', host: 'pbx.local' });
  // The wizard stores an instance once; the store keeps a previous version from the second save on.
  const { id } = (await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {})).instances.find((i) => i.name === 'Damaged PBX')!;
  await lk.apiCall('instances.update', { id, patch: { notes: 'changed once' } });
  const dir = join(lk.server.dataDir, 'config');
  const doc = readdirSync(dir).find((f) => f.startsWith('instance-') && f.endsWith('.json') && readFileSync(join(dir, f), 'utf8').includes('"Damaged PBX"'))!;
  writeFileSync(join(dir, doc), '{"kind":"instance","data":');

  await lk.goTo('Settings');
  await lk.goTo('Driver instances');
  const damaged = lk.main().getByRole('region', { name: 'Instances that cannot be read' });
  await expect(damaged).toContainText('The instance "Damaged PBX" cannot be read');
  await expect(lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Damaged PBX/ })).toHaveCount(0);

  lk.page.once('dialog', (d) => void d.accept());
  await damaged.getByRole('button', { name: 'Restore from backup copy' }).click();
  await expect(lk.instanceHeading()).toHaveText('Damaged PBX');
  await expect(lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Damaged PBX/ })).toHaveCount(1);
  expect(readdirSync(dir).some((f) => f.startsWith(`${doc}.broken-`))).toBe(true);
});
