import { test as base, expect } from '@playwright/test';
import { ConsolePage } from './fixtures';
import { startServe } from './server';
import { startPanasonicSim } from '../main/sim/panasonic';

// A server of its own: this spec fills the trial's 25 licences, which the other specs' instances must keep.
const test = base;
test.describe.configure({ timeout: 180_000 });

test('the licence gauge turns amber, then red as the pool fills; lines that found no licence are shown; the events chart has a time axis', async ({ page }) => {
  // Two PBXs: a Panasonic serves one CSTA client at a time.
  const sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-120' } });
  const sim2 = await startPanasonicSim({ port: 0, devices: { extensions: '121-129' } });
  const server = await startServe();
  const lk = new ConsolePage(page, server);
  try {
    await lk.open();
    const instance = async (name: string, port: number, from: number, count: number) => {
      const { id } = await lk.apiCall<{ id: string }>('instances.create', { family: 'panasonic', name });
      await lk.apiCall('instances.update', { id, patch: { connection: { host: '127.0.0.1', port } } });
      for (let n = from; n < from + count; n++) await lk.apiCall('lines.add', { instanceId: id, line: { number: String(n), name: '' } });
      return id;
    };
    await instance('Front office', sim.tcpPort, 100, 21);
    await instance('Back office', sim2.tcpPort, 121, 9);
    await lk.page.reload();

    // 21 of 25: amber.
    await lk.openInstance('Front office');
    await lk.openPage('Status');
    await lk.main().getByRole('button', { name: 'Start the driver' }).click();
    await expect(lk.main().getByText('21 of 21 lines open, 0 retrying, 0 without licence.')).toBeVisible({ timeout: 30_000 });
    // The chart's time axis: a minute back to now.
    const chart = lk.main().locator('figure.events-chart');
    await expect(chart.getByText('60 s ago')).toBeVisible();
    await expect(chart.getByText('30 s ago')).toBeVisible();
    await expect(chart.getByText('now', { exact: true })).toBeVisible();
    await lk.goTo('Licences');
    const pool = lk.main().getByRole('region', { name: /licences in use/ });
    await expect(pool.getByRole('heading')).toHaveText('21 of 25 licences in use, 4 free.');
    await expect(pool.locator('meter')).toHaveAttribute('data-level', 'nearlyFull');
    await expect(pool.getByText('The pool is nearly full.')).toBeVisible();
    await expect(pool.getByRole('alert')).toHaveCount(0);

    // 9 more lines: 4 get the last licences, 5 find none. Red, and the unmet demand is named.
    await lk.goTo('Driver instances');
    await lk.openInstance('Back office');
    await lk.openPage('Status');
    await lk.main().getByRole('button', { name: 'Start the driver' }).click();
    await expect(lk.main().getByText('4 of 9 lines open, 0 retrying, 5 without licence.')).toBeVisible({ timeout: 30_000 });
    await lk.goTo('Licences');
    await expect(pool.getByRole('heading')).toHaveText('25 of 25 licences in use, 0 free.');
    await expect(pool.locator('meter')).toHaveAttribute('data-level', 'full');
    await expect(pool.getByText('The pool is full: lines that start now get no licence.')).toBeVisible();
    await expect(pool.getByRole('alert')).toHaveText('5 lines of running instances found no licence and wait for one.');
    const perInstance = lk.main().getByRole('region', { name: 'Lines in use per instance' });
    await expect(perInstance.getByRole('listitem').filter({ hasText: 'Back office' })).toContainText('5 lines without licence');
    await expect(perInstance.getByRole('listitem').filter({ hasText: 'Front office' })).not.toContainText('without licence');
    await lk.screenshot('licences-pool');

    await lk.chooseLanguage('Language', 'Deutsch');
    try {
      await expect(lk.main().getByRole('alert')).toHaveText('5 Leitungen laufender Instanzen haben keine Lizenz erhalten und warten auf eine.');
      await expect(lk.main().getByText('Der Pool ist voll: Leitungen, die jetzt starten, erhalten keine Lizenz.')).toBeVisible();
      await expect(lk.main().getByRole('listitem').filter({ hasText: 'Back office' })).toContainText('5 Leitungen ohne Lizenz');
      await lk.goTo('Treiberinstanzen');
      await lk.page.getByRole('complementary').getByRole('button', { name: /^Back office/ }).click();
      await lk.page.getByRole('tab', { name: 'Status', exact: true }).click();
      await expect(lk.main().locator('figure.events-chart').getByText('vor 60 s')).toBeVisible();
      await expect(lk.main().locator('figure.events-chart').getByText('jetzt', { exact: true })).toBeVisible();
    } finally {
      await lk.chooseLanguage('Sprache', 'English');
    }
  } finally {
    await server.stop();
    await sim.close();
    await sim2.close();
  }
});
