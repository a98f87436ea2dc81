import net from 'node:net';
import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

const BUSY_EN = 'The PBX is serving another CSTA client. Stop that client, or connect both through the multiplexer.';
const BUSY_DE = 'Die Anlage bedient bereits einen anderen CSTA-Client. Beenden Sie diesen oder verbinden Sie beide über den Multiplexer.';

test('a busy PBX reads the same in the connection test and in the line query, in English and German, with the facts in the language', async ({ lk }) => {
  const demo = await lk.apiCall<{ instanceId: string; port: number }>('demo.start', {});
  await lk.apiCall('driver.start', { instanceId: demo.instanceId });
  await expect.poll(async () => (await lk.apiCall<{ connection: { state: string } }>('driver.status', { instanceId: demo.instanceId })).connection.state, { timeout: 20_000 }).toBe('connected');
  try {
    // A second instance towards the same PBX: the PBX takes one CSTA client at a time.
    await lk.addInstance({ family: 'Panasonic', name: 'Busy twin', host: '127.0.0.1' });
    await lk.openPage('Connection');
    await lk.main().getByLabel('Port', { exact: true }).fill(String(demo.port));
    await lk.save();
    await lk.main().getByRole('button', { name: 'Test connection' }).click();
    await expect(lk.main().getByRole('status').filter({ hasText: `No connection to 127.0.0.1:${demo.port}` })).toContainText(BUSY_EN, { timeout: 20_000 });
    await expect(lk.main().locator('.test-connection [data-code="PBX_BUSY"]')).toHaveText(`At 127.0.0.1:${demo.port}.`);
    await lk.openPage('Lines');
    await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
    const alert = lk.main().getByRole('alert').filter({ hasText: BUSY_EN });
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await expect(alert).not.toContainText('The action failed');

    await lk.chooseLanguage('Language', 'Deutsch');
    try {
      // The query's message belongs to that query; in German it reads as the test does, with no English.
      await lk.page.getByRole('button', { name: 'Leitungen aus der Anlage abfragen' }).click();
      const deAlert = lk.main().getByRole('alert').filter({ hasText: BUSY_DE });
      await expect(deAlert).toBeVisible({ timeout: 20_000 });
      await expect(deAlert).toContainText(`Bei 127.0.0.1:${demo.port}.`);
      await expect(deAlert).not.toContainText(/busy|refused|login/i);
      await lk.openPage('Verbindung');
      await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
      await expect(lk.main().getByRole('status').filter({ hasText: `Keine Verbindung zu 127.0.0.1:${demo.port}` })).toContainText(BUSY_DE, { timeout: 20_000 });
      await expect(lk.main().locator('.test-connection')).not.toContainText(/busy|refused|login/i);
    } finally {
      await lk.chooseLanguage('Sprache', 'English');
    }
  } finally {
    await lk.apiCall('driver.stop', { instanceId: demo.instanceId });
    await lk.apiCall('demo.stop', {});
    await lk.apiCall('instances.delete', { id: demo.instanceId, confirmName: 'Demo PBX' });
  }
});

test('a test result belongs to its instance and settings; a cancelled query is no failure', async ({ lk }) => {
  // A PBX that takes the connection and then says nothing: the query waits until cancelled.
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    await lk.addInstance({ family: 'Panasonic', name: 'Refusing PBX', host: '127.0.0.1' });
    await lk.addInstance({ family: 'Panasonic', name: 'Silent PBX', host: '127.0.0.1' });
    await lk.openInstance('Refusing PBX');
    await lk.openPage('Connection');
    await lk.main().getByLabel('Port', { exact: true }).fill('1');
    await lk.save();
    await lk.main().getByRole('button', { name: 'Test connection' }).click();
    const refused = lk.main().getByRole('status').filter({ hasText: 'No connection to 127.0.0.1:1' });
    await expect(refused).toBeVisible({ timeout: 20_000 });
    await expect(lk.main().locator('.test-connection [data-code="CONNECT_REFUSED"]')).toHaveText('At 127.0.0.1:1: the connection was refused.');
    // Another port typed: the old result no longer describes these settings.
    await lk.main().getByLabel('Port', { exact: true }).fill('2');
    await expect(refused).toHaveCount(0);
    await lk.main().getByRole('button', { name: 'Discard changes' }).click();
    await lk.main().getByRole('button', { name: 'Test connection' }).click();
    await expect(refused).toBeVisible({ timeout: 20_000 });
    // Another instance on the same page: the first one's result is not shown there.
    await lk.openInstance('Silent PBX');
    await expect(lk.main().getByRole('status').filter({ hasText: 'No connection' })).toHaveCount(0);

    await lk.main().getByLabel('Port', { exact: true }).fill(String(port));
    await lk.save();
    await lk.openPage('Lines');
    await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
    const progress = lk.main().locator('.discover-progress');
    await expect(progress).toBeVisible();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(progress).toBeHidden();
    // The login the PBX never answers times out after 5 s, after the cancel: that is not reported as a failure.
    await lk.page.waitForTimeout(7000);
    await expect(lk.main().getByRole('alert')).toHaveCount(0);
  } finally {
    silent.close();
  }
});

