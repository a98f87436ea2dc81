import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test('the demo PBX path: test connection, query lines, start within the trial, run out of licences, pull the link and watch the reconnect', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('button', { name: 'Try it with the demo PBX' }).click();
  await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
  await wizard.getByRole('button', { name: 'Test connection' }).click();
  await expect(wizard.getByRole('status').filter({ hasText: 'Connected to 127.0.0.1' })).toBeVisible({ timeout: 20_000 });
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = wizard.getByRole('region', { name: 'Lines read from the PBX' });
  // The demo's extension ranges hold 24 lines: within the trial's 25 licences.
  await expect(preview).toContainText(/24 devices: 24 to add/, { timeout: 30_000 });
  // The rest of the PBX (desk phones 120-139, SIP phones 200-204) is counted and listed, not dropped silently.
  await expect(preview).toContainText('25 devices lie outside the extension ranges and are not taken');
  await expect(preview.getByRole('list', { name: 'Outside the extension ranges' })).toContainText('139');
  await lk.screenshot('wizard-discovery');
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  // The result stays in view until the admin moves on; the location step has the demo's extension ranges.
  await expect(wizard.getByRole('status').filter({ hasText: '24 lines are now in the instance.' })).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByLabel('Extension ranges', { exact: true })).toHaveValue('100-119, 300-399');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('status')).toContainText('Ready to create "Demo PBX" with 24 lines');
  const summary = wizard.getByLabel('Summary');
  await expect(summary).toContainText('Panasonic');
  await expect(summary).toContainText(/127\.0\.0\.1:\d+/);
  await expect(summary).toContainText('24 lines');
  await expect(summary).toContainText('100-119, 300-399');
  // The demo starts running at the end, and opening it shows its Status page.
  await expect(wizard.getByLabel('Start the driver now')).toBeChecked();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
  const state = lk.page.getByTestId('connection-state');
  await expect(state).toHaveText('Connected', { timeout: 20_000 });
  await expect(lk.main().getByText('24 of 24 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 20_000 });
  const dot = lk.main().locator('.state-line .state-dot');
  await expect(dot).toHaveClass(/state-connected/);
  await expect(lk.main().getByRole('alert').filter({ hasText: 'All licences are in use.' })).toHaveCount(0);
  const demoInSidebar = lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Demo PBX/ });
  await expect(demoInSidebar).toContainText('Connected');
  await expect(demoInSidebar).not.toContainText('lines open');
  // A call placed from the console shows up in the line monitor.
  const control = lk.main().getByRole('region', { name: 'Line control' });
  await control.getByLabel('Line', { exact: true }).fill('100');
  await control.getByLabel('Number to call').fill('101');
  await control.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(control.getByRole('status')).toContainText('Dialled 101.');
  await expect(lk.main().getByRole('region', { name: 'Line monitor' }).getByRole('row').filter({ hasText: '101' }).first()).toBeVisible({ timeout: 15_000 });
  await control.getByRole('button', { name: 'Hang up' }).click();
  await control.getByLabel('Do not disturb').click();
  await expect(control.getByRole('status')).toContainText('Line 100: Monitored');
  await expect(control.getByLabel('Do not disturb')).toBeChecked();
  await lk.screenshot('status');

  // Pull the link on the simulator: the state leaves Connected and comes back with a new "since" time.
  const since = lk.main().getByText(/^since /);
  const before = await since.textContent();
  await lk.page.waitForTimeout(1100);
  await lk.page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenStates: string[] }).seenStates = seen;
    const el = document.querySelector('[data-testid="connection-state"]')!;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const demo = await lk.apiCall<{ controlUrl: string }>('demo.status', {});
  const dropped = await fetch(`${demo.controlUrl}/faults/drop-link`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(((await dropped.json()) as { dropped: boolean }).dropped).toBe(true);
  await expect(since).not.toHaveText(before!, { timeout: 40_000 });
  await expect(state).toHaveText('Connected', { timeout: 40_000 });
  const seen = await lk.page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
  expect(seen.some((s) => /Reconnecting|Connection lost|Connecting/.test(s))).toBe(true);

  // Widening the ranges to every desk phone brings 44 lines: the trial licenses 25, the rest wait for a licence,
  // and neither the Status page nor the sidebar calls that simply "Connected".
  await lk.openPage('Location');
  await lk.main().getByLabel('Extension ranges', { exact: true }).fill('100-199, 300-399');
  await lk.save();
  await lk.openPage('Lines');
  await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const more = lk.page.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(more).toContainText('44 devices: 20 to add', { timeout: 30_000 });
  await more.getByRole('button', { name: 'Take these lines' }).click();
  await expect(demoInSidebar).toContainText('Connected, 25 of 44 lines open', { timeout: 20_000 });
  await lk.openPage('Status');
  await expect(lk.main().getByText('25 of 44 lines open, 0 retrying, 19 without licence.')).toBeVisible({ timeout: 20_000 });
  // Connected, but not every line works: the dot is amber, not green.
  await expect(dot).toHaveClass(/state-partial/);
  await expect(lk.main().getByRole('alert').filter({ hasText: 'All licences are in use.' })).toBeVisible();
  await lk.screenshot('status-partial');
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.page.getByRole('complementary', { name: 'Instanzen' }).getByRole('button', { name: /^Demo PBX/ })).toContainText('Verbunden, 25 von 44 Leitungen offen');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }

  // The lines table shows each line's live state while the driver runs.
  await lk.openPage('Lines');
  const table = lk.page.getByRole('table', { name: 'Lines' });
  await expect(table.getByRole('columnheader', { name: 'Line state' })).toBeVisible();
  await expect(table.getByRole('row', { name: /100 Albrecht, Anna.*Monitored/ })).toBeVisible({ timeout: 15_000 });
  // Unplugging phone 105 on the PBX shows the line out of service.
  await fetch(`${demo.controlUrl}/devices/105/service`, { method: 'POST', body: JSON.stringify({ inService: false }), headers: { 'content-type': 'application/json' } });
  await expect(table.getByRole('row', { name: /105 .*Out of service/ })).toBeVisible({ timeout: 15_000 });
  await lk.page.getByRole('button', { name: 'Sort by Number' }).click();
  await expect(table.getByRole('row', { name: /No licence/ }).first()).toBeVisible({ timeout: 15_000 });
  await lk.screenshot('lines-live-state');

  await lk.goTo('Licences');
  await expect(lk.main().getByText('25 of 25 licences in use, 0 free.')).toBeVisible();
  await expect(lk.main().getByRole('meter', { name: 'Licences used by Demo PBX' })).toBeVisible();
  await lk.goTo('Driver instances');
  await lk.openInstance('Demo PBX');
  await lk.openPage('Status');
  await lk.main().getByRole('button', { name: 'Stop the driver' }).click();
  await expect(state).toHaveText('Stopped');
});

