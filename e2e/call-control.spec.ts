import type { Locator } from '@playwright/test';
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

/**
 * Line 104's control with what the longer walks use: the calls of any line (API), answering at a far end (those are
 * lines of the same instance; the test answers for them through the API, as their users would), and the call list.
 */
async function walk(lk: ConsolePage, instanceId: string) {
  type Calls = { calls: Array<{ callId: string; state: string; remoteRaw: string; parties?: string[] }> };
  const callsOf = async (line: string) => (await lk.apiCall<Calls>('line.status', { instanceId, line })).calls;
  const answerAt = async (line: string) => {
    await expect.poll(async () => (await callsOf(line)).filter((c) => c.state === 'alerting').length, { timeout: 15_000 }).toBe(1);
    const ringing = (await callsOf(line)).find((c) => c.state === 'alerting')!;
    await lk.apiCall('line.callControl', { instanceId, line, request: { op: 'answer', callId: ringing.callId } });
  };
  const { control, calls } = await lineControl(lk, '104');
  const number = control.getByLabel('Number to call');
  const row = (state: string) => calls.getByRole('row').filter({ hasText: state });
  const done = (action: string) => expect(control.getByRole('status')).toContainText(`${action}: done.`, { timeout: 15_000 });
  /** 103 calls 104, which answers, consults 106 and joins both into a conference. */
  const conferenceWith103And106 = async () => {
    await lk.apiCall('demo.placeCall', { from: '103', to: '104' });
    await row('Ringing').getByRole('button', { name: 'Answer' }).click({ timeout: 15_000 });
    await number.fill('106');
    await row('Connected').getByRole('button', { name: 'Consult' }).click({ timeout: 15_000 });
    await answerAt('106');
    await row('Connected').getByRole('button', { name: 'Conference' }).click({ timeout: 15_000 });
    await done('Conference');
  };
  const noCalls = () => expect(calls).toContainText('No calls on this line.', { timeout: 15_000 });
  return { control, calls, callsOf, answerAt, number, row, done, noCalls, conferenceWith103And106 };
}

