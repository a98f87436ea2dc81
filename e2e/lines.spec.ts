import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';

const CSV = ['number,name', '200,Reception', '201,Sales', '20x,Broken row', '203,Support'].join('\r\n');

test('importing a CSV with one bad row shows the error by file line and can skip it', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Import PBX', host: 'pbx.local' });
  await lk.importLines('staff.csv', CSV);
  const preview = lk.page.getByRole('region', { name: 'Import preview of staff.csv' });
  await expect(preview).toContainText('3 added, 0 changed, 0 unchanged; rows with errors: 1');
  await expect(preview.getByText(/^Line 4: .*20x/)).toBeVisible();
  await lk.screenshot('lines-import-preview');
  await preview.getByRole('button', { name: 'Import and skip bad rows' }).click();
  await expect(lk.page.getByRole('status').filter({ hasText: '3 lines are now in the instance.' })).toBeVisible();
  const table = lk.page.getByRole('table', { name: 'Lines' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row', { name: /201 Sales/ })).toBeVisible();
});

test('a name with a control character is refused by file line, field and character, in English and German', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Control PBX', host: 'pbx.local' });
  await lk.importLines('names.txt', '300,Front desk\n301,Bad\u0000name\n');
  const preview = lk.page.getByRole('region', { name: 'Import preview of names.txt' });
  await expect(preview).toContainText('1 added, 0 changed, 0 unchanged; rows with errors: 1');
  await expect(preview.getByText('Line 2: the name holds the control character U+0000, which no line field may contain')).toBeVisible();
  await lk.chooseLanguage('Language', 'Deutsch');
  const vorschau = lk.page.getByRole('region', { name: 'Importvorschau von names.txt' });
  await expect(vorschau.getByText('Zeile 2: Das Feld Name enthält das Steuerzeichen U+0000, das in keinem Leitungsfeld stehen darf')).toBeVisible();
  await lk.chooseLanguage('Sprache', 'English');
});

test('a file over the import limit is refused before it is read, naming the limit', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Oversized import PBX', host: 'pbx.local' });
  await lk.openPage('Lines');
  // A sparse file one byte over the limit (Playwright hands over larger files by path).
  const dir = mkdtempSync(join(tmpdir(), 'lk-e2e-huge-'));
  const huge = join(dir, 'huge.txt');
  writeFileSync(huge, '');
  truncateSync(huge, 64 * 1024 * 1024 + 1);
  await lk.page.getByLabel('Import lines from a file').setInputFiles(huge);
  await expect(lk.main().locator('[data-code="LINES_FILE_TOO_LARGE"]')).toContainText('an import may have at most 64 MB');
  await expect(lk.page.getByRole('heading', { name: /Import preview/ })).toHaveCount(0);
  rmSync(dir, { recursive: true, force: true });
});

test('lines are edited inline, filtered, sorted and deleted by multi-select', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Edit PBX', host: 'pbx.local', lines: '100,Anna\n99,Ben\n101,Clara' });
  await lk.openPage('Lines');
  const table = lk.page.getByRole('table', { name: 'Lines' });
  // Numbers sort numerically: 99 before 100.
  await expect(table.getByRole('row').nth(1)).toContainText('99');
  await lk.page.getByRole('button', { name: 'Sort by Number' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('101');

  await table.getByRole('button', { name: 'Edit line 100' }).click();
  const editor = lk.page.getByRole('form', { name: 'Edit line 100' });
  await editor.getByLabel('Name').fill('Anna Schmidt');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(table.getByRole('row', { name: /100 Anna Schmidt/ })).toBeVisible();

  await lk.page.getByLabel('Filter lines').fill('Ben');
  await expect(lk.page.getByText('1 of 3 lines')).toBeVisible();
  await lk.page.getByLabel('Filter lines').fill('');

  await table.getByLabel('Select line 99').check();
  await table.getByLabel('Select line 101').check();
  lk.page.once('dialog', (d) => void d.accept());
  await lk.page.getByRole('button', { name: 'Delete 2 selected lines' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(lk.page.getByRole('complementary', { name: 'Instances' })).toContainText('1 line');
});

test('exported lines re-import into another instance unchanged', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Source PBX', host: 'pbx.local', lines: '300,Alpha\n301,Beta' });
  await lk.openPage('Lines');
  await lk.page.getByLabel('Export format').selectOption({ label: 'CSV with header' });
  const downloaded = lk.page.waitForEvent('download');
  await lk.page.getByRole('button', { name: 'Export' }).click();
  const download = await downloaded;
  const content = readFileSync(await download.path());
  expect(content.toString()).toContain('301');

  await lk.addInstance({ family: 'Panasonic', name: 'Target PBX', host: 'pbx.local' });
  await lk.importLines(download.suggestedFilename(), content);
  const preview = lk.page.getByRole('region', { name: `Import preview of ${download.suggestedFilename()}` });
  await expect(preview).toContainText('2 added, 0 changed, 0 unchanged; rows with errors: 0');
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(lk.page.getByRole('table', { name: 'Lines' }).getByRole('row', { name: /301 Beta/ })).toBeVisible();

  // Importing the same file again changes nothing.
  await lk.importLines(download.suggestedFilename(), content);
  await expect(preview).toContainText('0 added, 0 changed, 2 unchanged; rows with errors: 0');
});

test('the lines table stays usable with 20,000 lines', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Big PBX', host: 'pbx.local' });
  const rows = ['number,name', ...Array.from({ length: 20_000 }, (_, i) => `${10000 + i},User ${i}`)].join('\n');
  await lk.importLines('big.csv', rows);
  await lk.page.getByRole('button', { name: 'Import', exact: true }).click();
  const table = lk.page.getByRole('table', { name: 'Lines' });
  await expect(table).toHaveAttribute('aria-rowcount', '20001');
  // Only the visible rows are in the page.
  expect(await table.getByRole('row').count()).toBeLessThan(80);
  await lk.page.getByLabel('Filter lines').fill('29999');
  await expect(table.getByRole('row', { name: /29999 User 19999/ })).toBeVisible();
});