test('querying lines with a SIP-line filter active shows which lines the filter leaves out', async ({ lk }) => {
  const demo = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  expect(demo.instanceId).toBeTruthy();
  await lk.page.reload();
  await lk.openInstance('Demo PBX');
  await lk.openPage('SIP-line filter');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule = lk.page.getByRole('listitem', { name: 'Rule 1' });
  await rule.getByLabel('Rule type').selectOption({ label: 'Number matches' });
  await rule.getByLabel('Pattern').fill('^30[0-9]$');
  await lk.save();
  await lk.openPage('Lines');
  await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = lk.page.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText('4 left out as SIP lines', { timeout: 30_000 });
  await expect(preview.getByRole('list', { name: 'Left out as SIP lines' }).getByRole('listitem')).toHaveCount(4);
  await expect(preview.getByRole('list', { name: 'Left out as SIP lines' })).toContainText('SIP-filter rule 1 ("^30[0-9]$")');
  await lk.screenshot('lines-discovery-sip-filter');
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  // The four stored lines the filter now leaves out would go: the console asks first.
  await expect(preview.getByRole('alertdialog')).toContainText('This removes 4 lines and overwrites 0 names.');
  await preview.getByRole('button', { name: 'Remove and rename' }).click();
  await expect(lk.page.getByRole('table', { name: 'Lines' })).toHaveAttribute('aria-rowcount', '41');
});
