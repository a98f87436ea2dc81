import { test, expect } from './fixtures';
import { startPanasonicSim } from '../main/sim/panasonic';

test.describe.configure({ timeout: 90_000 });

// Issue 17 (a reconnect history beside the events chart) and issue 18 (reconnects are visible: a countdown and
// "reconnect now") on one link that drops and keeps refusing the login for a while.
test('reconnects are visible: drops with their cause and recoveries beside the events chart, a countdown and "reconnect now"', async ({ lk }) => {
  const sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-101' } });
  let instanceId = '';
  try {
    instanceId = (await lk.apiCall<{ id: string }>('instances.create', { family: 'panasonic', name: 'Flaky link' })).id;
    await lk.apiCall('instances.update', { id: instanceId, patch: { connection: { host: '127.0.0.1', port: sim.tcpPort } } });
    await lk.apiCall('lines.add', { instanceId, line: { number: '100', name: 'Reception' } });
    await lk.page.reload();
    await lk.openInstance('Flaky link');
    await lk.openPage('Status');
    await lk.main().getByRole('button', { name: 'Start the driver' }).click();
    const state = lk.page.getByTestId('connection-state');
    await expect(state).toHaveText('Connected', { timeout: 20_000 });
    const history = lk.main().getByRole('region', { name: 'Reconnect history (7 days)' });
    await expect(history.getByRole('listitem')).toHaveCount(1);
    await expect(history).toContainText('Connected.');
    // beside the events chart, in the same card
    await expect(lk.main().getByRole('region', { name: 'Connection status' }).getByRole('img', { name: /Call events per second/ })).toBeVisible();

    // The PBX drops the link and refuses logins for a while: the runtime backs off, the console counts down.
    sim.setFault({ refuseLogin: true, dropLink: true });
    await expect(history).toContainText('Link lost: The connection to the PBX was lost.', { timeout: 10_000 });
    const countdown = lk.main().getByRole('timer');
    await expect(countdown).toContainText(/Next attempt in \d+ s\./, { timeout: 10_000 });
    const secondsLeft = async () => Number(/(\d+) s/.exec((await countdown.textContent()) ?? '')?.[1] ?? 0);
    // wait for a back-off long enough that only "reconnect now" can explain a quick recovery
    await expect.poll(secondsLeft, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    sim.setFault({ refuseLogin: false });
    await lk.main().getByRole('button', { name: 'Reconnect now' }).click();
    await expect(state).toHaveText('Connected', { timeout: 2500 });
    await expect(countdown).toBeHidden();
    await expect(history).toContainText(/Connected again after \d+ s\./);
    await expect(history.getByRole('listitem')).toHaveCount(3);
    await lk.screenshot('status-reconnects');

    // The history is kept by main, not the page: a reload shows the same entries.
    await lk.page.reload();
    await lk.openInstance('Flaky link');
    await lk.openPage('Status');
    await expect(history.getByRole('listitem')).toHaveCount(3);

    // The same in German: causes, the countdown as a German duration, "Jetzt verbinden", the time down.
    await lk.chooseLanguage('Language', 'Deutsch');
    try {
      const verlauf = lk.main().getByRole('region', { name: 'Verbindungsverlauf (7 Tage)' });
      await expect(verlauf).toContainText('Verbindung verloren: Die Verbindung zur Anlage ist verloren gegangen.');
      await expect(verlauf).toContainText(/Nach \d+ s wieder verbunden\./);
      sim.setFault({ refuseLogin: true, dropLink: true });
      await expect(verlauf.getByRole('listitem')).toHaveCount(4, { timeout: 10_000 });
      await expect(countdown).toContainText(/^Nächster Versuch in (\d+ s|\d+ min \d+ s)\.$/, { timeout: 10_000 });
      await expect.poll(secondsLeft, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      sim.setFault({ refuseLogin: false });
      await lk.main().getByRole('button', { name: 'Jetzt verbinden' }).click();
      await expect(state).toHaveText('Verbunden', { timeout: 2500 });
      await expect(countdown).toBeHidden();
      await expect(verlauf.getByRole('listitem')).toHaveCount(5);
      await expect(verlauf.getByRole('listitem').first()).toHaveText(/Nach \d+ s wieder verbunden\./);
      await expect(verlauf).not.toContainText(/Link lost|Connected|Reconnect/);
    } finally {
      await lk.chooseLanguage('Sprache', 'English');
    }
  } finally {
    if (instanceId) await lk.apiCall('driver.stop', { instanceId }).catch(() => undefined);
    await sim.close();
  }
});
