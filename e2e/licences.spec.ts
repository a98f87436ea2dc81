import { test, expect } from './fixtures';

test('the licences page shows the trial and refuses a malformed key with what to do', async ({ lk }) => {
  await lk.goTo('Licences');
  await expect(lk.main().getByText(/Trial: 45 days left for 25 lines/)).toBeVisible();
  await expect(lk.main().getByText('0 of 25 licences in use, 25 free.')).toBeVisible();
  await lk.main().getByRole('textbox', { name: 'Licence key' }).fill('not-a-key');
  await lk.main().getByRole('button', { name: 'Add key' }).click();
  const alert = lk.main().getByRole('alert');
  await expect(alert).toContainText('This is not a licence key. Copy the whole key and paste it again.');
  await expect(alert).not.toContainText(/at .*\.ts:\d+/);
  await lk.screenshot('licences');
});
