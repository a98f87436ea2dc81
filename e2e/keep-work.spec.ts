import { test, expect, type ConsolePage } from './fixtures';
import { CstaTestClient } from '../main/protocols/csta-ber/testing/client';
// aria-rowcount counts the header row too.

test.describe.configure({ timeout: 120_000 });

/** An instance of its own pointing at the demo PBX, with the lines the admin typed. */
async function pbxWithTypedLines(lk: ConsolePage, name: string) {
  const demo = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  const source = await lk.apiCall<{ connection: Record<string, unknown>; location: Record<string, unknown> }>('instances.get', { id: demo.instanceId });
  const created = await lk.apiCall<{ id: string }>('instances.create', { family: 'panasonic', name });
  await lk.apiCall('instances.update', { id: created.id, patch: { connection: source.connection, location: { ...source.location, ranges: '100-199, 300-399' } } });
  await lk.page.reload();
  await lk.openInstance(name);
  await lk.importLines('typed.txt', '100,Front desk\n999,Old fax\n');
  await lk.page.getByRole('region', { name: 'Import preview of typed.txt' }).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(lk.page.getByRole('table', { name: 'Lines' })).toHaveAttribute('aria-rowcount', '3');
}

test('a line query that removes lines or overwrites names asks first, offers to keep them, and can be undone', async ({ lk }) => {
  await pbxWithTypedLines(lk, 'Keep-work PBX');
  const table = lk.page.getByRole('table', { name: 'Lines' });
  await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = lk.page.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText('44 devices: 43 to add, 1 to remove, 1 renamed', { timeout: 30_000 });
  await expect(lk.page.getByRole('status').filter({ hasText: '2 lines are now in the instance.' })).toBeVisible();
  // The demo's SIP phones lie outside the ranges: counted and listed, not dropped silently.
  await expect(preview).toContainText('5 devices lie outside the extension ranges and are not taken');
  await expect(preview.getByRole('list', { name: 'Outside the extension ranges' }).getByRole('listitem')).toHaveCount(5);
  await expect(preview.getByRole('list', { name: 'Outside the extension ranges' })).toContainText('200');

  // One click no longer replaces the list: the console says what goes and waits.
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  const ask = preview.getByRole('alertdialog');
  await expect(ask).toHaveText(/This removes 1 line and overwrites 1 name\. Take the lines anyway\?/);
  await lk.screenshot('lines-query-confirm', preview);
  await ask.getByRole('button', { name: 'Go back' }).click();
  await expect(table).toHaveAttribute('aria-rowcount', '3');

  // Keeping the typed names leaves only the removal to confirm.
  await preview.getByLabel('Keep names entered by hand').check();
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  await expect(ask).toContainText('This removes 1 line and overwrites 0 names.');
  await ask.getByRole('button', { name: 'Remove and rename' }).click();
  const done = lk.page.getByRole('status').filter({ hasText: '44 lines are now in the instance.' });
  await expect(done).toContainText(/The previous line list is kept in .*instance-.*\.json\.bak until the next change\./);
  await expect(table).toHaveAttribute('aria-rowcount', '45');
  await expect(table.getByRole('row', { name: /100 100 Front desk/ })).toBeVisible();
  // The import's note belonged to the list before the query: only the query's result is shown now.
  await expect(lk.page.getByRole('status').filter({ hasText: '2 lines are now in the instance.' })).toHaveCount(0);
  await lk.screenshot('lines-query-undo');

  // Undo puts the two typed lines back.
  await done.getByRole('button', { name: 'Undo' }).click();
  await expect(lk.page.getByRole('status').filter({ hasText: 'The previous line list is back (2 lines).' })).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '3');
  await expect(table.getByRole('row', { name: /999 999 Old fax/ })).toBeVisible();

  // Keeping what the PBX does not list and the typed names loses nothing, so nothing is asked.
  await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
  await expect(preview).toContainText('1 to remove', { timeout: 30_000 });
  await preview.getByLabel('Keep the 1 line the PBX does not list').check();
  await preview.getByLabel('Keep names entered by hand').check();
  await preview.getByRole('button', { name: 'Take these lines' }).click();
  await expect(lk.page.getByRole('status').filter({ hasText: '45 lines are now in the instance.' })).toBeVisible();
  await lk.page.getByLabel('Filter lines').fill('Old fax');
  await expect(table.getByRole('row', { name: /999 999 Old fax/ })).toBeVisible();
  await lk.page.getByLabel('Filter lines').fill('');
  await expect(table.getByRole('row', { name: /100 100 Front desk/ })).toBeVisible();
});

