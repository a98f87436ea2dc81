import { readFileSync } from 'node:fs';
import { test, expect, type ConsolePage } from './fixtures';

/** On the instance's Number format page: rule 1 written with `search` and `replace`, and `input` in the rule check. */
async function ruleChecked(lk: ConsolePage, search: string, replace: string, input: string) {
  await lk.openPage('Number format');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule1 = lk.page.getByRole('listitem', { name: 'Rule 1' });
  await rule1.getByLabel('Search').fill(search);
  await rule1.getByLabel('Replace').fill(replace);
  const check = lk.page.getByRole('region', { name: 'Check a number' });
  await check.getByLabel('Number to check').fill(input);
  return { rule1, check };
}

test('a rule written in the editor shows its check output, trace and groups as you type', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Rules PBX', host: 'pbx.local' });
  const { rule1, check } = await ruleChecked(lk, '^0([0-9]+)$', '+49\\1', '08912345');
  await expect(check.locator('output')).toHaveText('+498912345');
  await expect(check.getByText('Rewritten by rule 1', { exact: true })).toBeVisible();
  await expect(check.getByText('\\1 = 8912345')).toBeVisible();
  await expect(check.getByRole('list', { name: 'Trace' })).toContainText('Rule 1');

  // Editing the rule updates the check without pressing anything.
  await rule1.getByLabel('Replace').fill('+4989\\1');
  await expect(check.locator('output')).toHaveText('+49898912345');

  // A second rule that can never win is flagged next to that rule.
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  const rule2 = lk.page.getByRole('listitem', { name: 'Rule 2' });
  await rule2.getByLabel('Search').fill('^0([0-9]+)$');
  await rule2.getByLabel('Replace').fill('x\\1');
  await expect(lk.page.getByRole('list', { name: 'Warnings for rule 2' })).toBeVisible();
  await lk.screenshot('number-format');

  // Moving rule 2 up with the keyboard control makes it the winner.
  await rule2.getByRole('button', { name: 'Move up' }).click();
  await expect(check.locator('output')).toHaveText('x8912345');
  await expect(lk.page.getByRole('status').filter({ hasText: 'Unsaved changes' })).toBeVisible();

  // Dragging the other rule back to the top by its handle restores the first output.
  await lk.page.getByRole('listitem', { name: 'Rule 2' }).locator('.drag-handle').dragTo(lk.page.getByRole('listitem', { name: 'Rule 1' }));
  await expect(check.locator('output')).toHaveText('+49898912345');
  await lk.save();
});

test('stored tests show pass and fail against the rules being edited', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Tests PBX', host: 'pbx.local' });
  await lk.openPage('Number format');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Search').fill('^00([0-9]+)$');
  await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Replace').fill('+\\1');
  const tests = lk.page.getByRole('region', { name: 'Stored tests' });
  await tests.getByRole('button', { name: 'Add test' }).click();
  await tests.getByLabel('Input 1').fill('0049891');
  await tests.getByLabel('Expected output 1').fill('+49891');
  await tests.getByRole('button', { name: 'Add test' }).click();
  await tests.getByLabel('Input 2').fill('0049891');
  await tests.getByLabel('Expected output 2').fill('0049891');
  await expect(tests.getByText('1 passed, 1 failed')).toBeVisible();
  await expect(tests.getByRole('row').nth(1)).toContainText('Pass');
  await expect(tests.getByRole('row').nth(2)).toContainText('Fail');
});

test('a rule set exported from one instance imports into another', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Rules source', host: 'pbx.local' });
  await lk.openPage('Number format');
  await lk.page.getByRole('button', { name: 'Add rule' }).click();
  await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Search').fill('^9([0-9]+)$');
  await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Replace').fill('\\1');
  await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Note').fill('strip the trunk digit');
  await lk.save();
  const downloaded = lk.page.waitForEvent('download');
  await lk.page.getByRole('button', { name: 'Export rule set' }).click();
  const file = await downloaded;
  const content = readFileSync(await file.path());

  await lk.addInstance({ family: 'Panasonic', name: 'Rules target', host: 'pbx.local' });
  await lk.openPage('Number format');
  await lk.page.getByLabel('Import rule set').setInputFiles({ name: 'rules.txt', mimeType: 'text/plain', buffer: content });
  await expect(lk.page.getByText('Rule set read; save to keep it.')).toBeVisible();
  const rule = lk.page.getByRole('listitem', { name: 'Rule 1' });
  await expect(rule.getByLabel('Search')).toHaveValue('^9([0-9]+)$');
  await expect(rule.getByLabel('Note')).toHaveValue('strip the trunk digit');
  await lk.save();
});

test('with the location in use, the rule check shows the location step ahead of the rules, and without it none', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Located PBX', host: 'pbx.local', ranges: '100-199', location: '49(89)1234' });
  // The rule matches only the canonical form, so its match shows that it saw the location's output.
  const { check } = await ruleChecked(lk, '^\\+49(.*)$', '0\\1', '0301234567');
  const step = check.getByTestId('location-step');
  await expect(step).toHaveText('Location first: 0301234567 becomes +49301234567 (national).');
  await expect(check.getByText('Rewritten by rule 1', { exact: true })).toBeVisible();
  await expect(check.locator('output')).toHaveText('0301234567');
  const trace = check.getByRole('list', { name: 'Trace' });
  await expect(trace.locator('mark')).toHaveText('+49301234567');
  // The location step comes before the rules' trace on the page, as it runs before them.
  expect(await step.evaluate((el, list) => Boolean(el.compareDocumentPosition(list!) & Node.DOCUMENT_POSITION_FOLLOWING), await trace.elementHandle())).toBe(true);

  // Without the location the rules see the number as the PBX sent it: no step, and the rule does not match.
  await lk.openPage('Location');
  await lk.page.getByLabel('Use the location').uncheck();
  await lk.openPage('Number format');
  await lk.page.getByRole('region', { name: 'Check a number' }).getByLabel('Number to check').fill('0301234567');
  await expect(check.locator('output')).toHaveText('0301234567');
  await expect(step).toHaveCount(0);
  await expect(check.getByText('Rewritten by rule 1', { exact: true })).toHaveCount(0);
  await expect(trace.locator('mark')).toHaveCount(0);
});
