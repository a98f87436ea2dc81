import { test, expect } from './fixtures';

test('settings explain themselves with a short help text from the manual, in English and German', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Helpful PBX', host: 'pbx.local' });
  await lk.openPage('Connection');
  const port = lk.main().getByLabel('Port', { exact: true });
  await expect(port).toHaveAccessibleDescription('TCP port 33333 on the PBX and the multiplexer; 33334 for TLS to the multiplexer.');
  await expect(lk.main().getByText('TCP port 33333 on the PBX and the multiplexer; 33334 for TLS to the multiplexer.')).toBeVisible();
  await expect(lk.main().getByLabel('Multiplexer password')).toHaveAccessibleDescription('The password of the CSTA user in the multiplexer.');
  await lk.openPage('Advanced');
  await expect(lk.main().getByLabel('Check active calls every (seconds)')).toHaveAccessibleDescription(/ended unseen disappears/);
  await lk.openPage('Location');
  await expect(lk.main().getByLabel('Extension ranges', { exact: true })).toHaveAccessibleDescription(/A line query takes only these/);
  await lk.screenshot('field-help');

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.main().getByLabel('Nebenstellenbereiche', { exact: true })).toHaveAccessibleDescription(/Eine Leitungsabfrage übernimmt nur diese/);
    await lk.openPage('Verbindung');
    await expect(lk.main().getByLabel('Port', { exact: true })).toHaveAccessibleDescription('TCP-Port 33333 an Anlage und Multiplexer; 33334 für TLS zum Multiplexer.');
    await lk.main().getByLabel('Modus').selectOption({ index: 1 });
    await expect(lk.main().getByLabel('TLS verwenden')).toHaveAccessibleDescription(/gültiges Zertifikat/);
    await lk.main().getByRole('button', { name: 'Änderungen verwerfen' }).click();
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});
