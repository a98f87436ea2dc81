import { test, expect } from './fixtures';

test('the access token leaves the address bar after load, and the console still works after a reload', async ({ page, server }) => {
  const response = await page.goto(`${server.url}#/settings`);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  await expect(page.locator('[data-app-state="loaded"]')).toBeVisible({ timeout: 20_000 });
  expect(page.url()).not.toContain('token');
  expect(page.url()).toBe(`${server.origin}/#/settings`);

  await page.reload();
  await expect(page.locator('[data-app-state="loaded"]')).toBeVisible({ timeout: 20_000 });
  expect(page.url()).not.toContain('token');
  // Data from main arrives over the API: the Settings page shows the data directory of this server.
  await expect(page.getByRole('main')).toContainText(server.dataDir);
});

test('a page opened without the token in a new tab is not let in', async ({ context, server }) => {
  const page = await context.newPage();
  await page.goto(server.origin + '/');
  await expect(page.getByText(/token/i).first()).toBeVisible();
  await expect(page.locator('[data-app-state="loaded"]')).toHaveCount(0);
});
