import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';

test('the log folder is chosen on the Settings page, checked writable, and named to the browser, which cannot open it', async ({ lk }) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-e2e-logs-'));
  try {
    await lk.goTo('Settings');
    const main = lk.main();
    const folder = main.getByLabel('Log directory');
    // The field fills in when the settings arrive.
    await expect(folder).toHaveValue(join(lk.server.dataDir, 'logs'));
    const initial = await folder.inputValue();
    await expect(main.getByText(`the log files are in ${initial}`)).toBeVisible();
    await expect(main.getByRole('button', { name: 'Open the log folder' })).toHaveCount(0);

    writeFileSync(join(dir, 'a-file'), '');
    await folder.fill(join(dir, 'a-file', 'logs'));
    await main.getByRole('button', { name: 'Use this folder' }).click();
    await expect(main.getByRole('alert')).toContainText(`Linekeeper cannot write to ${join(dir, 'a-file', 'logs')} (ENOTDIR)`);

    await folder.fill(join(dir, 'logs'));
    await main.getByRole('button', { name: 'Use this folder' }).click();
    await expect(main.getByRole('status').filter({ hasText: 'written to the new folder' })).toBeVisible();
    await expect(main.getByText(`the log files are in ${join(dir, 'logs')}`)).toBeVisible();
    expect(readdirSync(join(dir, 'logs')).some((n) => n.endsWith('.log'))).toBe(true);

    await main.getByRole('button', { name: 'Back to the default folder' }).click();
    await expect(folder).toHaveValue(initial);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
