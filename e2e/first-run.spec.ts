import { test, expect } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test('a Panasonic instance in multiplexer mode reaches the multiplexer started from the same console, both at their defaults', async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  await lk.goTo('Multiplexer');
  await lk.main().getByLabel('PBX host name or IP address').fill(demo.host);
  await lk.main().getByLabel('PBX port').fill(String(demo.port));
  await lk.main().getByLabel('Port for applications (TCP)').fill('0');
  await lk.main().getByRole('button', { name: 'Start the multiplexer' }).click();
  const link = lk.main().getByRole('region', { name: 'Link to the PBX' });
  await expect(link).toContainText(`Connected ${demo.host}:${demo.port}`, { timeout: 20_000 });
  const { listening } = await lk.apiCall<{ listening: { tcpPort: number } }>('mux.status', {});

  // The instance keeps its default user and gets no password: the multiplexer's shipped login is what both use.
  await lk.addInstance({ family: 'Panasonic', name: 'Through my multiplexer', host: '127.0.0.1' });
  await lk.openPage('Connection');
  await lk.main().getByLabel('Mode').selectOption({ label: 'Through the CSTA multiplexer' });
  await lk.main().getByLabel('Port', { exact: true }).fill(String(listening.tcpPort));
  await lk.save();
  await lk.main().getByRole('button', { name: 'Test connection' }).click();
  await expect(lk.main().getByRole('status').filter({ hasText: `Connected to 127.0.0.1:${listening.tcpPort}` })).toBeVisible({ timeout: 20_000 });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.main().getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(lk.main().getByRole('status').filter({ hasText: `Verbunden mit 127.0.0.1:${listening.tcpPort}` })).toBeVisible({ timeout: 20_000 });
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }

  await lk.openPage('Status');
  await lk.main().getByRole('button', { name: 'Start the driver' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });
  await lk.main().getByRole('button', { name: 'Stop the driver' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Stopped');
  await lk.goTo('Multiplexer');
  await link.getByRole('button', { name: 'Stop the multiplexer' }).click();
  await expect(lk.main().getByRole('button', { name: 'Start the multiplexer' })).toBeVisible();
});

test('cancelling the wizard on a later step leaves no instance behind, in English and German', async ({ lk }) => {
  const wizard = lk.page.getByRole('region', { name: /Add a driver instance|Treiberinstanz hinzufügen/ });
  const sidebar = lk.page.getByRole('complementary', { name: /Instances|Instanzen/ });
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  await wizard.getByRole('radio', { name: 'Panasonic' }).check();
  await wizard.getByLabel('Instance name').fill('Abandoned PBX');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('Host name or IP address').fill('pbx.local');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Lines' })).toHaveAttribute('aria-current', 'step');
  await wizard.getByRole('button', { name: 'Cancel and discard "Abandoned PBX"' }).click();
  await expect(wizard).toBeHidden();
  await expect(sidebar.getByRole('button', { name: /^Abandoned PBX/ })).toHaveCount(0);
  const names = (await lk.apiCall<{ instances: Array<{ name: string }> }>('instances.list', {})).instances.map((i) => i.name);
  expect(names).not.toContain('Abandoned PBX');

  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.main().getByRole('button', { name: 'Instanz hinzufügen' }).click();
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Name der Instanz').fill('Verworfene Anlage');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Abbrechen und „Verworfene Anlage“ verwerfen' }).click();
    await expect(wizard).toBeHidden();
    await expect(sidebar.getByRole('button', { name: /^Verworfene Anlage/ })).toHaveCount(0);
    const after = (await lk.apiCall<{ instances: Array<{ name: string }> }>('instances.list', {})).instances.map((i) => i.name);
    expect(after).not.toContain('Verworfene Anlage');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});

test('an instance is renamed in the console; a taken name is refused in English and German', async ({ lk }) => {
  for (const name of ['Rename me', 'Taken name']) await lk.apiCall('instances.create', { family: 'panasonic', name });
  await lk.page.reload();
  await lk.openInstance('Rename me');
  await lk.main().getByRole('button', { name: 'Rename', exact: true }).click();
  const form = lk.main().getByRole('form', { name: 'Rename' });
  await form.getByLabel('New name').fill('Taken name');
  await form.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(lk.main().getByRole('alert')).toContainText('That name is taken. Choose another name.');
  await expect(lk.main().getByRole('alert')).toContainText('an instance named "Taken name" exists already');
  await lk.screenshot('rename');
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.main().getByRole('alert')).toContainText('Dieser Name ist vergeben. Wählen Sie einen anderen Namen.');
    // main's English facts stay out of the German console: its own advice says it all
    await expect(lk.main().getByRole('alert')).not.toContainText('exists already');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
  await form.getByLabel('New name').fill('Renamed PBX');
  await form.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(lk.instanceHeading()).toHaveText('Renamed PBX');
  await expect(form).toBeHidden();
  const sidebar = lk.page.getByRole('complementary', { name: 'Instances' });
  await expect(sidebar.getByRole('button', { name: /^Renamed PBX/ })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: /^Rename me/ })).toHaveCount(0);
});

test('the wizard ends with a summary of what was set up, in German', async ({ lk }) => {
  await lk.goTo('Driver instances');
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await lk.main().getByRole('button', { name: 'Instanz hinzufügen' }).click();
    const wizard = lk.page.getByRole('region', { name: 'Treiberinstanz hinzufügen' });
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Name der Instanz').fill('Zusammengefasste Anlage');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByLabel('Hostname oder IP-Adresse').fill('pbx.local');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('radio', { name: 'Später' }).check();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    const summary = wizard.getByLabel('Zusammenfassung');
    await expect(summary).toContainText('pbx.local:33333');
    await expect(summary).toContainText('0 Leitungen');
    await expect(summary).toContainText('keine (jedes Gerät, das die Anlage meldet)');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});
