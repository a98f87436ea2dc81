import { spawn, type ChildProcess } from 'node:child_process';
import { test, expect, type ConsolePage } from './fixtures';

test.describe.configure({ timeout: 120_000 });

interface Sim {
  port: number;
  controlUrl: string;
  stop(): Promise<void>;
}

/** `linekeeper sim broadworks` on free loopback ports, as an admin would run it. */
async function startSim(): Promise<Sim> {
  const child: ChildProcess = spawn(process.execPath, ['bin/linekeeper.js', 'sim', 'broadworks', '--port', '0', '--cti-port', '0', '--users', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const [port, controlUrl] = await new Promise<[number, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const xsi = /Xsi \(HTTP\): http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      const control = /control API: (\S+)/.exec(out);
      if (xsi && control) {
        clearTimeout(timer);
        resolve([Number(xsi[1]), control[1]]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited with ${code}:\n${out}`)));
  });
  return {
    port,
    controlUrl,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A running workstation instance whose password the platform then changes; the runtime's reconnect is refused. */
async function instanceWithChangedPassword(lk: ConsolePage, sim: Sim, name: string, user: string): Promise<string> {
  const { id } = await lk.apiCall<{ id: string }>('instances.create', { family: 'broadworks', name });
  await lk.apiCall('instances.update', { id, patch: { connection: { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user }, notes: 'desk phone' } });
  await lk.apiCall('instances.setSecret', { id, field: 'password', value: 'secret' });
  await lk.apiCall('lines.discover', { instanceId: id, requestId: `pw-${id}` });
  await lk.apiCall('lines.applyDiscovery', { instanceId: id, requestId: `pw-${id}` });
  await lk.apiCall('driver.start', { instanceId: id });
  await expect.poll(async () => (await lk.apiCall<{ connection: { state: string } }>('driver.status', { instanceId: id })).connection.state, { timeout: 20_000 }).toBe('connected');
  // The user changes the password in the web portal; the platform restarts the channel, the reconnect is refused.
  await fetch(`${sim.controlUrl}/users/${encodeURIComponent(user)}/password`, { method: 'POST', body: JSON.stringify({ password: 'from-the-portal' }) });
  await fetch(`${sim.controlUrl}/faults/terminate-channels`, { method: 'POST' });
  return id;
}

async function cleanUp(lk: ConsolePage, id: string, name: string) {
  await lk.apiCall('driver.stop', { instanceId: id });
  await lk.apiCall('instances.delete', { id, confirmName: name });
}

test('a password changed on the platform: the console asks for the new one, stores it and the instance reconnects', async ({ lk }) => {
  const sim = await startSim();
  const name = 'Cloud desk';
  try {
    const id = await instanceWithChangedPassword(lk, sim, name, '2001@sim.test');
    const before = await lk.apiCall<Record<string, unknown>>('instances.get', { id });
    const dialog = lk.page.getByRole('dialog', { name: `New password for ${name}` });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog).toContainText('no longer accepts the stored password');

    // "Later" keeps it waiting; the Status page asks again.
    await dialog.getByRole('button', { name: 'Later' }).click();
    await expect(dialog).toBeHidden();
    await lk.openInstance(name);
    await lk.openPage('Status');
    await expect(lk.main().getByText('The password was rejected after it had worked')).toBeVisible();
    await lk.main().getByRole('button', { name: 'Enter the new password' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Store and reconnect' })).toBeDisabled();
    await dialog.getByLabel('New password').fill('from-the-portal');
    await dialog.getByRole('button', { name: 'Store and reconnect' }).click();
    await expect(dialog).toBeHidden();
    await expect(lk.main().getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });

    // Only the password changed.
    const after = await lk.apiCall<Record<string, unknown>>('instances.get', { id });
    for (const k of ['connection', 'advanced', 'location', 'numberFormat', 'notes', 'name']) expect(after[k]).toEqual(before[k]);
    await cleanUp(lk, id, name);
  } finally {
    await sim.stop();
  }
});

test('in German the password prompt speaks German and reconnects the same way', async ({ lk }) => {
  const sim = await startSim();
  const name = 'Arbeitsplatz';
  try {
    await lk.chooseLanguage('Language', 'Deutsch');
    const id = await instanceWithChangedPassword(lk, sim, name, '2002@sim.test');
    const dialog = lk.page.getByRole('dialog', { name: `Neues Kennwort für ${name}` });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog).toContainText('nimmt das gespeicherte Kennwort nicht mehr an');
    // A wrong one: the platform refuses it too and the console asks again.
    await dialog.getByLabel('Neues Kennwort').fill('still-wrong');
    await dialog.getByRole('button', { name: 'Speichern und neu verbinden' }).click();
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByLabel('Neues Kennwort')).toHaveValue('', { timeout: 30_000 });
    await dialog.getByLabel('Neues Kennwort').fill('from-the-portal');
    await dialog.getByRole('button', { name: 'Speichern und neu verbinden' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(async () => (await lk.apiCall<{ connection: { state: string } }>('driver.status', { instanceId: id })).connection.state, { timeout: 30_000 }).toBe('connected');
    await cleanUp(lk, id, name);
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
    await sim.stop();
  }
});
