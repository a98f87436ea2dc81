// The first run as `npm start` makes it (`serve --demo`, the same call as the Electron app's `--demo`): the demo
// PBX runs with all its lines open, and clicking it opens its Status page.
import { consoleTest, expect } from './fixtures';

// A server of its own: the demo runs from its start, as after `npm start`.
const test = consoleTest(['--demo']);

test.describe.configure({ timeout: 120_000 });

test('the first start: the demo PBX runs Connected with every line open, and a click opens its Status page', async ({ lk }) => {
  await lk.goTo('Driver instances');
  const demo = lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Demo PBX/ });
  await expect(demo).toContainText('Connected', { timeout: 30_000 });
  // All its lines hold a licence: the sidebar names no partial state.
  await expect(demo).not.toContainText('lines open');
  await demo.click();
  await expect(lk.instanceHeading()).toHaveText('Demo PBX');
  await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected');
  await expect(lk.main().getByText('24 of 24 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 30_000 });
  await expect(lk.main().getByRole('alert').filter({ hasText: 'All licences are in use.' })).toHaveCount(0);

  // The same after a reload, when the click may come before the sidebar knows the states.
  await lk.page.reload();
  await lk.goTo('Driver instances');
  await demo.click();
  await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
});
