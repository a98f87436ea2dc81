import { test, expect, type ConsolePage } from './fixtures';

test.describe.configure({ timeout: 120_000 });

async function storedNames(lk: ConsolePage): Promise<string[]> {
  return (await lk.apiCall<{ instances: Array<{ name: string }> }>('instances.list', {})).instances.map((i) => i.name);
}

const STEPS = ['Connection', 'Lines', 'Location', 'Done'] as const;

test('the wizard stores nothing until its last step, and Cancel on any step leaves nothing behind', async ({ lk }) => {
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  const sidebar = lk.page.getByRole('complementary', { name: 'Instances' });
  await lk.goTo('Driver instances');
  // Walk to each step in turn, check that nothing is stored yet, and cancel there.
  for (const cancelAt of STEPS) {
    const name = `Unfinished at ${cancelAt}`;
    await lk.main().getByRole('button', { name: 'Add instance' }).click();
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Instance name').fill(name);
    await wizard.getByRole('button', { name: 'Next' }).click();
    for (const step of STEPS) {
      await expect(wizard.getByRole('listitem').filter({ hasText: step })).toHaveAttribute('aria-current', 'step');
      expect(await storedNames(lk)).not.toContain(name);
      if (step === cancelAt) break;
      if (step === 'Connection') await wizard.getByLabel('Host name or IP address').fill('pbx.local');
      if (step === 'Lines') {
        await wizard.getByRole('radio', { name: 'Enter them' }).check();
        await wizard.getByLabel('Lines, one per row as number,name').fill('100,Anna\n101,Ben');
      }
      await wizard.getByRole('button', { name: 'Next' }).click();
    }
    if (cancelAt === 'Done') await expect(wizard.getByRole('status')).toContainText(`Ready to create "${name}" with 2 lines. Nothing is stored until you create it.`);
    await expect(sidebar.getByRole('button', { name: new RegExp(`^${name}`) })).toHaveCount(0);
    await wizard.getByRole('button', { name: `Cancel and discard "${name}"` }).click();
    await expect(wizard).toBeHidden();
    expect(await storedNames(lk)).not.toContain(name);
  }

  // A name taken meanwhile is refused at the end, next to the button, and can be changed there.
  await lk.apiCall('instances.create', { family: 'panasonic', name: 'Taken meanwhile' });
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  await wizard.getByRole('radio', { name: 'Panasonic' }).check();
  await wizard.getByLabel('Instance name').fill('Almost taken');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Host name or IP address').fill('pbx.local');
  for (let k = 0; k < 3; k++) await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('status')).toContainText('Ready to create "Almost taken"');
  await lk.screenshot('wizard-done');
  await wizard.getByLabel('Instance name').fill('Taken meanwhile');
  const create = wizard.getByRole('button', { name: 'Create the instance' });
  await create.click();
  const refusal = wizard.getByRole('alert');
  await expect(refusal).toContainText('That name is taken. Choose another name.');
  expect((await refusal.boundingBox())!.y).toBeGreaterThan((await create.boundingBox())!.y);
  await wizard.getByLabel('Instance name').fill('Not taken');
  await create.click();
  await expect(lk.instanceHeading()).toHaveText('Not taken');

  // Walked to the end, the instance is stored with everything the steps collected, and opens.
  await lk.addInstance({ family: 'Panasonic', name: 'Finished at the end', host: 'pbx.local', lines: '100,Anna\n101,Ben', ranges: '100-199' });
  const stored = await lk.apiCall<{ instances: Array<{ name: string; host: string; lineCount: number }> }>('instances.list', {});
  expect(stored.instances.find((i) => i.name === 'Finished at the end')).toMatchObject({ host: 'pbx.local', lineCount: 2 });
  await expect(sidebar.getByRole('button', { name: /^Finished at the end/ })).toBeVisible();
});

test('in German: the last step says nothing is stored yet, and Cancel there discards the instance', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    const wizard = lk.page.getByRole('region', { name: 'Treiberinstanz hinzufügen' });
    await lk.main().getByRole('button', { name: 'Instanz hinzufügen' }).click();
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Name der Instanz').fill('Nie gespeichert');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByLabel('Hostname oder IP-Adresse').fill('pbx.local');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('radio', { name: 'Eingeben' }).check();
    await wizard.getByLabel('Leitungen, eine pro Zeile als Nummer,Name').fill('100,Anna');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    // One line: singular, and the promise that nothing is stored yet.
    await expect(wizard.getByRole('status')).toHaveText('Bereit, „Nie gespeichert“ mit 1 Leitung anzulegen. Gespeichert wird erst beim Anlegen.');
    await expect(wizard.getByLabel('Treiber jetzt starten')).not.toBeChecked();
    expect(await storedNames(lk)).not.toContain('Nie gespeichert');
    await wizard.getByRole('button', { name: 'Abbrechen und „Nie gespeichert“ verwerfen' }).click();
    await expect(wizard).toBeHidden();
    expect(await storedNames(lk)).not.toContain('Nie gespeichert');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});

