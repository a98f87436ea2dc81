import { test, expect } from './fixtures';

interface Started {
  listening?: { tcpPort: number };
  pbx?: { state: string };
}

test('the wizard tests a multiplexer that wants a login, with the user and password typed in the connection step', async ({ lk }) => {
  const demo = await lk.apiCall<{ host: string; port: number }>('demo.start', {});
  const mux = await lk.apiCall<Started>('mux.start', { pbxHost: demo.host, pbxPort: demo.port, tcpPort: 0, bind: '127.0.0.1', requireLogin: true, user: 'operator', password: 'wizard-pw' });
  try {
    await expect.poll(async () => (await lk.apiCall<Started>('mux.status', {})).pbx?.state, { timeout: 20_000 }).toBe('connected');
    await lk.goTo('Driver instances');
    await lk.main().getByRole('button', { name: 'Add instance' }).click();
    const wizard = lk.page.getByRole('region', { name: 'Add a driver instance' });
    await wizard.getByRole('radio', { name: 'Panasonic' }).check();
    await wizard.getByLabel('Instance name').fill('Via the multiplexer');
    await wizard.getByRole('button', { name: 'Next' }).click();
    // Direct to the PBX: no login asked for.
    await expect(wizard.getByLabel('Multiplexer password')).toHaveCount(0);
    await wizard.getByLabel('Mode').selectOption({ label: 'Through the CSTA multiplexer' });
    await wizard.getByLabel('Host name or IP address').fill('127.0.0.1');
    await wizard.getByLabel('Port', { exact: true }).fill(String(mux.listening!.tcpPort));
    await wizard.getByLabel('User name').fill('operator');
    const result = wizard.getByRole('status').filter({ hasText: /Connected to|No connection/ });
    await wizard.getByLabel('Multiplexer password').fill('wizard-pw');
    await wizard.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText(`Connected to 127.0.0.1:${mux.listening!.tcpPort}`, { timeout: 20_000 });
    // The typed password stays with the (not yet stored) instance: the next step's query logs in with it.
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('listitem').filter({ hasText: /^Lines$/ })).toHaveAttribute('aria-current', 'step');
    expect((await lk.apiCall<{ instances: { name: string }[] }>('instances.list', {})).instances.map((d) => d.name)).not.toContain('Via the multiplexer');
    await wizard.getByRole('button', { name: 'Query lines from the PBX' }).click();
    await expect(wizard.getByRole('region', { name: 'Lines read from the PBX' })).toContainText(/devices: \d+ to add/, { timeout: 30_000 });
    await wizard.getByRole('radio', { name: 'Later' }).check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('button', { name: 'Create the instance' }).click();
    await expect(lk.instanceHeading()).toHaveText('Via the multiplexer');
    // Created, it keeps the password it was tested with.
    const created = (await lk.apiCall<{ instances: { id: string; name: string }[] }>('instances.list', {})).instances.find((d) => d.name === 'Via the multiplexer')!;
    expect((await lk.apiCall<{ secrets: Record<string, boolean> }>('instances.get', { id: created.id })).secrets.multiplexerPassword).toBe(true);
    const test = await lk.apiCall<{ ok: boolean }>('instances.testConnection', { instanceId: created.id });
    expect(test.ok).toBe(true);
  } finally {
    await lk.apiCall('mux.stop', {});
  }
});