test('in German the query asks before removing, and undo after a later edit names the backup copy', async ({ lk }) => {
  await pbxWithTypedLines(lk, 'Keep-work PBX DE');
  const table = lk.page.getByRole('table', { name: 'Leitungen' });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.page.getByRole('button', { name: 'Leitungen aus der Anlage abfragen' }).click();
    const preview = lk.page.getByRole('region', { name: 'Aus der Anlage gelesene Leitungen' });
    await expect(preview).toContainText('44 Geräte: 43 hinzuzufügen, 1 zu entfernen, 1 umbenannt', { timeout: 30_000 });
    await expect(preview).toContainText('5 Geräte liegen außerhalb der Nebenstellenbereiche und werden nicht übernommen');
    await expect(preview.getByRole('list', { name: 'Außerhalb der Nebenstellenbereiche' }).getByRole('listitem')).toHaveCount(5);
    await expect(preview.getByLabel('Die 1 Leitung behalten, die die Anlage nicht meldet')).toBeVisible();
    await preview.getByRole('button', { name: 'Diese Leitungen übernehmen' }).click();
    await expect(preview.getByRole('alertdialog')).toContainText('Entfernt werden: 1 Leitung; überschrieben: 1 Name. Trotzdem übernehmen?');
    await preview.getByRole('button', { name: 'Entfernen und umbenennen' }).click();
    await expect(table).toHaveAttribute('aria-rowcount', '45');
    const done = lk.page.getByRole('status').filter({ hasText: '44 Leitungen' });
    await expect(done).toContainText('Die vorherige Leitungsliste bleibt bis zur nächsten Änderung in');

    // A line edited after the apply: undo would lose it, so it refuses and names the backup copy.
    const id = (await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {})).instances.find((i) => i.name === 'Keep-work PBX DE')!.id;
    await lk.apiCall('lines.update', { instanceId: id, ref: { number: '101' }, line: { number: '101', name: 'Umbenannt' } });
    await done.getByRole('button', { name: 'Rückgängig' }).click();
    await expect(lk.page.getByRole('alert')).toContainText(/Die Leitungen wurden nach dem Übernehmen der Abfrage geändert.*instance-.*\.json\.bak/);
    await expect(table).toHaveAttribute('aria-rowcount', '45');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});

test('unsaved edits stay with their instance across switching and reloading, and leaving asks first', async ({ lk }) => {
  for (const name of ['Draft A', 'Draft B']) await lk.apiCall('instances.create', { family: 'panasonic', name });
  await lk.page.reload();
  await lk.openInstance('Draft A');
  await lk.openPage('Connection');
  await lk.main().getByLabel('Host name or IP address').fill('pbx-a.example');
  const sidebar = lk.page.getByRole('complementary', { name: 'Instances' });
  await expect(sidebar.getByRole('button', { name: /^Draft A/ })).toContainText('Unsaved changes');

  // Another instance does not see the draft; coming back finds it, and the sidebar marks the instance meanwhile.
  await lk.openInstance('Draft B');
  await lk.openPage('Connection');
  await expect(lk.main().getByLabel('Host name or IP address')).not.toHaveValue('pbx-a.example');
  await expect(sidebar.getByRole('button', { name: /^Draft A/ })).toContainText('Unsaved changes');
  await expect(sidebar.getByRole('button', { name: /^Draft B/ })).not.toContainText('Unsaved changes');
  await lk.openInstance('Draft A');
  await lk.openPage('Connection');
  await expect(lk.main().getByLabel('Host name or IP address')).toHaveValue('pbx-a.example');
  await lk.screenshot('unsaved-changes');

  // Reloading asks first; going ahead keeps the draft.
  const asked: string[] = [];
  let leave = true;
  lk.page.on('dialog', (d) => {
    asked.push(d.type());
    void (leave ? d.accept() : d.dismiss());
  });
  await lk.page.reload();
  expect(asked).toEqual(['beforeunload']);
  await expect(lk.page.locator('[data-app-state="loaded"]')).toBeVisible({ timeout: 20_000 });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.page.getByRole('complementary', { name: 'Instanzen' }).getByRole('button', { name: /^Draft A/ })).toContainText('Ungespeicherte Änderungen');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  await lk.openInstance('Draft A');
  await lk.openPage('Connection');
  await expect(lk.main().getByLabel('Host name or IP address')).toHaveValue('pbx-a.example');

  // Closing the window with the draft asks too (the admin stays); once it is discarded nothing is asked.
  leave = false;
  await lk.page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload', 'beforeunload']);
  expect(lk.page.isClosed()).toBe(false);
  await lk.main().getByRole('button', { name: 'Discard changes' }).click();
  await expect(lk.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: /^Draft A/ })).not.toContainText('Unsaved changes');
  await lk.page.close({ runBeforeUnload: true });
  await expect.poll(() => lk.page.isClosed()).toBe(true);
  expect(asked).toHaveLength(2);
});

