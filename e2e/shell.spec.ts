import { test, expect } from './fixtures';

test('the console loads, shows its readiness marker and the instances page', async ({ lk }) => {
  await expect(lk.page.getByRole('heading', { level: 1, name: 'Driver instances' })).toBeVisible();
  await expect(lk.page.getByText('Browser connection')).toBeVisible();
});

test('navigation switches between instances, licences, multiplexer and settings', async ({ lk }) => {
  for (const [link, heading] of [
    ['Licences', 'Licences'],
    ['Multiplexer', 'CSTA multiplexer'],
    ['Settings', 'Settings'],
    ['Driver instances', 'Driver instances'],
  ]) {
    await lk.goTo(link);
    await expect(lk.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(lk.nav().getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
  }
});

test('the language switch turns the visible text into German and back', async ({ lk }) => {
  await lk.chooseLanguage('Language', 'Deutsch');
  await expect(lk.nav().getByRole('link', { name: 'Lizenzen' })).toBeVisible();
  await expect(lk.page.getByRole('heading', { level: 1, name: 'Treiberinstanzen' })).toBeVisible();
  await lk.page.reload();
  await expect(lk.page.getByRole('heading', { level: 1, name: 'Treiberinstanzen' })).toBeVisible();
  await lk.chooseLanguage('Sprache', 'English');
  await expect(lk.nav().getByRole('link', { name: 'Licences' })).toBeVisible();
});

test('settings show the log directory and live log entries after a change of log level', async ({ lk }) => {
  await lk.goTo('Settings');
  await expect(lk.page.getByText(lk.server.dataDir, { exact: false }).first()).toBeVisible();
  await lk.page.getByRole('main').getByLabel('Log level').first().selectOption({ label: 'Debug' });
  // The change is logged as a coded entry, worded in the console's language.
  await expect(lk.page.getByRole('list').getByText(/Log level Debug, files kept/)).toBeVisible();
});

test('a page opened without the access token is refused the API and says what to do', async ({ page, server }) => {
  await page.goto(server.origin + '/');
  await expect(page.getByRole('alert')).toContainText('access token');
});
