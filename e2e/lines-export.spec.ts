import { test, expect } from './fixtures';

test('a running export shows its progress, and Cancel drops it so nothing is downloaded', async ({ lk }) => {
  await lk.addInstance({ family: 'Panasonic', name: 'Slow PBX', host: 'pbx.local', lines: '300,Alpha\n301,Beta' });

  // Hold main's answers to lines.export until the test lets them through, so the export stays "running".
  let hold = true;
  const exportIds = new Set<number>();
  const held: Array<() => void> = [];
  await lk.page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; method?: string };
      if (msg.method === 'lines.export' && hold && msg.id != null) exportIds.add(msg.id);
      server.send(m);
    });
    server.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number };
      if (msg.id != null && exportIds.has(msg.id)) held.push(() => ws.send(m));
      else ws.send(m);
    });
  });
  await lk.open();
  await lk.openInstance('Slow PBX');
  await lk.openPage('Lines');

  const downloads: string[] = [];
  lk.page.on('download', (d) => downloads.push(d.suggestedFilename()));
  const exportBox = lk.page.locator('.lines-export');
  await exportBox.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(exportBox.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(exportBox.getByRole('status')).toHaveText('Exporting 2 lines…');
  await expect(exportBox).toHaveAttribute('aria-busy', 'true');
  await expect.poll(() => held.length).toBe(1);

  await exportBox.getByRole('button', { name: 'Cancel export' }).click();
  await expect(exportBox.getByRole('status')).toHaveText('Export cancelled: nothing was downloaded.');
  await expect(exportBox.getByRole('progressbar')).toHaveCount(0);

  // The cancelled answer arrives late; a second export answered after it is the only download.
  hold = false;
  for (const release of held) release();
  const downloaded = lk.page.waitForEvent('download');
  await exportBox.getByRole('button', { name: 'Export', exact: true }).click();
  await downloaded;
  await expect(exportBox.getByRole('status')).toContainText('downloaded (2 lines)');
  expect(downloads).toHaveLength(1);
});
