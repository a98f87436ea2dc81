import { test, expect } from './fixtures';

test('the licences page shows the trial and refuses a malformed key with what to do', async ({ lk }) => {
  await lk.goTo('Licences');
  await expect(lk.main().getByText(/Trial: 45 days left for 25 lines/)).toBeVisible();
  // Specs share one server, so an earlier one may still hold a licence: the pool's size is what counts here.
  await expect(lk.main().getByRole('heading', { name: /^\d+ of 25 licences in use, \d+ free\.$/ })).toBeVisible();
  await lk.main().getByRole('textbox', { name: 'Licence key' }).fill('not-a-key');
  await lk.main().getByRole('button', { name: 'Add key' }).click();
  const alert = lk.main().getByRole('alert');
  await expect(alert).toContainText('This is not a licence key. Copy the whole key and paste it again.');
  await expect(alert).not.toContainText(/at .*\.ts:\d+/);
  await lk.screenshot('licences');
});
