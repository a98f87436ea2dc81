import { test as base, expect } from '@playwright/test';
import { ConsolePage } from './fixtures';
import { startServe } from './server';
import { scrollAndCountFrames } from './frames';
import { startPanasonicSim } from '../main/sim/panasonic';

// A server of its own: 20,000 lines take the whole trial pool, which the other specs' instances must not lose.
const test = base;
test.describe.configure({ timeout: 300_000 });

test('scrolling 20,000 lines with the driver running stays smooth and asks for the visible rows in batches', async ({ page }) => {
  const sim = await startPanasonicSim({ port: 0, devices: { extensions: '10000-29999' }, segmentSize: 500 });
  const server = await startServe();
  const lk = new ConsolePage(page, server);
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && sent.push(f.payload)));
  try {
    await lk.open();
    await lk.addInstance({ family: 'Panasonic', name: 'Twenty thousand', host: '127.0.0.1' });
    await lk.openPage('Connection');
    await lk.main().getByLabel('Port', { exact: true }).fill(String(sim.tcpPort));
    await lk.save();

    await lk.openPage('Lines');
    await lk.page.getByRole('button', { name: 'Query lines from the PBX' }).click();
    const preview = lk.page.getByRole('region', { name: 'Lines read from the PBX' });
    await expect(preview).toContainText('20,000 devices: 20,000 to add', { timeout: 120_000 });
    await preview.getByRole('button', { name: 'Take these lines' }).click();
    const table = lk.page.getByRole('table', { name: 'Lines' });
    await expect(table).toHaveAttribute('aria-rowcount', '20001', { timeout: 60_000 });

    // Driver stopped: the baseline, and no live-state column.
    await expect(table.getByRole('columnheader', { name: 'Line state' })).toHaveCount(0);
    const stopped = await scrollAndCountFrames(lk.page);
    expect(stopped.scrolled).toBeGreaterThan(10_000);

    await lk.openPage('Status');
    await lk.main().getByRole('button', { name: 'Start the driver' }).click();
    await expect(lk.main().getByText('25 of 20,000 lines open, 0 retrying, 19,975 without licence.')).toBeVisible({ timeout: 120_000 });

    // Calls keep coming on the monitored lines while the admin scrolls.
    let calling = true;
    const traffic = (async () => {
      for (let i = 0; calling; i++) {
        const from = String(10000 + (i % 12));
        const to = String(10012 + (i % 12));
        try {
          const id = sim.placeCall(from, to);
          await new Promise((r) => setTimeout(r, 40));
          sim.clearCall(id);
        } catch {
          // A device still busy from the last round: the next pair rings instead.
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    })();

    await lk.openPage('Lines');
    await expect(table).toHaveAttribute('aria-rowcount', '20001', { timeout: 60_000 });
    await expect(table.getByRole('columnheader', { name: 'Line state' })).toBeVisible();
    await expect(table.getByRole('row', { name: /10000 10000 Monitored/ })).toBeVisible();
    const before = sent.length;
    const running = await scrollAndCountFrames(lk.page);
    calling = false;
    await traffic;
    // Rows far down the list show their state too: no licence for them.
    await expect(table.getByRole('row').filter({ hasText: 'No licence' }).first()).toBeVisible();
    console.log(`frames over 50 ms: driver stopped ${stopped.slow}/${stopped.frames} (${stopped.slowPercent.toFixed(2)} %), running ${running.slow}/${running.frames} (${running.slowPercent.toFixed(2)} %), worst ${running.worstMs} ms, long tasks ${stopped.longTasks} / ${running.longTasks}`);

    const during = sent.slice(before).map((s) => (JSON.parse(s) as { method?: string }).method);
    // No request per row: the visible rows go out together, a few calls per second at most while scrolling.
    expect(during.filter((m) => m === 'line.status')).toHaveLength(0);
    const batches = during.filter((m) => m === 'lines.states').length;
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(running.frames / 2);
    expect(running.scrolled).toBeGreaterThan(10_000);
    // The target is under 1 % of frames over 50 ms, as with the driver stopped (bench/lines-scroll.bench.ts
    // reports it). On a shared test machine other processes cost frames too, so this run asserts that running
    // is not noticeably worse than stopped: at most 1.5 points over the larger of 1 % and the stopped share
    // (before the fix it was 9-15 % against 4 % stopped).
    expect(running.slowPercent).toBeLessThan(Math.max(1, stopped.slowPercent) + 1.5);

    // The page first shows the running link (its status has arrived), then the admin stops it.
    await lk.openPage('Status');
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 60_000 });
    const stop = lk.main().getByRole('button', { name: 'Stop the driver' });
    await expect(stop).toBeEnabled();
    await stop.click();
    await expect(lk.page.getByTestId('connection-state')).toHaveText('Stopped');
  } finally {
    await server.stop();
    await sim.close();
  }
});
