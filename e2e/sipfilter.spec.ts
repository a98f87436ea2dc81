import { test, expect } from './fixtures';

test('the SIP-line filter test field says which rule detects a line as SIP line', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'SIP PBX', host: 'pbx.local' });
  await lk.openPage('SIP-line filter');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule2 = lk.page.getByRole('listitem', { name: 'Rule 2' });
  await rule2.getByLabel('Rule type').selectOption({ label: 'Number matches' });
  await rule2.getByLabel('Pattern').fill('^7[0-9][0-9]$');
  const test = lk.page.getByRole('region', { name: 'Test a line' });
  await test.getByLabel('Line number').fill('701');
  await expect(test.getByRole('status')).toHaveText('Detected as SIP line by rule 2 (Number matches "^7[0-9][0-9]$").');
  await test.getByLabel('Line number').fill('201');
  await expect(test.getByRole('status')).toHaveText('Not a SIP line: no rule matches.');
  await test.getByLabel('Line name').fill('SIP trunk 3');
  await expect(test.getByRole('status')).toContainText('by rule 1');
  await lk.screenshot('sip-filter');
  await lk.save();
});