test('the Status page log names the instance by its name and reads in German, with the wait as a duration', async ({ lk }) => {
  const demo = await lk.apiCall<{ instanceId: string; controlUrl: string }>('demo.start', {});
  try {
    for (const number of ['100', '101']) await lk.apiCall('lines.add', { instanceId: demo.instanceId, line: { number, name: `Desk ${number}` } });
    await lk.page.reload();
    await lk.openInstance('Demo PBX');
    await lk.openPage('Status');
    await lk.main().getByRole('button', { name: 'Start the driver' }).click();
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
    const log = lk.main().locator('.log-list');
    await expect(log).toContainText('"Demo PBX": connected.');
    await expect(log).not.toContainText(demo.instanceId);
    await lk.chooseLanguage('Language', 'Deutsch');
    try {
      await expect(log).toContainText('„Demo PBX“: verbunden.');
      await expect(log.locator('.log-source').first()).toHaveText('Treiber');
      // The line monitor in words: a ringing call, not the protocol's "delivered (newCall)".
      await expect(lk.main().getByText(/2 von 2 Leitungen offen/)).toBeVisible({ timeout: 20_000 });
      await lk.apiCall('demo.placeCall', { from: '100', to: '101' });
      const monitor = lk.main().getByRole('region', { name: 'Leitungsmonitor' });
      await expect(monitor).toContainText('Gespräch klingelt', { timeout: 15_000 });
      await expect(monitor).not.toContainText(/delivered|newCall|established/);
      // The PBX drops the link: the entries say so in German, with the cause's sentence and the wait in seconds.
      await fetch(`${demo.controlUrl}/faults/drop-link`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      await expect(log).toContainText('„Demo PBX“: Die Verbindung ist abgebrochen. Die Verbindung zur Anlage ist verloren gegangen.', { timeout: 20_000 });
      // The first attempt after the drop goes at once, and says so rather than "in 0 s".
      await expect(log).toContainText(/„Demo PBX“: [^„]+ Neuer Versuch sofort\./);
      await expect(log).not.toContainText('in 0 s');
      await expect(log).not.toContainText(/next attempt|ended|closed the connection/i);
      await lk.screenshot('status-german-log', lk.main().locator('section:has(> .log-list)'));
    } finally {
      await lk.chooseLanguage('Sprache', 'English');
    }
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 40_000 });
    await lk.main().getByRole('button', { name: 'Stop the driver' }).click();
  } finally {
    await lk.apiCall('demo.stop', {});
    await lk.apiCall('instances.delete', { id: demo.instanceId, confirmName: 'Demo PBX' });
  }
});

test('results appear where the admin is looking on a 1024x700 window: the line query error, the connection test, the save', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Small screen PBX', host: '127.0.0.1', lines: '100,Anna\n101,Ben' });
  await lk.page.setViewportSize({ width: 1024, height: 700 });
  await lk.openPage('Connection');
  await lk.main().getByLabel('Port', { exact: true }).fill('1');
  const save = lk.main().getByRole('button', { name: 'Save', exact: true });
  await save.scrollIntoViewIfNeeded();
  await save.click();
  await expect(lk.main().getByRole('status').filter({ hasText: 'Saved.' })).toBeInViewport({ ratio: 1 });

  const test = lk.main().getByRole('button', { name: 'Test connection' });
  await test.scrollIntoViewIfNeeded();
  await test.click();
  const result = lk.main().getByRole('status').filter({ hasText: 'No connection to 127.0.0.1:1' });
  await expect(result).toBeVisible({ timeout: 20_000 });
  await expect(result).toBeInViewport({ ratio: 1 });

  await lk.openPage('Lines');
  const query = lk.page.getByRole('button', { name: 'Query lines from the PBX' });
  await query.scrollIntoViewIfNeeded();
  await query.click();
  const failure = lk.main().getByRole('alert').filter({ hasText: 'The connection was refused.' });
  await expect(failure).toBeVisible({ timeout: 20_000 });
  await expect(failure).toBeInViewport({ ratio: 1 });
});
