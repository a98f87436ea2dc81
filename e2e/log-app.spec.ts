import { test, expect } from './fixtures';

test('the console\'s own log entries read in German on the Settings page, without main\'s English', async ({ lk }) => {
  // A refused call (an instance that does not exist) and a refused request to the web server are logged.
  await expect(lk.apiCall('instances.get', { id: 'no-such-instance' })).rejects.toThrow();
  expect((await fetch(`${lk.server.origin}/%zz`)).status).toBe(400);
  await lk.goTo('Settings');
  const log = lk.main().locator('.log-list');
  await expect(log).toContainText('The call instances.get failed (NOT_FOUND)');
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(log).toContainText('Der Aufruf instances.get ist gescheitert: nicht gefunden');
    await expect(log).toContainText(/Der Webserver hat die Anfrage "GET" "\/%zz" von [\d.:]+ abgewiesen \(Antwort 400\)\./);
    await expect(log).not.toContainText(/instances\.get failed|malformed percent-encoding|answered 400/);
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});