test('an imported file shows its result in the wizard before moving on, and the lines arrive with the instance', async ({ lk }) => {
  await lk.goTo('Driver instances');
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  await wizard.getByRole('radio', { name: 'Panasonic' }).check();
  await wizard.getByLabel('Instance name').fill('Imported in the wizard');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Host name or IP address').fill('pbx.local');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'Import a file' }).check();
  await wizard.getByLabel('Import lines from a file').setInputFiles({ name: 'desk.txt', mimeType: 'text/plain', buffer: Buffer.from('200,Desk A\n201,Desk B\n202,Desk C\n') });
  await expect(wizard.getByRole('heading', { name: 'Import preview of desk.txt' })).toBeVisible();
  await wizard.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(wizard.getByRole('status').filter({ hasText: '3 lines are now in the instance.' })).toBeVisible();
  // Still on the lines step: the result is read before the admin moves on; nothing is stored yet.
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Lines' })).toHaveAttribute('aria-current', 'step');
  expect(await storedNames(lk)).not.toContain('Imported in the wizard');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByLabel('Summary')).toContainText('3 lines');
  await wizard.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.instanceHeading()).toHaveText('Imported in the wizard');
  const listed = await lk.apiCall<{ instances: Array<{ name: string; lineCount: number }> }>('instances.list', {});
  expect(listed.instances.find((i) => i.name === 'Imported in the wizard')?.lineCount).toBe(3);
});

test('"Try it with the demo PBX" makes a new instance while the demo runs, and the last step starts its driver', async ({ lk }) => {
  const demo = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  try {
    await lk.page.reload();
    await lk.goTo('Driver instances');
    await lk.main().getByRole('button', { name: 'Add instance' }).click();
    const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
    await wizard.getByRole('button', { name: 'Try it with the demo PBX' }).click();
    await expect(wizard.getByLabel('Host name or IP address')).toHaveValue('127.0.0.1');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('radio', { name: 'Later' }).check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('status')).toContainText('Ready to create "Demo PBX 2" with 0 lines.');
    expect(await storedNames(lk)).not.toContain('Demo PBX 2');
    await expect(wizard.getByLabel('Start the driver now')).toBeChecked();
    await wizard.getByLabel('Instance name').fill('My demo');
    await wizard.getByRole('button', { name: 'Create the instance' }).click();
    await expect(lk.instanceHeading()).toHaveText('My demo');
    await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
    const sidebar = lk.page.getByRole('complementary', { name: 'Instances' });
    await expect(sidebar.getByRole('button', { name: /^Demo PBX/ })).toBeVisible();
    await expect(sidebar.getByRole('button', { name: /^My demo/ })).toBeVisible();
    await lk.main().getByRole('button', { name: 'Stop the driver' }).click();
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Stopped');
  } finally {
    const mine = (await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {})).instances.find((i) => i.name === 'My demo');
    if (mine) await lk.apiCall('instances.delete', { id: mine.id, confirmName: 'My demo' });
    await lk.apiCall('demo.stop', {});
    await lk.apiCall('instances.delete', { id: demo.instanceId, confirmName: 'Demo PBX' });
  }
});

test('a driver that fails to start after "Create the instance" leaves the instance stored: the wizard shows why and opens it', async ({ lk }) => {
  // main refuses the first driver.start (the instance is stored by then), as a failing start would.
  let refused = 0;
  await lk.page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; method?: string };
      if (msg.method === 'driver.start' && refused === 0) {
        refused++;
        ws.send(JSON.stringify({ id: msg.id, reply: { ok: false, error: { code: 'INTERNAL', message: 'the driver could not be started' } } }));
      } else server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await lk.open();
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await wizard.getByRole('radio', { name: 'Panasonic' }).check();
  await wizard.getByLabel('Instance name').fill('Start fails');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Host name or IP address').fill('127.0.0.1');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'Later' }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Start the driver now').check();
  await wizard.getByRole('button', { name: 'Create the instance' }).click();

  await expect(wizard.getByRole('alert')).toContainText('Something went wrong inside Linekeeper.');
  expect(refused).toBe(1);
  await expect(wizard.getByRole('status')).toHaveText('"Start fails" is stored, but its driver did not start.');
  expect(await storedNames(lk)).toContain('Start fails');
  // No way left in the wizard to delete what is stored: the cancel link now opens it.
  await expect(wizard.getByRole('button', { name: 'Cancel and discard "Start fails"' })).toHaveCount(0);
  await wizard.getByRole('button', { name: 'Close and open "Start fails"' }).click();
  await expect(wizard).toBeHidden();
  await expect(lk.instanceHeading()).toHaveText('Start fails');
  await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
  expect(await storedNames(lk)).toContain('Start fails');
});

