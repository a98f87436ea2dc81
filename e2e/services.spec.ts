import { hostname } from 'node:os';
import { test, expect } from './fixtures';
import { makeTestCert } from '../main/protocols/sip/testing/certs';

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

test('the Services page shows the uaCSTA server service and saves its settings and passwords', async ({ lk }) => {
  await lk.goTo('Services');
  const uacsta = lk.main().getByRole('region', { name: 'uaCSTA server for SIP phones' });
  await expect(uacsta).toContainText('Not installed');
  await expect(uacsta.locator('[data-code^="SERVICE_"]').first()).toBeVisible();
  await expect(uacsta.getByRole('button', { name: 'Start' })).toBeDisabled();

  const form = uacsta.getByRole('form', { name: 'Settings the service starts with' });
  await expect(form).toContainText('No phone password saved');
  // The service cannot start without the phone password, so saving waits for one.
  await expect(form.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await form.getByLabel('Phone password (the same for every phone)').fill('Telefon-1');
  await form.getByLabel('Port for phones (TCP)').fill('5070');
  await form.getByLabel('Port for CTI clients (TCP), empty for none').fill('5072');
  // A client port needs the clients' login.
  await expect(form.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await form.getByLabel('Client user name').fill('cti');
  await form.getByLabel('Client password').fill('Geheim-2');
  await form.getByLabel('Port for phones (TLS), empty for none').fill('5071');
  await expect(form).toContainText('A TLS port needs a certificate: choose its file.');
  // The uaCSTA server wants a certificate issued to the computer's name (console and test run on one machine).
  const { cert, key } = makeTestCert(hostname());
  await form.getByLabel('Certificate file (PEM)').setInputFiles({ name: 'u.crt', mimeType: 'application/x-pem-file', buffer: Buffer.from(cert) });
  await form.getByLabel('Private key file (PEM)').setInputFiles({ name: 'u.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(key) });
  await form.getByLabel('Put new phones into operation at once').check();
  await form.getByLabel('Yealink').check();
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(uacsta.getByRole('status')).toContainText('Saved.');
  await expect(form).toContainText('A phone password is saved.');
  await expect(form).toContainText('A client login is saved.');
  await expect(form).toContainText(`Stored certificate: CN=${hostname()}`);
  await expect(form.getByLabel('Phone password (the same for every phone)')).toHaveValue('');

  const [, saved] = await lk.apiCall<Array<{ name: string; settings?: Record<string, unknown>; hasLogin: boolean; hasClientLogin?: boolean }>>('services.list', {});
  expect(saved).toMatchObject({ name: 'uacsta', hasLogin: true, hasClientLogin: true, settings: { phonePort: 5070, phoneTlsPort: 5071, clientPort: 5072, autoActivate: true, notifyVendors: ['yealink'] } });

  await lk.page.reload();
  await lk.goTo('Services');
  const again = lk.main().getByRole('region', { name: 'uaCSTA server for SIP phones' });
  await expect(again.getByLabel('Port for phones (TCP)')).toHaveValue('5070');
  await expect(again.getByLabel('Put new phones into operation at once')).toBeChecked();
  await expect(again.getByLabel('Yealink')).toBeChecked();
});
