import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test.describe.configure({ timeout: 150_000 });

test('the line monitor filters, pauses, clears with undo, exports, names the Super-Twin handset and keeps events across pages', async ({ lk }) => {
  const { instanceId, controlUrl } = await lk.apiCall<{ instanceId: string; controlUrl: string }>('demo.start', {});
  // The demo PBX is shared with earlier specs (demo-pbx takes 105 out of service): the phones this spec calls are in service.
  for (const device of ['100', '101', '104', '105', '106']) await fetch(`${controlUrl}/devices/${device}/service`, { method: 'POST', body: JSON.stringify({ inService: true }), headers: { 'content-type': 'application/json' } });
  await lk.apiCall('lines.discover', { instanceId, requestId: 'e2e-monitor' });
  await lk.apiCall('lines.applyDiscovery', { instanceId, requestId: 'e2e-monitor' });
  await lk.apiCall('driver.start', { instanceId });
  await lk.page.reload();
  await lk.openInstance('Demo PBX');
  await lk.openPage('Status');
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
  const monitor = lk.main().getByRole('region', { name: 'Line monitor' });
  const events = monitor.getByRole('table', { name: 'Call events' });
  // Rows of one line: a cell that is exactly its number (a row's text runs its cells together).
  const rowsOf = (line: string) => events.getByRole('row').filter({ has: lk.page.getByRole('cell', { name: line, exact: true }) });

  // 101 is paired with the DECT handset 301: its ringing shows as the twin's, not as the desk phone's.
  await lk.apiCall('demo.placeCall', { from: '100', to: '101' });
  await expect(events.getByRole('row').filter({ hasText: '101 (Super-Twin handset 301)' }).first()).toBeVisible({ timeout: 15_000 });

  // Filter by line, then by event.
  await monitor.getByLabel('Line', { exact: true }).fill('100');
  await expect(events.getByRole('row').filter({ hasText: '101 (Super-Twin' })).toHaveCount(0);
  await expect(events.getByRole('row').nth(1)).toContainText('100');
  await monitor.getByLabel('Line', { exact: true }).fill('');
  await monitor.getByRole('combobox', { name: 'Event' }).selectOption('delivered');
  const delivered = await events.getByRole('row').count();
  expect(delivered).toBeGreaterThan(1);
  for (const cell of await events.getByRole('row').locator('td:nth-child(3)').allTextContents()) expect(cell).toMatch(/^Call ringing/);
  await monitor.getByRole('combobox', { name: 'Event' }).selectOption({ label: 'All events' });

  // Pause holds the view; new events wait and are counted; Resume shows them.
  await monitor.getByRole('button', { name: 'Pause' }).click();
  await lk.apiCall('demo.placeCall', { from: '103', to: '104' });
  await expect(monitor.getByText(/Paused: \d+ new events? waits?\./)).toBeVisible({ timeout: 15_000 });
  await expect(rowsOf('104')).toHaveCount(0);
  await monitor.getByRole('button', { name: 'Resume' }).click();
  await expect(rowsOf('104').first()).toBeVisible();

  // Events that happen while the admin is on another page are there on return.
  await lk.goTo('Licences');
  await lk.apiCall('demo.placeCall', { from: '105', to: '106' });
  await lk.page.waitForTimeout(1500);
  await lk.goTo('Driver instances');
  await lk.openInstance('Demo PBX');
  await lk.openPage('Status');
  await expect(rowsOf('106').first()).toBeVisible();
  await expect(events.getByRole('row').filter({ hasText: '101 (Super-Twin handset 301)' }).first()).toBeVisible();
  await expect(monitor.getByText(/events shown \(the last 1,000 are kept\)/)).toBeVisible();

  // Export writes what is shown as CSV.
  const download = lk.page.waitForEvent('download');
  await monitor.getByRole('button', { name: 'Export as CSV' }).click();
  const csv = readFileSync(await (await download).path()).toString();
  expect(csv.split('\r\n')[0]).toBe('time,line,twin,event,callState,remote,lineState,cause');
  expect(csv).toMatch(/\r\n[^\r\n]*,101,301,delivered,/);
  expect(csv).toMatch(/\r\n[^\r\n]*,106,,delivered,/);

  // Clear empties the list and can be taken back.
  const before = await events.getByRole('row').count();
  await monitor.getByRole('button', { name: 'Clear' }).click();
  await expect(events).toHaveCount(0);
  await expect(monitor.getByText(/\d+ events? cleared\./)).toBeVisible();
  await monitor.getByRole('button', { name: 'Undo' }).click();
  await expect(events.getByRole('row')).toHaveCount(before);

  // In German.
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    const monitorDe = lk.main().getByRole('region', { name: 'Leitungsmonitor' });
    await expect(monitorDe.getByRole('button', { name: 'Anhalten' })).toBeVisible();
    await expect(monitorDe.getByRole('button', { name: 'Als CSV exportieren' })).toBeVisible();
    await expect(monitorDe.getByRole('table', { name: 'Anrufereignisse' }).getByRole('row').filter({ hasText: '101 (Super-Twin-Mobilteil 301)' }).first()).toBeVisible();
    await expect(monitorDe.getByText(/Ereignissen angezeigt \(die letzten 1\.000 werden behalten\)/)).toBeVisible();
    // At the screenshot's width the line state ("Überwacht") stays one word on one line, and the chart's outer
    // axis labels ("vor 60 s", "jetzt") lie inside the chart.
    await lk.page.setViewportSize({ width: 1360, height: 940 });
    const stateCell = monitorDe.getByRole('table', { name: 'Anrufereignisse' }).locator('tbody tr td:last-child').first();
    await expect(stateCell).toHaveText('Überwacht');
    expect(await stateCell.evaluate((td) => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; })).toBe(1);
    const cut = await lk.main().locator('.events-chart svg').evaluate((svg) => {
      const box = (svg as SVGSVGElement).viewBox.baseVal;
      return [...svg.querySelectorAll('text')].filter((t) => { const b = t.getBBox(); return b.x < box.x || b.x + b.width > box.x + box.width; }).map((t) => t.textContent);
    });
    expect(cut).toEqual([]);
    await lk.screenshot('line-monitor');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  await lk.apiCall('driver.stop', { instanceId });
});