test('in German: an imported file shows its result before moving on, and the demo path queries, summarises and starts', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.chooseLanguage('Language', 'Deutsch');
  const wizard = lk.page.getByRole('region', { name: 'Treiberinstanz hinzufügen' });
  let demoId = '';
  try {
    await lk.main().getByRole('button', { name: 'Instanz hinzufügen' }).click();
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Name der Instanz').fill('Importiert im Assistenten');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByLabel('Hostname oder IP-Adresse').fill('pbx.local');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('radio', { name: 'Datei importieren' }).check();
    await wizard.getByLabel('Leitungen aus einer Datei importieren').setInputFiles({ name: 'tisch.txt', mimeType: 'text/plain', buffer: Buffer.from('200,Tisch A\n201,Tisch B\n202,Tisch C\n') });
    await expect(wizard.getByRole('heading', { name: 'Importvorschau von tisch.txt' })).toBeVisible();
    await wizard.getByRole('button', { name: 'Importieren', exact: true }).click();
    await expect(wizard.getByRole('status').filter({ hasText: 'Die Instanz hat jetzt 3 Leitungen.' })).toBeVisible();
    await expect(wizard.getByRole('listitem').filter({ hasText: 'Leitungen' })).toHaveAttribute('aria-current', 'step');
    expect(await storedNames(lk)).not.toContain('Importiert im Assistenten');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await expect(wizard.getByLabel('Zusammenfassung')).toContainText('3 Leitungen');
    await wizard.getByRole('button', { name: 'Instanz anlegen' }).click();
    await expect(lk.instanceHeading()).toHaveText('Importiert im Assistenten');

    // The demo path: its devices read and counted, the ones outside the ranges listed, a summary, a running driver.
    await lk.goTo('Treiberinstanzen');
    await lk.main().getByRole('button', { name: 'Instanz hinzufügen' }).click();
    await wizard.getByRole('button', { name: 'Mit der Demo-Anlage ausprobieren' }).click();
    await expect(wizard.getByLabel('Hostname oder IP-Adresse')).toHaveValue('127.0.0.1');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Leitungen aus der Anlage abfragen' }).click();
    const preview = wizard.getByRole('region', { name: 'Aus der Anlage gelesene Leitungen' });
    await expect(preview).toContainText('24 Geräte: 24 hinzuzufügen', { timeout: 30_000 });
    await expect(preview).toContainText('25 Geräte liegen außerhalb der Nebenstellenbereiche und werden nicht übernommen');
    await expect(preview.getByRole('list', { name: 'Außerhalb der Nebenstellenbereiche' })).toContainText('139');
    await preview.getByRole('button', { name: 'Diese Leitungen übernehmen' }).click();
    await expect(wizard.getByRole('status').filter({ hasText: 'Die Instanz hat jetzt 24 Leitungen.' })).toBeVisible();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    const name = await wizard.getByLabel('Name der Instanz').inputValue();
    expect(name).toMatch(/^Demo PBX/);
    await expect(wizard.getByRole('status')).toHaveText(`Bereit, „${name}“ mit 24 Leitungen anzulegen. Gespeichert wird erst beim Anlegen.`);
    await expect(wizard.getByLabel('Zusammenfassung')).toContainText('24 Leitungen');
    await expect(wizard.getByLabel('Treiber jetzt starten')).toBeChecked();
    await wizard.getByRole('button', { name: 'Instanz anlegen' }).click();
    await expect(lk.instanceHeading()).toHaveText(name);
    demoId = (await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {})).instances.find((i) => i.name === name)!.id;
    await expect(lk.page.getByRole('tab', { name: 'Status', exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Verbunden', { timeout: 20_000 });
    await expect(lk.main().getByText('24 von 24 Leitungen offen, 0 im Wiederholungsmodus, 0 ohne Lizenz.')).toBeVisible({ timeout: 20_000 });
  } finally {
    if (demoId) await lk.apiCall('driver.stop', { instanceId: demoId }).catch(() => undefined);
    const mine = (await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {})).instances.find((i) => i.id === demoId);
    if (mine) await lk.apiCall('instances.delete', { id: mine.id, confirmName: mine.name });
    await lk.apiCall('demo.stop', {}).catch(() => undefined);
    await lk.chooseLanguage('Sprache', 'English');
  }
});