/** Forwarding of one kind for some callers to 108 set from the line control, read back from the PBX, and stopped. */
async function forwardingReadBack(control: Locator, kind: string, callers: string) {
  await control.getByLabel('Forward when').selectOption({ label: kind });
  await control.getByLabel('For callers').selectOption({ label: callers });
  await control.getByLabel('Forward to').fill('108');
  await control.getByRole('button', { name: 'Forward', exact: true }).click();
  await control.getByRole('button', { name: 'Read from the PBX' }).click();
  await expect(control.getByRole('list', { name: 'Settings at the PBX' })).toContainText(`Forwarding (${kind}, ${callers} callers) to 108`, { timeout: 15_000 });
  await control.getByRole('button', { name: 'Stop forwarding' }).click();
  await control.getByRole('button', { name: 'Read from the PBX' }).click();
  await expect(control.getByRole('list', { name: 'Settings at the PBX' })).not.toContainText('Forwarding', { timeout: 15_000 });
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

test('consult, swap, complete transfer; conference and remove a party; pickup, digits, call back and forwarding from the line control', async ({ lk }) => {
  const instanceId = await demoRunning(lk, 'e2e-calls-more');
  const { control, calls, callsOf, answerAt, number, row, done, noCalls, conferenceWith103And106 } = await walk(lk, instanceId);
  await expect(calls).toContainText('No calls on this line.', { timeout: 20_000 });

  // 100 calls 104; 104 consults 105, swaps back to 100 and completes the transfer: 100 and 105 talk.
  await lk.apiCall('demo.placeCall', { from: '100', to: '104' });
  await row('Ringing').getByRole('button', { name: 'Answer' }).click({ timeout: 15_000 });
  await number.fill('105');
  await row('Connected').getByRole('button', { name: 'Consult' }).click({ timeout: 15_000 });
  await answerAt('105');
  await expect(row('On hold')).toBeVisible({ timeout: 15_000 });
  await expect(row('Connected')).toContainText('105', { timeout: 15_000 });
  await row('Connected').getByRole('button', { name: 'Swap' }).click();
  await done('Swap');
  await expect.poll(async () => (await callsOf('104')).map((c) => `${c.state}:${c.remoteRaw}`).sort(), { timeout: 15_000 }).toEqual(['connected:100', 'held:105']);
  await row('Connected').getByRole('button', { name: 'Complete transfer' }).click();
  await noCalls();
  await expect.poll(async () => (await callsOf('105')).map((c) => c.state), { timeout: 15_000 }).toEqual(['connected']);

  // 103 calls 104; 104 consults 106 and joins both into a conference, then removes 106 from it.
  await conferenceWith103And106();
  const conference = row('Connected');
  await expect(conference.getByRole('button', { name: 'Remove 103' })).toBeVisible({ timeout: 15_000 });
  await conference.getByRole('button', { name: 'Remove 106' }).click();
  await done('Remove 106');
  await expect.poll(async () => (await callsOf('106')).length, { timeout: 15_000 }).toBe(0);
  // Two parties left: a plain call again, with nobody left to remove.
  await expect(conference.getByRole('button', { name: /^Remove/ })).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(async () => (await callsOf('103')).map((c) => c.state), { timeout: 15_000 }).toEqual(['connected']);
  await conference.getByRole('button', { name: 'End call' }).click();
  await noCalls();

  // 107 rings; 104 picks the call up and sends digits on it.
  await lk.apiCall('demo.placeCall', { from: '103', to: '107' });
  await expect.poll(async () => (await callsOf('107')).map((c) => c.state), { timeout: 15_000 }).toEqual(['alerting']);
  await number.fill('107');
  await control.getByRole('button', { name: 'Pick up' }).click();
  await expect(row('Connected')).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await callsOf('107')).length, { timeout: 15_000 }).toBe(0);
  await number.fill('123#');
  await row('Connected').getByRole('button', { name: 'Send digits' }).click();
  await done('Send digits');
  await row('Connected').getByRole('button', { name: 'End call' }).click();
  await noCalls();

  // 105 is busy (with 100): 104 calls it, asks to be called back, and is called back once 105 hangs up.
  await number.fill('105');
  await control.getByRole('button', { name: 'Call', exact: true }).click();
  await row('Connected').getByRole('button', { name: 'Call back when free' }).click({ timeout: 15_000 });
  await done('Call back when free');
  await noCalls();
  await lk.apiCall('line.clearCall', { instanceId, line: '105' });
  await expect.poll(async () => (await callsOf('104')).map((c) => c.remoteRaw), { timeout: 15_000 }).toEqual(['105']);
  await row('Connected').getByRole('button', { name: 'End call' }).click({ timeout: 15_000 });
  await noCalls();

  // Forwarding on no answer for external callers, set and read back from the PBX.
  await forwardingReadBack(control, 'No answer', 'External');

  // In German the call list names the actions as a German softphone does.
  await lk.chooseLanguage('Language', 'Deutsch');
  const german = lk.main().getByRole('region', { name: 'Leitungssteuerung' });
  const gCalls = german.getByRole('table', { name: 'Gespräche auf Leitung 104' });
  await lk.apiCall('demo.placeCall', { from: '100', to: '104' });
  const gRinging = gCalls.getByRole('row').filter({ hasText: 'Klingelt' });
  await expect(gRinging.getByRole('button')).toHaveText(['Annehmen', 'Umleiten', 'Gespräch beenden'], { timeout: 15_000 });
  await gRinging.getByRole('button', { name: 'Annehmen' }).click();
  const gConnected = gCalls.getByRole('row').filter({ hasText: 'Verbunden' });
  await expect(gConnected.getByRole('button')).toHaveText(['Halten', 'Weiterleiten', 'Rückfrage', 'Ziffern senden', 'Gespräch beenden'], { timeout: 15_000 });
  await gConnected.getByRole('button', { name: 'Gespräch beenden' }).click();
  await expect(gCalls).toContainText('Keine Gespräche auf dieser Leitung.', { timeout: 15_000 });
  await lk.chooseLanguage('Sprache', 'English');

  await lk.apiCall('driver.stop', { instanceId });
  await lk.apiCall('demo.stop', {});
  await lk.apiCall('instances.delete', { id: instanceId, confirmName: 'Demo PBX' });
});

