import { test as base, expect, type Locator, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { startServe, type ServeProcess } from './server';

/** User actions on the console, named as in the manuals, so specs read like use. */
export class ConsolePage {
  constructor(readonly page: Page, readonly server: ServeProcess) {}

  async open(hash = '') {
    await this.page.goto(this.server.url + hash);
    await expect(this.page.locator('[data-app-state="loaded"]')).toBeVisible({ timeout: 20_000 });
  }

  nav() {
    return this.page.getByRole('navigation');
  }

  async goTo(linkName: string | RegExp) {
    await this.nav().getByRole('link', { name: linkName }).click();
  }

  async chooseLanguage(label: string | RegExp, language: string) {
    await this.page.getByRole('banner').getByLabel(label).selectOption({ label: language });
  }

  main() {
    return this.page.getByRole('main');
  }

  /** The add-instance wizard: family and name, connection host, lines typed as `number,name` rows, location. */
  async addInstance(opts: { family: string; name: string; host: string; lines?: string; ranges?: string; location?: string }) {
    await this.goTo('Driver instances');
    await this.main().getByRole('button', { name: 'Add instance' }).click();
    const wizard = this.page.getByRole('region', { name: 'Add a driver instance' });
    await wizard.getByRole('radio', { name: opts.family }).check();
    await wizard.getByLabel('Instance name').fill(opts.name);
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Host name or IP address').fill(opts.host);
    await wizard.getByRole('button', { name: 'Next' }).click();
    if (opts.lines) {
      await wizard.getByRole('radio', { name: 'Enter them' }).check();
      await wizard.getByLabel('Lines, one per row as number,name').fill(opts.lines);
    }
    else await wizard.getByRole('radio', { name: 'Later' }).check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('listitem').filter({ hasText: 'Location' })).toHaveAttribute('aria-current', 'step');
    if (opts.ranges) await wizard.getByLabel('Extension ranges').fill(opts.ranges);
    if (opts.location) {
      await wizard.getByLabel('Use the location').check();
      await wizard.getByLabel('Location as country(area)local').fill(opts.location);
    }
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('status')).toContainText(`Ready to create "${opts.name}"`);
    await wizard.getByRole('button', { name: 'Create the instance' }).click();
    await expect(this.instanceHeading()).toHaveText(opts.name);
  }

  instanceHeading() {
    return this.page.getByRole('heading', { level: 2 }).first();
  }

  async openInstance(name: string) {
    await this.goTo('Driver instances');
    await this.page.getByRole('complementary', { name: 'Instances' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}`) }).click();
    await expect(this.instanceHeading()).toHaveText(name);
  }

  async openPage(tab: string) {
    await this.page.getByRole('tab', { name: tab, exact: true }).click();
  }

  /** Picks a file in the lines page's import and waits for the preview. */
  async importLines(fileName: string, content: string | Buffer) {
    await this.openPage('Lines');
    await this.page.getByLabel('Import lines from a file').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(content) });
    await expect(this.page.getByRole('heading', { name: `Import preview of ${fileName}` })).toBeVisible();
  }

  async save() {
    await this.main().getByRole('button', { name: 'Save', exact: true }).click();
    await expect(this.main().getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }

  /** Calls the API directly, as a second client would (for test setup such as reading the demo's control URL). */
  async apiCall<T>(method: string, input: unknown): Promise<T> {
    const ws = new WebSocket(`${this.server.origin.replace('http', 'ws')}/api?token=${encodeURIComponent(this.server.token)}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      return await new Promise<T>((resolve, reject) => {
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { id?: number; reply?: { ok: boolean; result?: T; error?: { message: string } } };
          if (msg.id !== 1 || !msg.reply) return;
          if (msg.reply.ok) resolve(msg.reply.result as T);
          else reject(new Error(msg.reply.error?.message));
        });
        ws.send(JSON.stringify({ id: 1, method, input }));
      });
    } finally {
      ws.close();
    }
  }

  /** Writes docs/screenshots/<name>.png; `show`, a part below the fold, is scrolled up to the window's bottom. */
  async screenshot(name: string, show?: Locator) {
    await this.page.setViewportSize({ width: 1360, height: 940 });
    // Scrolls only the nearest scrolling container (the page's main area), so the banner stays in the picture;
    // a part below ends at the bottom, with what leads to it above; one cut at the top (or taller) starts there.
    if (show) {
      await show.evaluate((el) => {
        for (let box = el.parentElement; box; box = box.parentElement) {
          if (!/auto|scroll/.test(getComputedStyle(box).overflowY) || box.scrollHeight <= box.clientHeight) continue;
          const part = el.getBoundingClientRect();
          const view = box.getBoundingClientRect();
          box.scrollTop += part.height > view.height || part.top < view.top ? part.top - view.top : Math.max(0, part.bottom - view.bottom);
          return;
        }
      });
    }
    await this.page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
  }
}

/** The console's `test` with one `linekeeper serve` per worker, started with `serveArgs` (e.g. `--demo`). */
export function consoleTest(serveArgs: string[] = []) {
  return base.extend<{ lk: ConsolePage }, { server: ServeProcess }>({
    server: [
      async ({}, use) => {
        const server = await startServe(serveArgs);
        await use(server);
        await server.stop();
      },
      { scope: 'worker' },
    ],
    lk: async ({ page, server }, use) => {
      const lk = new ConsolePage(page, server);
      await lk.open();
      await use(lk);
    },
  });
}

// One `linekeeper serve` (and data directory) per worker, shared by every spec file: instance names must be
// unique across all specs, since the instances of earlier specs are still there.
export const test = consoleTest();

export { expect };

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