test('importing a rule set says what it replaces first, in English and German', async ({ lk }) => {
  const created = await lk.apiCall<{ id: string }>('instances.create', { family: 'panasonic', name: 'Rules kept PBX' });
  const rule = (search: string) => ({ enabled: true, mode: 'regex', search, replace: '\\1', note: '' });
  await lk.apiCall('instances.update', {
    id: created.id,
    patch: { numberFormat: { incoming: [rule('^0(.*)$'), rule('^9(.*)$')], tests: { incoming: [{ input: '012', expected: '12' }], outgoing: [], dialing: [] } } },
  });
  const { text } = await lk.apiCall<{ text: string }>('rules.export', { format: { incoming: [], outgoing: [rule('^00(.*)$')], dialing: [], tests: { incoming: [], outgoing: [], dialing: [] } } });
  await lk.page.reload();
  await lk.openInstance('Rules kept PBX');
  await lk.openPage('Number format');
  const pick = () => lk.page.locator('input[type=file]').setInputFiles({ name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await pick();
  const ask = lk.page.getByRole('alertdialog');
  await expect(ask).toContainText('The rule set in other.txt replaces all three lists and their stored tests.');
  await expect(ask.getByRole('listitem').nth(0)).toHaveText('Incoming: 2 rules and 1 test now, 0 rules and 0 tests from the file');
  await expect(ask.getByRole('listitem').nth(1)).toHaveText('Outgoing: 0 rules and 0 tests now, 1 rule and 0 tests from the file');
  await lk.screenshot('rules-import-confirm');
  // Cancel leaves the rules as they were.
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(lk.page.getByRole('listitem', { name: 'Rule 2' }).getByLabel('Search')).toHaveValue('^9(.*)$');

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await pick();
    await expect(ask.getByRole('listitem').nth(0)).toHaveText('Eingehend: jetzt 2 Regeln und 1 Test, aus der Datei 0 Regeln und 0 Tests');
    await ask.getByRole('button', { name: 'Regeln ersetzen' }).click();
    await expect(lk.page.getByText('Regelsatz gelesen; speichern Sie, um ihn zu behalten.')).toBeVisible();
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  // Replaced only in the draft: discarding brings the two rules back.
  await expect(lk.page.getByRole('listitem', { name: 'Rule 1' })).toHaveCount(0);
  await lk.main().getByRole('button', { name: 'Discard changes' }).click();
  await expect(lk.page.getByRole('listitem', { name: 'Rule 2' }).getByLabel('Search')).toHaveValue('^9(.*)$');
});

test('stopping the multiplexer keeps its settings: the form shows them again, and they are what the service starts with', async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  await lk.goTo('Multiplexer');
  await lk.main().getByLabel('PBX host name or IP address').fill(demo.host);
  await lk.main().getByLabel('PBX port').fill(String(demo.port));
  await lk.main().getByLabel('Port for applications (TCP)').fill('0');
  await lk.main().getByLabel('Applications must log in').check();
  await lk.main().getByLabel('User name', { exact: true }).fill('ops');
  await lk.main().getByLabel('Password', { exact: true }).fill('secret');
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  const link = lk.main().getByRole('region', { name: 'Link to the PBX' });
  await expect(link).toContainText(`Connected ${demo.host}:${demo.port}`, { timeout: 20_000 });
  await link.getByRole('button', { name: 'Stop the multiplexer' }).click();

  // After a stop, and after a reload, the form holds what it ran with; the password is kept, not shown.
  await lk.page.reload();
  await lk.goTo('Multiplexer');
  await expect(lk.main().getByLabel('PBX host name or IP address')).toHaveValue(demo.host);
  await expect(lk.main().getByLabel('PBX port')).toHaveValue(String(demo.port));
  await expect(lk.main().getByLabel('Applications must log in')).toBeChecked();
  await expect(lk.main().getByLabel('User name', { exact: true })).toHaveValue('ops');
  await expect(lk.main().getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(lk.main().getByText('A login is stored; leave the password empty to keep it.')).toBeVisible();
  const service = await lk.apiCall<Array<{ settings?: { pbxHost: string; pbxPort: number; requireLogin: boolean }; hasLogin: boolean }>>('services.list', {});
  expect(service[0]).toMatchObject({ settings: { pbxHost: demo.host, pbxPort: demo.port, requireLogin: true }, hasLogin: true });

  // Starting again without retyping the password keeps the stored login (a wrong one would be refused).
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  await expect(link).toContainText(`Connected ${demo.host}:${demo.port}`, { timeout: 20_000 });
  const { listening } = await lk.apiCall<{ listening: { tcpPort: number } }>('mux.status', {});
  const app = await CstaTestClient.login({ port: listening.tcpPort, login: { user: 'ops', password: 'secret' } });
  app.close();
  const wrong = await CstaTestClient.open({ port: listening.tcpPort, login: { user: 'ops', password: '' } });
  wrong.client.close();
  expect(wrong.aare).toMatchObject({ result: 1 });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.main().getByRole('button', { name: 'Multiplexer anhalten' }).click();
    await expect(lk.main().getByText('Eine Anmeldung ist gespeichert; lassen Sie das Passwort leer, um sie zu behalten.')).toBeVisible();
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  // The specs share one console: leave the multiplexer remembered without a login, as the next spec expects.
  await lk.main().getByLabel('Applications must log in').uncheck();
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  await link.getByRole('button', { name: 'Stop the multiplexer' }).click();
  await expect(lk.main().getByLabel('Applications must log in')).not.toBeChecked();
});

test('saving rules whose stored tests fail says which, in English and German', async ({ lk }) => {
  const created = await lk.apiCall<{ id: string }>('instances.create', { family: 'panasonic', name: 'Failing tests PBX' });
  const rule = { enabled: true, mode: 'regex', search: '^0(.*)$', replace: '\\1', note: '' };
  await lk.apiCall('instances.update', { id: created.id, patch: { numberFormat: { incoming: [rule], tests: { incoming: [{ input: '012', expected: '12' }], outgoing: [], dialing: [] } } } });
  await lk.page.reload();
  await lk.openInstance('Failing tests PBX');
  await lk.openPage('Number format');
  const search = lk.page.getByRole('listitem', { name: /^(Rule|Regel) 1$/ }).getByLabel(/^(Search|Suchen)$/);
  await search.fill('^00(.*)$');
  await lk.main().getByRole('button', { name: 'Save', exact: true }).click();
  await expect(lk.main().getByRole('alert').filter({ hasText: 'Saved, but 1 stored test fails: Incoming test 1 (012 gives 012, expected 12).' })).toBeVisible();

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await search.fill('^000(.*)$');
    await lk.main().getByRole('button', { name: 'Speichern', exact: true }).click();
    await expect(lk.main().getByRole('alert').filter({ hasText: 'Gespeichert, aber 1 gespeicherter Test schlägt fehl: Eingehend Test 1 (012 ergibt 012, erwartet 12).' })).toBeVisible();
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  // Passing again: nothing is said.
  await search.fill('^0(.*)$');
  await lk.main().getByRole('button', { name: 'Save', exact: true }).click();
  await expect(lk.main().getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(lk.main().getByRole('alert').filter({ hasText: 'stored test' })).toHaveCount(0);
});
