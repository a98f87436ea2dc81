import { test, expect } from './fixtures';

test('in German a bad port and a shadowed rule are explained in German', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Filiale', host: 'pbx.local' });
  await lk.chooseLanguage('Language', 'Deutsch');

  await lk.page.getByRole('tab', { name: 'Verbindung' }).click();
  await lk.main().getByLabel('Port', { exact: true }).fill('70000');
  await expect(lk.main().getByText('Der Port muss zwischen 1 und 65535 liegen')).toBeVisible();
  await expect(lk.main().getByText('port must be 1-65535')).toHaveCount(0);
  await expect(lk.main().getByRole('button', { name: 'Speichern', exact: true })).toBeDisabled();
  await lk.main().getByRole('button', { name: 'Änderungen verwerfen' }).click();

  await lk.page.getByRole('tab', { name: 'Rufnummernformat' }).click();
  for (const n of [1, 2]) {
    await lk.page.getByRole('button', { name: 'Regel hinzufügen' }).click();
    const rule = lk.page.getByRole('listitem', { name: `Regel ${n}` });
    await rule.getByLabel('Suchen').fill('^0([0-9]+)$');
    await rule.getByLabel('Ersetzen').fill('+49\\1');
  }
  const warnings = lk.page.getByRole('list', { name: 'Warnungen zu Regel 2' });
  await expect(warnings).toContainText('Regel 2 greift nie: Regel 1 hat dasselbe Muster und steht davor');
  await expect(warnings).not.toContainText('can never fire');
  await lk.screenshot('german-lint-warning');
  await lk.chooseLanguage('Sprache', 'English');
});

test('in German a failed connection test says the cause in German and keeps the facts', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Hauptstelle', host: '127.0.0.1' });
  await lk.chooseLanguage('Language', 'Deutsch');
  await lk.page.getByRole('tab', { name: 'Verbindung' }).click();
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  await lk.main().getByLabel('Port', { exact: true }).fill('1');
  await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
  const result = lk.main().getByRole('status').filter({ hasText: 'Keine Verbindung zu 127.0.0.1:1' });
  await expect(result).toContainText('Die Verbindung wurde abgewiesen. Prüfen Sie Adresse und Port', { timeout: 20_000 });
  await expect(lk.main().locator('[data-code="CONNECT_REFUSED"]')).toContainText('127.0.0.1');
  await lk.main().getByRole('button', { name: 'Änderungen verwerfen' }).click();
  await lk.chooseLanguage('Sprache', 'English');
});
