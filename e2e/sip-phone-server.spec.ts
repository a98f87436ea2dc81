import { test, expect } from './fixtures';

test.describe.configure({ timeout: 180_000 });

// The newcomer's path of issue #20: the first configuration, the demo phones registering, one phone provisioned by
// its address, a SIP phones instance that discovers the lines, a call from the console and its events, licences
// per phone and line; then the area's texts in German.
test('SIP phone server: first configuration, demo phones, provisioning by address, an instance that calls, licences', async ({ lk }) => {
  await lk.goTo('SIP phone server');
  const wizard = lk.main().getByRole('region', { name: 'First configuration of the SIP phone server' });
  await expect(wizard).toBeVisible();
  await expect(wizard.getByLabel('Interface for phones')).toHaveValue('127.0.0.1');
  await wizard.getByRole('button', { name: 'Next' }).click();
  // free ports, so the test never collides with a real server
  await wizard.getByLabel('Phone port (TCP)').fill('0');
  await wizard.getByLabel('Client port (TCP)').fill('0');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard).toContainText('A certificate is needed only for TLS ports.');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('button', { name: 'Finish' })).toBeDisabled();
  await wizard.getByLabel('Phone password').fill('phones-pw');
  await wizard.getByLabel('Client user name').fill('cti');
  await wizard.getByLabel('Client password').fill('cti-pw');
  await expect(wizard.getByLabel('Start the server when done')).toBeChecked();
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  // Server status: running; connection settings are locked while it runs, and the console says so
  const pages = lk.main().getByRole('tablist', { name: 'SIP phone server pages' });
  await pages.getByRole('tab', { name: 'Server status' }).click();
  const status = lk.main().getByRole('region', { name: 'Server status' });
  await expect(status).toContainText('The server is running since');
  await expect(status.getByRole('list', { name: 'Listening on' })).toContainText('Phones (TCP): 127.0.0.1 port');
  await pages.getByRole('tab', { name: 'Phone connection' }).click();
  await expect(lk.main().getByRole('note')).toContainText('Connection settings can be changed only while the server is stopped.');
  await expect(lk.main().getByLabel('LAN interface (address to listen on)')).toBeDisabled();

  // the demo phones register and show up in the phone list, live
  await pages.getByRole('tab', { name: 'Server status' }).click();
  const demoCard = lk.main().getByRole('region', { name: 'Demo phones' });
  await demoCard.getByRole('button', { name: 'Start the demo phones' }).click();
  await expect(demoCard.getByRole('status')).toHaveText('3 simulated phones are running.', { timeout: 20_000 });
  const waiting = await lk.apiCall<{ waiting: { address: string; mac: string }; client: { host: string; port: number } }>('uacsta.demo.status', {});
  await expect(demoCard).toContainText(`A simulated phone waits for provisioning at ${waiting.waiting.address}`);
  await expect(demoCard).toContainText(`SIP phones instances connect to 127.0.0.1 port ${waiting.client.port}.`);

  await pages.getByRole('tab', { name: 'Telephones' }).click();
  const list = lk.main().getByRole('region', { name: 'Phone list' });
  for (const mac of ['000413000001', '000413000002', '001565000001']) {
    await expect(list.locator(`tr[data-mac="${mac}"]`)).toContainText('Controllable', { timeout: 20_000 });
  }
  await expect(list.locator('tr[data-mac="001565000001"]')).toContainText('Yealink SIP-T46G');

  // a phone's detail: vendor, firmware, its feature table, the dialog
  await list.getByRole('button', { name: 'Details of 000413000001' }).click();
  const detail = lk.main().getByRole('region', { name: 'Phone 000413000001' });
  await expect(detail).toContainText('snom');
  await expect(detail).toContainText('10.1.73.14');
  await expect(detail.getByRole('table', { name: 'Supported features' }).getByRole('row').filter({ hasText: 'alternateCall' })).toContainText('Emulated');
  await expect(detail.getByRole('table', { name: 'Supported features' }).getByRole('row').filter({ hasText: 'directedPickupCall' })).toContainText('No');
  await expect(detail).toContainText('CSTA dialogOpen');
  await lk.screenshot('sip-phone-server-detail');
  await detail.getByRole('button', { name: 'Close details' }).click();

  // Manage telephones: the waiting phone is found by its address and provided with this server's account
  await list.getByRole('button', { name: 'Manage telephones' }).click();
  const manage = lk.main().getByRole('region', { name: 'Manage telephones' });
  await manage.getByLabel('IP addresses of phones (one per line, host or host:port)').fill(waiting.waiting.address);
  await manage.getByRole('button', { name: 'Find by address' }).click();
  const found = manage.getByRole('table', { name: 'Phones found' });
  await expect(found).toContainText(waiting.waiting.mac, { timeout: 15_000 });
  await expect(found).toContainText('snomD785');
  await expect(manage.getByLabel(`Select ${waiting.waiting.address}`)).toBeChecked();
  await manage.getByRole('button', { name: 'Provide selected telephones' }).click();
  await expect(manage.getByRole('list', { name: 'Results' })).toContainText(`${waiting.waiting.address}: Done`, { timeout: 15_000 });
  await expect(list.locator(`tr[data-mac="${waiting.waiting.mac}"]`)).toContainText('Controllable', { timeout: 20_000 });
  await lk.screenshot('sip-phone-server-telephones');
  // the guides are filled in with this server's address, port and password; Mitel gets its startup.cfg
  await manage.getByText('Setup guides').click();
  const listening = (await lk.apiCall<{ listening: Array<{ interface: string; transport: string; port: number }> }>('uacsta.status', {})).listening;
  const phonePort = listening.find((l) => l.interface === 'phones' && l.transport === 'TCP')!.port;
  await expect(manage.getByRole('region', { name: 'Setup guide for snom phones' })).toContainText(`outbound proxy 127.0.0.1:${phonePort};transport=TCP`);
  await expect(manage.getByRole('region', { name: 'Setup guide for Mitel phones' })).toContainText(`csta port: ${phonePort}`);
  await manage.getByRole('button', { name: 'Close' }).click();

  // a SIP phones instance at the client interface discovers the four lines
  await lk.goTo('Driver instances');
  await lk.main().getByRole('button', { name: 'Add instance' }).click();
  const add = lk.page.getByRole('region', { name: 'Add a driver instance' });
  await add.getByRole('radio', { name: 'SIP phones' }).check();
  await add.getByLabel('Instance name').fill('Desk phones');
  await add.getByRole('button', { name: 'Next' }).click();
  await add.getByLabel('Host name or IP address').fill('127.0.0.1');
  await add.getByLabel('Port', { exact: true }).fill(String(waiting.client.port));
  await add.getByLabel('User name').fill('cti');
  await add.getByRole('button', { name: 'Next' }).click();
  await add.getByRole('radio', { name: 'Later' }).check();
  await add.getByRole('button', { name: 'Next' }).click();
  await add.getByRole('button', { name: 'Next' }).click();
  await add.getByRole('button', { name: 'Create the instance' }).click();
  await expect(lk.instanceHeading()).toHaveText('Desk phones');
  await lk.openPage('Connection');
  await lk.main().getByLabel('Password', { exact: true }).fill('cti-pw');
  await lk.main().getByRole('button', { name: 'Store password' }).click();
  await expect(lk.main().getByText('A password is stored.')).toBeVisible();
  await lk.openPage('Lines');
  await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
  const preview = lk.page.getByRole('region', { name: 'Lines read from the PBX' });
  await expect(preview).toContainText('4 devices: 4 to add', { timeout: 30_000 });
  await preview.getByRole('button', { name: 'Take these lines' }).click();

  // started, a call placed from line 201 to 202 in the console, and its events in the line monitor
  await lk.openPage('Status');
  await lk.main().getByRole('button', { name: 'Start the driver' }).click();
  await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });
  const control = lk.main().getByRole('region', { name: 'Line control' });
  await control.getByLabel('Line', { exact: true }).fill('201');
  await control.getByLabel('Line', { exact: true }).blur();
  await expect(control.getByRole('table', { name: 'Calls on line 201' })).toContainText('No calls on this line.', { timeout: 20_000 });
  await control.getByLabel('Number to call').fill('202');
  await control.getByRole('button', { name: 'Call', exact: true }).click();
  const monitor = lk.main().getByRole('region', { name: 'Line monitor' });
  await expect(monitor).toContainText('202', { timeout: 15_000 });
  await expect(control.getByRole('table', { name: 'Calls on line 201' })).not.toContainText('No calls on this line.', { timeout: 15_000 });
  // 202 is a simulated phone of the same demo: the call rings there, and answering it there connects line 201 too
  await control.getByLabel('Line', { exact: true }).fill('202');
  await control.getByLabel('Line', { exact: true }).blur();
  const at202 = control.getByRole('table', { name: 'Calls on line 202' });
  await expect(at202.locator('tr[data-call-state="alerting"]')).toContainText('201', { timeout: 15_000 });
  await at202.locator('tr[data-call-state="alerting"]').getByRole('button', { name: 'Answer' }).click();
  await expect(at202.locator('tr[data-call-state="connected"]')).toContainText('201', { timeout: 15_000 });
  await control.getByLabel('Line', { exact: true }).fill('201');
  await control.getByLabel('Line', { exact: true }).blur();
  await expect(control.getByRole('table', { name: 'Calls on line 201' }).locator('tr[data-call-state="connected"]')).toContainText('202', { timeout: 15_000 });

  // licences per phone and line: each monitored line counts once for its phone
  await lk.goTo('SIP phone server');
  await pages.getByRole('tab', { name: 'Licences' }).click();
  const licences = lk.main().getByRole('region', { name: 'Licences per phone and line' });
  await expect(licences).toContainText('Phones using a licence: 4', { timeout: 20_000 });
  await expect(licences).toContainText('Lines monitored: 4');
  await expect(licences).toContainText('Licences this server holds: 4');
  await expect(licences.locator('tr[data-mac="000413000001"]')).toContainText('sip:201@127.0.0.1');
  await expect(licences.locator('tr[data-mac="000413000001"]')).toContainText('In use');
  await lk.screenshot('sip-phone-server-licences');

  // the area in German
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    await expect(lk.nav().getByRole('link', { name: 'SIP-Telefon-Server' })).toBeVisible();
    const seiten = lk.main().getByRole('tablist', { name: 'Seiten des SIP-Telefon-Servers' });
    for (const name of ['Telefonanbindung', 'Clientanbindung', 'Zugangsdaten', 'Telefone', 'Erweiterte Einstellungen', 'Serverstatus', 'Lizenzen', 'Diagnose']) await expect(seiten.getByRole('tab', { name })).toBeVisible();
    await expect(lk.main().getByRole('region', { name: 'Lizenzen je Telefon und Leitung' })).toContainText('Telefone mit Lizenz: 4');
    await seiten.getByRole('tab', { name: 'Telefone' }).click();
    await expect(lk.main().getByRole('region', { name: 'Telefonliste' }).locator('tr[data-mac="000413000001"]')).toContainText('Steuerbar');
    await seiten.getByRole('tab', { name: 'Telefonanbindung' }).click();
    await expect(lk.main().getByRole('note')).toContainText('Verbindungseinstellungen lassen sich nur ändern, solange der Server gestoppt ist.');
    await seiten.getByRole('tab', { name: 'Serverstatus' }).click();
    await expect(lk.main().getByRole('region', { name: 'Serverstatus' })).toContainText('Der Server läuft seit');
    await expect(lk.main().getByRole('button', { name: 'Server stoppen' })).toBeVisible();
    // the server's own log reads German too: its entries arrive coded
    await seiten.getByRole('tab', { name: 'Diagnose' }).click();
    const protokoll = lk.main().getByRole('region', { name: 'Protokoll seit dem letzten Start' });
    await expect(protokoll).toContainText('uaCSTA-Server gestartet: Telefone auf TCP');
    await expect(protokoll).toContainText('Telefon 000413000001 ist steuerbar');
    await expect(protokoll).not.toContainText('uaCSTA server started');
    await expect(protokoll).not.toContainText('is controllable');
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }

  // stopped, the connection settings open up; a taken port makes the start fail, and the status page says why
  const { instances: all } = await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {});
  await lk.apiCall('driver.stop', { instanceId: all.find((i) => i.name === 'Desk phones')!.id });
  await pages.getByRole('tab', { name: 'Server status' }).click();
  await status.getByRole('button', { name: 'Stop the server' }).click();
  await expect(status).toContainText('The server is stopped.');
  await pages.getByRole('tab', { name: 'Phone connection' }).click();
  const phoneForm = lk.main().getByRole('form', { name: 'Phone connection' });
  await expect(lk.main().getByRole('note')).toHaveCount(0);
  const taken = waiting.waiting.address.split(':')[1];
  await phoneForm.getByLabel('TCP port').fill(taken);
  await phoneForm.getByRole('button', { name: 'Save' }).click();
  await expect(phoneForm.getByRole('status')).toHaveText('Saved.');
  await pages.getByRole('tab', { name: 'Server status' }).click();
  await status.getByRole('button', { name: 'Start the server' }).click();
  await expect(status.getByRole('alert').first()).toContainText(`Port ${taken} on 127.0.0.1 is used by another program`);
  await expect(status).toContainText('The server is stopped.');
  await pages.getByRole('tab', { name: 'Phone connection' }).click();
  await phoneForm.getByLabel('TCP port').fill('0');
  await phoneForm.getByRole('button', { name: 'Save' }).click();
  await expect(phoneForm.getByRole('status')).toHaveText('Saved.');

  // specs share one server: leave no instance, phones or running server behind
  const { instances } = await lk.apiCall<{ instances: Array<{ id: string; name: string }> }>('instances.list', {});
  const mine = instances.find((i) => i.name === 'Desk phones')!;
  await lk.apiCall('driver.stop', { instanceId: mine.id });
  await lk.apiCall('instances.delete', { id: mine.id, confirmName: 'Desk phones' });
  await lk.apiCall('uacsta.demo.stop', {});
  await lk.apiCall('uacsta.stop', {});
});
