import { test, expect } from './fixtures';

test('a page that fails to render offers reload, logs the error, and the rest of the console keeps working', async ({ lk }) => {
  // Main answers services.list with something the page cannot draw (an object, not a list).
  const broken = new Set<number>();
  await lk.page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((text) => {
      const msg = JSON.parse(String(text));
      if (msg.method === 'services.list') broken.add(msg.id);
      server.send(text);
    });
    server.onMessage((text) => {
      const msg = JSON.parse(String(text));
      if (broken.has(msg.id)) msg.reply = { ok: true, result: { name: 'mux' } };
      ws.send(JSON.stringify(msg));
    });
  });
  await lk.open('#/services');
  const alert = lk.main().getByRole('alert').filter({ hasText: 'This page stopped working' });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect
    .poll(async () => (await lk.apiCall<{ source: string; level: string; message: string }[]>('log.recent', { limit: 50, minLevel: 'error' })).filter((e) => e.source === 'console').map((e) => e.message).join('\n'))
    .toMatch(/map is not a function[\s\S]*in the component tree/);
  // The navigation still works and the next page draws.
  await lk.goTo('Settings');
  await expect(lk.main().getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});
