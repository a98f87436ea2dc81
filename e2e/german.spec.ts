import { test, expect } from './fixtures';

test('in German the instance pages, rule check and numbers use German words and number format', async ({ lk }) => {
  const rows = ['number,name', ...Array.from({ length: 1200 }, (_, i) => `${2000 + i},Platz ${i}`)].join('\n');
  await lk.addInstance({ family: 'Panasonic', name: 'Zentrale', host: 'pbx.local' });
  await lk.importLines('plaetze.csv', rows);
  await expect(lk.page.getByText('1,200 added')).toBeVisible();
  await lk.page.getByRole('button', { name: 'Import', exact: true }).click();

  await lk.chooseLanguage('Language', 'Deutsch');
  const list = lk.page.getByRole('complementary', { name: 'Instanzen' });
  await expect(list).toContainText('1.200 Leitungen');
  await expect(lk.page.getByRole('tab', { name: 'Verbindung' })).toBeVisible();
  await lk.page.getByRole('tab', { name: 'Rufnummernformat' }).click();
  await lk.page.getByRole('button', { name: 'Regel hinzufügen' }).click();
  await lk.page.getByRole('listitem', { name: 'Regel 1' }).getByLabel('Suchen').fill('^0([0-9]+)$');
  await lk.page.getByRole('listitem', { name: 'Regel 1' }).getByLabel('Ersetzen').fill('+49\\1');
  const check = lk.page.getByRole('region', { name: 'Nummer prüfen' });
  await check.getByLabel('Zu prüfende Nummer').fill('0891234');
  await expect(check.getByText('Umgeschrieben von Regel 1', { exact: true })).toBeVisible();
  await expect(lk.page.getByRole('status').filter({ hasText: 'Ungespeicherte Änderungen' })).toBeVisible();
  await lk.screenshot('german-number-format');
  await lk.page.getByRole('tab', { name: 'Leitungen' }).click();
  await expect(lk.page.getByText('1.200 von 1.200 Leitungen')).toBeVisible();
  await lk.chooseLanguage('Sprache', 'English');
});
