import { test, expect } from './fixtures';

const LINES = Array.from({ length: 44 }, (_, k) => `${100 + k},${k % 10 === 0 ? `SIP phone ${k}` : `Desk ${k}`}`).join('\n');

test('the SIP-line filter warns about dialect traps and is tried on the instance\'s 44 lines before saving, in English and German', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'SIP try PBX', host: 'pbx.local', lines: LINES });
  await lk.openPage('SIP-line filter');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule2 = lk.page.getByRole('listitem', { name: 'Rule 2' });
  await rule2.getByLabel('Rule type').selectOption({ label: 'Number matches' });
  // The traps the number format's lint names: \d is the letter d, {2} is text.
  await rule2.getByLabel('Pattern').fill('^1\\d{2}$');
  const problems = rule2.getByRole('list', { name: 'Problems of rule 2' });
  await expect(problems).toContainText('SIP filter rule 2: "\\d" is a plain letter in this dialect, not a character class; use [0-9] for a digit');
  await expect(problems).toContainText('SIP filter rule 2: "{2}" is plain text in this dialect, not a repeat count');

  const trial = lk.page.getByRole('region', { name: "Try it on this instance's lines" });
  await trial.getByRole('button', { name: 'Check the 44 lines' }).click();
  // Rule 1 (name contains "SIP") leaves out 5 lines; rule 2 as written matches none.
  await expect(trial.getByRole('status')).toHaveText('5 of 44 lines would be left out.');
  const list = trial.getByRole('table', { name: 'Lines the filter would leave out' });
  await expect(list.getByRole('row')).toHaveCount(6);
  await expect(list.getByRole('row', { name: /110 SIP phone 10/ })).toContainText('rule 1 (Name contains "SIP")');
  await lk.screenshot('sip-filter-try');

  // Changing the filter drops the result that belonged to the old one; the fixed pattern leaves out 100-139 as well.
  await rule2.getByLabel('Pattern').fill('^1[0-3][0-9]$');
  await expect(trial.getByRole('status')).toHaveCount(0);
  await expect(problems).toHaveCount(0);
  await trial.getByRole('button', { name: 'Check the 44 lines' }).click();
  await expect(trial.getByRole('status')).toHaveText('41 of 44 lines would be left out.');

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    const versuch = lk.page.getByRole('region', { name: 'An den Leitungen dieser Instanz ausprobieren' });
    const regel2 = lk.page.getByRole('listitem', { name: 'Regel 2' });
    await regel2.getByLabel('Muster').fill('^14\\d$');
    await expect(regel2.getByRole('list', { name: 'Probleme von Regel 2' })).toContainText('SIP-Filterregel 2: „\\d“ ist in diesem Dialekt ein einfacher Buchstabe');
    await versuch.getByRole('button', { name: 'Die 44 Leitungen prüfen' }).click();
    await expect(versuch.getByRole('status')).toHaveText('5 von 44 Leitungen würden ausgelassen.');
    await expect(versuch.getByRole('table', { name: 'Leitungen, die der Filter auslassen würde' })).toContainText('Regel 1 (Name enthält „SIP“)');
    await lk.page.getByRole('listitem', { name: 'Regel 1' }).getByLabel('Muster').fill('SIP phone 1');
    await versuch.getByRole('button', { name: 'Die 44 Leitungen prüfen' }).click();
    await expect(versuch.getByRole('status')).toHaveText('1 von 44 Leitungen würde ausgelassen.');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  // Nothing was saved by trying.
  await expect(lk.main().getByRole('status').filter({ hasText: 'Unsaved changes' })).toBeVisible();
});
