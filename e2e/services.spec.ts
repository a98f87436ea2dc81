import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test, expect, ConsolePage } from './fixtures';
import { startServe, type ServeProcess } from './server';
import { makeTestCert } from '../main/protocols/sip/testing/certs';
import { unitState, writeFakeSystemctl } from '../main/services-control/testing/fake-systemctl';

test('the Services page shows the multiplexer service as not installed with the reason, and keeps its settings', async ({ lk }) => {
  await lk.goTo('Services');
  const mux = lk.main().getByRole('region', { name: 'CSTA multiplexer' });
  // This machine has no running service manager and no Linekeeper unit: never "running", always a reason.
  await expect(mux).toContainText('Not installed');
  await expect(mux.locator('[data-code^="SERVICE_"]').first()).toBeVisible();
  await expect(mux.getByRole('button', { name: 'Start' })).toBeDisabled();

  const form = mux.getByRole('form', { name: 'Settings the service starts with' });
  await form.getByLabel('PBX host name or IP address').fill('pbx.example.net');
  await form.getByLabel('PBX port').fill('70000');
  await expect(form.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await form.getByLabel('PBX port').fill('33333');
  // TLS needs a certificate, picked as files: the console sends their contents, never a path.
  await expect(form).toContainText('No TLS certificate is stored.');
  await form.getByLabel('Port for applications (TLS), empty for none').fill('33334');
  await expect(form).toContainText('A TLS port needs a certificate: choose its file.');
  await expect(form.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const mine = makeTestCert();
  const other = makeTestCert();
  await form.getByLabel('Certificate file (PEM, or PFX without key file)').setInputFiles({ name: 'mux.crt', mimeType: 'application/x-pem-file', buffer: Buffer.from(mine.cert) });
  await form.getByLabel('Private key file (PEM)').setInputFiles({ name: 'other.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(other.key) });
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(lk.main().getByRole('alert').and(lk.main().locator('[data-code="SERVICE_TLS_KEY_MISMATCH"]'))).toContainText('the private key does not belong to the certificate');
  await expect(form).toContainText('No TLS certificate is stored.');
  await form.getByLabel('Private key file (PEM)').setInputFiles({ name: 'mux.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(mine.key) });
  await form.getByLabel('Applications must log in').check();
  await form.getByLabel('User name').fill('cti');
  await form.getByLabel('Password').fill('Geheim-1');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(mux.getByRole('status')).toContainText('Saved.');
  await expect(mux).toContainText('A login is saved.');
  await expect(form).toContainText('Stored certificate: CN=localhost');
  await lk.screenshot('services');

  await lk.page.reload();
  await lk.goTo('Services');
  await expect(lk.main().getByLabel('PBX host name or IP address')).toHaveValue('pbx.example.net');
  await expect(lk.main().getByLabel('Applications must log in')).toBeChecked();
  await expect(lk.main().getByLabel('Port for applications (TLS), empty for none')).toHaveValue('33334');
  await expect(lk.main().getByText(/Stored certificate: CN=localhost, valid until \d{4}-\d{2}-\d{2}/)).toBeVisible();
});

test('the Services page shows the uaCSTA server service and leads to the SIP phone server area for its settings', async ({ lk }) => {
  await lk.goTo('Services');
  const uacsta = lk.main().getByRole('region', { name: 'uaCSTA server for SIP phones' });
  await expect(uacsta).toContainText('Not installed');
  await expect(uacsta.locator('[data-code^="SERVICE_"]').first()).toBeVisible();
  await expect(uacsta.getByRole('button', { name: 'Start' })).toBeDisabled();
  // One configuration: no settings form of its own, only the way to the area whose settings it runs with.
  await expect(uacsta.getByRole('form')).toHaveCount(0);
  await expect(uacsta).toContainText('It has no settings yet: save them in the SIP phone server area');

  const [, state] = await lk.apiCall<Array<{ name: string; configured?: boolean }>>('services.list', {});
  expect(state).toMatchObject({ name: 'uacsta', configured: false });
  await uacsta.getByRole('button', { name: 'Open the SIP phone server settings' }).click();
  await expect(lk.page.getByRole('heading', { name: 'SIP phone server' }).first()).toBeVisible();
});

test.describe('with systemd on the machine (a stand-in systemctl)', () => {
  test.skip(process.platform !== 'linux', 'the stand-in is a shell script for systemd');
  let fakeDir: string;
  let server: ServeProcess;
  const unit = (name: 'mux' | 'uacsta') => `linekeeper-${name}.service`;
  const setUnit = (name: 'mux' | 'uacsta', active: string, extra: Record<string, string> = {}) =>
    writeFileSync(join(fakeDir, `${unit(name)}.state`), unitState(active, { Environment: `LINEKEEPER_DATA_DIR=${server.dataDir}`, ...extra }));
  const calls = () => readFileSync(join(fakeDir, 'calls'), 'utf8').trim().split('\n').filter((l) => !l.startsWith('show'));

  test.beforeEach(async () => {
    fakeDir = mkdtempSync(join(tmpdir(), 'lk-e2e-systemctl-'));
    writeFakeSystemctl(fakeDir);
    server = await startServe([], { PATH: `${fakeDir}${delimiter}${process.env.PATH}` });
  });
  test.afterEach(async () => {
    await server.stop();
    rmSync(fakeDir, { recursive: true, force: true });
  });

  test('shows running and failed with the reason, and starts and stops through the service manager', async ({ page }) => {
    setUnit('mux', 'active');
    setUnit('uacsta', 'failed', { Result: 'exit-code', ExecMainStatus: '78' });
    const lk = new ConsolePage(page, server);
    await lk.open();
    await lk.goTo('Services');
    const mux = lk.main().getByRole('region', { name: 'CSTA multiplexer' });
    const uacsta = lk.main().getByRole('region', { name: 'uaCSTA server for SIP phones' });
    await expect(mux).toHaveAttribute('data-state', 'running');
    await expect(mux).toContainText('Running');
    await expect(mux).toContainText('Managed by systemd');
    await expect(mux).toContainText(`Data directory of the service: ${server.dataDir}`);
    await expect(mux.locator('[data-code]')).toHaveCount(0);
    await expect(mux.getByRole('button', { name: 'Start' })).toBeDisabled();
    await expect(uacsta).toHaveAttribute('data-state', 'failed');
    await expect(uacsta).toContainText('Failed');
    await expect(uacsta.locator('[data-code="SERVICE_NOT_CONFIGURED"]')).toContainText('It stopped because it has no settings yet');

    await mux.getByRole('button', { name: 'Stop' }).click();
    await expect(mux).toHaveAttribute('data-state', 'stopped');
    await expect(mux).toContainText('Stopped');
    await expect(mux.getByRole('button', { name: 'Stop' })).toBeDisabled();
    await mux.getByRole('button', { name: 'Start' }).click();
    await expect(mux).toHaveAttribute('data-state', 'running');

    // Started without settings, the uaCSTA server ends again with 78; another exit code is shown as such.
    writeFileSync(join(fakeDir, `${unit('uacsta')}.exit`), '78');
    await uacsta.getByRole('button', { name: 'Start' }).click();
    await expect(uacsta.locator('[data-code="SERVICE_NOT_CONFIGURED"]')).toBeVisible();
    writeFileSync(join(fakeDir, `${unit('uacsta')}.exit`), '1');
    await uacsta.getByRole('button', { name: 'Start' }).click();
    await expect(uacsta.locator('[data-code="SERVICE_EXITED"]')).toContainText('It stopped with exit code 1');
    expect(calls()).toEqual([`stop ${unit('mux')}`, `start ${unit('mux')}`, `start ${unit('uacsta')}`, `start ${unit('uacsta')}`]);

    // Without the rights the manager refuses, and the console says so with its answer.
    writeFileSync(join(fakeDir, 'deny'), '');
    await mux.getByRole('button', { name: 'Stop' }).click();
    await expect(mux).toHaveAttribute('data-state', 'stopped');
    await mux.getByRole('button', { name: 'Start' }).click();
    await expect(lk.main().getByRole('alert')).toContainText('Interactive authentication required.');
    await expect(mux).toHaveAttribute('data-state', 'stopped');
  });

  test('words the states, reasons and buttons in German', async ({ page }) => {
    setUnit('mux', 'active');
    setUnit('uacsta', 'failed', { Result: 'exit-code', ExecMainStatus: '78' });
    const lk = new ConsolePage(page, server);
    await lk.open();
    await lk.chooseLanguage('Language', 'Deutsch');
    await lk.goTo('Dienste');
    const mux = lk.main().getByRole('region', { name: 'CSTA-Multiplexer' });
    const uacsta = lk.main().getByRole('region', { name: 'uaCSTA-Server für SIP-Telefone' });
    await expect(mux).toContainText('Läuft');
    await expect(mux).toContainText('Verwaltet von systemd');
    await expect(uacsta).toContainText('Fehlgeschlagen');
    await expect(uacsta.locator('[data-code="SERVICE_NOT_CONFIGURED"]')).toContainText('Er wurde beendet, weil er noch keine Einstellungen hat');
    await mux.getByRole('button', { name: 'Beenden' }).click();
    await expect(mux).toContainText('Beendet');
    await mux.getByRole('button', { name: 'Starten' }).click();
    await expect(mux).toContainText('Läuft');
    writeFileSync(join(fakeDir, `${unit('uacsta')}.exit`), '1');
    await uacsta.getByRole('button', { name: 'Starten' }).click();
    await expect(uacsta.locator('[data-code="SERVICE_EXITED"]')).toContainText('Er wurde mit Exit-Code 1 beendet');
    expect(calls()).toEqual([`stop ${unit('mux')}`, `start ${unit('mux')}`, `start ${unit('uacsta')}`]);
    // No English from main in the German page.
    await expect(lk.main()).not.toContainText(/stopped|failed|exit code/i);
  });
});
