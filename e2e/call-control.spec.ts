import { test, expect, type ConsolePage } from './fixtures';

test.describe.configure({ timeout: 120_000 });

/** The demo PBX with its lines read, and the instance patched before its driver starts. */
async function demoRunning(lk: ConsolePage, requestId: string, patch?: Record<string, unknown>): Promise<string> {
  const { instanceId } = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  await lk.apiCall('lines.discover', { instanceId, requestId });
  await lk.apiCall('lines.applyDiscovery', { instanceId, requestId });
  if (patch) await lk.apiCall('instances.update', { id: instanceId, patch });
  await lk.apiCall('driver.start', { instanceId });
  return instanceId;
}

/** The Status page's line control showing `line`. */
async function lineControl(lk: ConsolePage, line: string) {
  await lk.page.reload();
  await lk.openInstance('Demo PBX');
  await lk.openPage('Status');
  const control = lk.main().getByRole('region', { name: 'Line control' });
  await control.getByLabel('Line', { exact: true }).fill(line);
  await control.getByLabel('Line', { exact: true }).blur();
  return { control, calls: control.getByRole('table', { name: `Calls on line ${line}` }) };
}

test('a demo call answered, held, retrieved and transferred from the line control, as a softphone offers it', async ({ lk }) => {
  const instanceId = await demoRunning(lk, 'e2e-calls');
  const { control, calls } = await lineControl(lk, '101');
  await expect(calls).toContainText('No calls on this line.', { timeout: 20_000 });

  await lk.apiCall('demo.placeCall', { from: '100', to: '101' });
  // A ringing call offers Answer (and Redirect), not Hold.
  const ringing = calls.getByRole('row').filter({ hasText: 'Ringing' });
  await expect(ringing).toBeVisible({ timeout: 15_000 });
  await expect(ringing.getByRole('button', { name: 'Hold' })).toHaveCount(0);
  await ringing.getByRole('button', { name: 'Answer' }).click();

  const connected = calls.getByRole('row').filter({ hasText: 'Connected' });
  await expect(connected).toBeVisible({ timeout: 15_000 });
  await expect(connected.getByRole('button', { name: 'Answer' })).toHaveCount(0);
  await connected.getByRole('button', { name: 'Hold' }).click();
  const held = calls.getByRole('row').filter({ hasText: 'On hold' });
  await expect(held).toBeVisible({ timeout: 15_000 });
  await held.getByRole('button', { name: 'Retrieve' }).click();
  await expect(connected).toBeVisible({ timeout: 15_000 });

  // Transfer takes the number from "Number to call"; the call leaves line 101 and rings at 102.
  await expect(connected.getByRole('button', { name: 'Transfer', exact: true })).toBeDisabled();
  await control.getByLabel('Number to call').fill('102');
  await connected.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(calls).toContainText('No calls on this line.', { timeout: 15_000 });
  await expect(control.getByRole('status')).toContainText('Transfer: done.');
  await expect.poll(async () => (await lk.apiCall<{ calls: Array<{ state: string }> }>('line.status', { instanceId, line: '102' })).calls.map((c) => c.state), { timeout: 15_000 }).toEqual(['alerting']);
  // Specs share one server: a later spec walks the demo PBX from its first start, so leave no demo behind.
  await lk.apiCall('driver.stop', { instanceId });
  await lk.apiCall('demo.stop', {});
  await lk.apiCall('instances.delete', { id: instanceId, confirmName: 'Demo PBX' });
});

test('intrusion on a busy extension from the call list, and lines shown canonical once the location says so', async ({ lk }) => {
  const instanceId = await demoRunning(lk, 'e2e-intrude', { location: { ranges: '100-199', useLocation: true, location: '49(89)1234', display: 'canonical' } });
  // 102 talks to 103; then 101 calls the busy 102.
  await lk.apiCall('demo.placeCall', { from: '103', to: '102' });
  await expect.poll(async () => (await lk.apiCall<{ calls: Array<{ state: string }> }>('line.status', { instanceId, line: '102' })).calls.length, { timeout: 15_000 }).toBe(1);
  const busy = (await lk.apiCall<{ calls: Array<{ callId: string }> }>('line.status', { instanceId, line: '102' })).calls[0]!.callId;
  await lk.apiCall('line.callControl', { instanceId, line: '102', request: { op: 'answer', callId: busy } });
  await lk.apiCall('demo.placeCall', { from: '101', to: '102' });

  const { control, calls } = await lineControl(lk, '101');
  const placed = calls.getByRole('row').filter({ hasText: 'Connected' });
  await expect(placed).toBeVisible({ timeout: 15_000 });
  // The other party is shown canonical, and the line by its canonical number.
  await expect(placed).toContainText('+49(89)1234-102');
  await expect(control.getByRole('status')).toContainText('+49(89)1234-101');
  await placed.getByRole('button', { name: 'Intrude' }).click();
  await expect(control.getByRole('status')).toContainText('Intrude: done.', { timeout: 15_000 });
  await expect.poll(async () => (await lk.apiCall<{ calls: Array<{ callId: string }> }>('line.status', { instanceId, line: '101' })).calls.map((c) => c.callId), { timeout: 15_000 }).toEqual([busy]);

  await lk.openPage('Lines');
  await expect(lk.main().getByRole('table', { name: 'Lines' })).toContainText('+49(89)1234-101');
  await lk.apiCall('driver.stop', { instanceId });
  await lk.apiCall('demo.stop', {});
  await lk.apiCall('instances.delete', { id: instanceId, confirmName: 'Demo PBX' });
});
