import { test as base, expect, type Page } from '@playwright/test';
import { startServe, type ServeProcess } from './server';

/** User actions on the console, named as in the manuals, so specs read like use. */
export class ConsolePage {
  constructor(readonly page: Page, readonly server: ServeProcess) {}

  async open(hash = '') {
    await this.page.goto(this.server.url + hash);
    await expect(this.page.locator('[data-app-state="loaded"]')).toBeVisible();
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
}

export const test = base.extend<{ lk: ConsolePage }, { server: ServeProcess }>({
  server: [
    async ({}, use) => {
      const server = await startServe();
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

export { expect };