test('redirect, dial on dial tone, call back without a call, a fourth conference party, busy forwarding and the Mobile address from the line control', async ({ lk }) => {
  const { controlUrl } = await lk.apiCall<{ controlUrl: string }>('demo.start', {});
  const instanceId = await demoRunning(lk, 'e2e-calls-rest');
  const { control, callsOf, answerAt, number, row, done, noCalls, conferenceWith103And106 } = await walk(lk, instanceId);
  const statesOf = async (line: string) => (await callsOf(line)).map((c) => c.state);
  await noCalls();

  // A ringing call redirected to 106: it leaves 104 and rings there.
  await lk.apiCall('demo.placeCall', { from: '100', to: '104' });
  await number.fill('106');
  await row('Ringing').getByRole('button', { name: 'Redirect' }).click({ timeout: 15_000 });
  await done('Redirect');
  await noCalls();
  await expect.poll(() => statesOf('106'), { timeout: 15_000 }).toEqual(['alerting']);
  await lk.apiCall('line.clearCall', { instanceId, line: '106' });

  // The user lifts 104's handset (the demo PBX's control API); the call list offers Dial on the dial tone.
  const lifted = await fetch(`${controlUrl}/devices/104/off-hook`, { method: 'POST' });
  expect(lifted.status).toBe(200);
  await number.fill('105');
  await row('Dialling').getByRole('button', { name: 'Dial' }).click({ timeout: 15_000 });
  await done('Dial');
  await expect.poll(() => statesOf('105'), { timeout: 15_000 }).toEqual(['alerting']);
  await expect(row('Connected')).toBeVisible({ timeout: 15_000 });
  await row('Connected').getByRole('button', { name: 'End call' }).click();
  await noCalls();

  // 105 is busy with 100: without calling it, 104 asks to be called back, and is once 105 hangs up.
  await lk.apiCall('demo.placeCall', { from: '100', to: '105' });
  await answerAt('105');
  await number.fill('105');
  await control.getByRole('button', { name: 'Call back when free' }).click();
  await done('Call back when free');
  await lk.apiCall('line.clearCall', { instanceId, line: '105' });
  await expect.poll(async () => (await callsOf('104')).map((c) => c.remoteRaw), { timeout: 15_000 }).toEqual(['105']);
  await row('Connected').getByRole('button', { name: 'End call' }).click({ timeout: 15_000 });
  await noCalls();

  // A conference of 104, 103 and 106; 104 consults 107 from it and adds 107: four parties on one call.
  await conferenceWith103And106();
  await expect(row('Connected').getByRole('button', { name: 'Remove 106' })).toBeVisible({ timeout: 15_000 });
  await number.fill('107');
  await row('Connected').getByRole('button', { name: 'Consult' }).click();
  await answerAt('107');
  await expect(row('On hold')).toBeVisible({ timeout: 15_000 });
  await row('Connected').getByRole('button', { name: 'Conference' }).click({ timeout: 15_000 });
  await done('Conference');
  for (const party of ['103', '106', '107']) await expect(row('Connected').getByRole('button', { name: `Remove ${party}` })).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await callsOf('104')).map((c) => [...(c.parties ?? [])].sort().join(',')), { timeout: 15_000 }).toEqual(['103,106,107']);
  await row('Connected').getByRole('button', { name: 'End call' }).click();
  await noCalls();
  for (const line of ['103', '106', '107']) await lk.apiCall('line.clearCall', { instanceId, line });

  // Forwarding when busy, for all callers, set and read back from the PBX.
  await forwardingReadBack(control, 'Busy', 'All');

  // 101's Super-Twin handset 301 rings with it: the line learns its Mobile address, and can dial from the handset.
  await lk.apiCall('demo.placeCall', { from: '100', to: '101' });
  await expect.poll(async () => (await lk.apiCall<{ mobile: string | null }>('line.status', { instanceId, line: '101' })).mobile, { timeout: 15_000 }).toBe('301');
  await lk.apiCall('line.clearCall', { instanceId, line: '100' });
  const twin = await lineControl(lk, '101');
  await twin.control.getByLabel('Act as').selectOption({ label: 'Mobile 301' });
  await twin.control.getByLabel('Number to call').fill('105');
  await twin.control.getByRole('button', { name: 'Call', exact: true }).click();
  await expect.poll(async () => (await callsOf('105')).map((c) => `${c.state}:${c.remoteRaw}`), { timeout: 15_000 }).toEqual(['alerting:301']);
  await lk.apiCall('line.clearCall', { instanceId, line: '105' });

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
