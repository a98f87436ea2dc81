import { test, expect } from './fixtures';

test('the multiplexer starts towards the demo PBX, shows its link, warnings and counters, and stops', async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  await lk.goTo('Multiplexer');
  await lk.main().getByLabel('PBX host name or IP address').fill(demo.host);
  await lk.main().getByLabel('PBX port').fill(String(demo.port));
  // Port 0: any free port, so the test never collides with a real multiplexer.
  await lk.main().getByLabel('Port for applications (TCP)').fill('0');
  // The page remembers the last start (the TLS spec's login and TLS port on this shared server): back to TCP only.
  await lk.main().getByLabel('Port for applications (TLS), empty for none').fill('');
  await lk.main().getByLabel('Applications must log in').uncheck();
  // this computer only unless the admin picks an interface; the open TCP login is pointed out before starting
  await expect(lk.main().getByLabel('Interface for applications')).toHaveValue('127.0.0.1');
  const openLogin = lk.main().getByRole('status').filter({ hasText: 'Applications can connect over TCP without logging in.' });
  await expect(openLogin).toBeVisible();
  await lk.main().getByLabel('Applications must log in').check();
  await expect(openLogin).toBeHidden();
  await lk.main().getByLabel('Applications must log in').uncheck();
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  const link = lk.main().getByRole('region', { name: 'Link to the PBX' });
  await expect(link).toContainText(`Connected ${demo.host}:${demo.port}`, { timeout: 20_000 });
  await expect(link).toContainText('Applications connect to 127.0.0.1 port');
  await expect(link).toContainText('Applications can connect over TCP without logging in.');
  await expect(lk.main().getByRole('region', { name: 'Counters' })).toContainText('Connects to the PBX');
  await lk.screenshot('multiplexer');
  await link.getByRole('button', { name: 'Stop the multiplexer' }).click();
  await expect(lk.main().getByRole('button', { name: 'Start the multiplexer' })).toBeVisible();
});

test("the multiplexer's log entries read in German, naming the PBX by its address", async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  await lk.apiCall('mux.start', { pbxHost: demo.host, pbxPort: demo.port, tcpPort: 0 });
  try {
    await lk.goTo('Settings');
    const log = lk.main().locator('.log-list');
    await expect(log).toContainText(`Link to the PBX ${demo.host}:${demo.port} is up.`, { timeout: 20_000 });
    await lk.chooseLanguage('Language', 'Deutsch');
    try {
      await expect(log).toContainText(`Die Verbindung zur Anlage ${demo.host}:${demo.port} steht.`);
      const listening = log.locator('li', { hasText: 'Empfangsbereit auf 127.0.0.1: TCP-Port' }).first();
      await expect(listening.locator('.log-source')).toHaveText('Multiplexer');
      // the multiplexer's own entries (other sources are worded elsewhere)
      const muxEntries = await log.locator('li', { has: lk.page.locator('.log-source', { hasText: 'Multiplexer' }) }).allTextContents();
      expect(muxEntries.length).toBeGreaterThanOrEqual(2);
      for (const entry of muxEntries) expect(entry).not.toMatch(/PBX|link|listening|logged in|application/);
    } finally {
      await lk.chooseLanguage('Sprache', 'English');
    }
  } finally {
    await lk.apiCall('mux.stop', {});
  }
});
