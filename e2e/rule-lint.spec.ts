import { test, expect } from './fixtures';

test('a rule that an earlier, broader pattern always wins over is flagged, in English and German, until it moves up', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Shadowed rules PBX', host: 'pbx.local' });
  await lk.openPage('Number format');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule1 = lk.page.getByRole('listitem', { name: 'Rule 1' });
  await rule1.getByLabel('Search').fill('^0(.*)');
  await rule1.getByLabel('Replace').fill('\\1');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule2 = lk.page.getByRole('listitem', { name: 'Rule 2' });
  await rule2.getByLabel('Search').fill('^0891(.*)');
  await rule2.getByLabel('Replace').fill('+49891\\1');
  const warnings = lk.page.getByRole('list', { name: 'Warnings for rule 2' });
  await expect(warnings).toContainText('rule 2 can never fire: every number it matches is matched by rule 1 ("^0(.*)"), which comes first');
  await expect(lk.page.getByRole('list', { name: 'Warnings for rule 1' })).toHaveCount(0);

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.page.getByRole('list', { name: 'Warnungen zu Regel 2' })).toContainText('Regel 2 greift nie: Jede Nummer, auf die sie passt, erfasst schon Regel 1 („^0(.*)“), die davor steht');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }

  // The narrower rule first: both can fire, and the warning goes.
  await rule2.getByRole('button', { name: 'Move up' }).click();
  await expect(lk.page.getByRole('list', { name: /Warnings for rule/ })).toHaveCount(0);
  // A pattern that is not contained (another prefix) is not flagged.
  await lk.page.getByRole('listitem', { name: 'Rule 2' }).getByLabel('Search').fill('^1(.*)');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule3 = lk.page.getByRole('listitem', { name: 'Rule 3' });
  await rule3.getByLabel('Search').fill('^12[0-9]*$');
  await rule3.getByLabel('Replace').fill('x');
  await expect(lk.page.getByRole('list', { name: 'Warnings for rule 3' })).toContainText('matched by rule 2 ("^1(.*)")');
});
