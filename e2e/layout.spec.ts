import { consoleTest, test, expect, type ConsolePage } from './fixtures';
import type { Page } from '@playwright/test';

test.describe.configure({ timeout: 180_000 });

/** The page's main containers that are wider inside than on screen (a horizontal scroll bar, or cut-off content). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [document.documentElement, ...document.querySelectorAll('main, main section, main aside, main .card, main [role="tabpanel"], main [role="table"], main table, main form, main fieldset, main ul, main ol, main .toolbar, main .rules-side')];
    const out: string[] = [];
    for (const el of boxes) {
      const e = el as HTMLElement;
      if (e.offsetParent === null && e !== document.documentElement && getComputedStyle(e).position !== 'fixed') continue;
      if (e.scrollWidth > e.clientWidth + 1) {
        const name = e.getAttribute('aria-label') ?? e.querySelector('h1, h2, h3')?.textContent ?? '';
        out.push(`${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} "${name.slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth}`);
      }
    }
    return out;
  });
}

const VIEWS_EN = ['Driver instances', 'Licences', 'Multiplexer', 'Services', 'Settings'];
const VIEWS_DE = ['Treiberinstanzen', 'Lizenzen', 'Multiplexer', 'Dienste', 'Einstellungen'];

/** Visits every page and every tab of the instance; collects what overflows where. */
async function walkEverything(lk: ConsolePage, instance: string, views: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const view of views) {
    await lk.goTo(view);
    await expect(lk.page.getByRole('heading', { level: 1 })).toBeVisible();
    for (const o of await overflowing(lk.page)) found.push(`${view}: ${o}`);
  }
  await lk.goTo(views[0]!);
  await lk.page.getByRole('complementary').getByRole('button', { name: new RegExp(`^${instance}`) }).click();
  const tabs = lk.page.getByRole('tablist').getByRole('tab');
  const count = await tabs.count();
  expect(count).toBeGreaterThan(4);
  for (let i = 0; i < count; i++) {
    const tab = tabs.nth(i);
    const name = (await tab.textContent())!.trim();
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(lk.page.getByRole('tabpanel')).toBeVisible();
    for (const o of await overflowing(lk.page)) found.push(`${instance} › ${name}: ${o}`);
  }
  return found;
}

/** What the walks below click, in the language the console shows. */
const WORDS = {
  en: { sipArea: 'SIP phone server', sipPages: 'SIP phone server pages', next: 'Next', add: 'Add instance', wizard: 'Add a driver instance', host: 'Host name or IP address', later: 'Later', discard: /^Cancel and discard/, monitor: 'Line monitor', status: 'Status', connected: 'Connected' },
  de: { sipArea: 'SIP-Telefon-Server', sipPages: 'Seiten des SIP-Telefon-Servers', next: 'Weiter', add: 'Instanz hinzufügen', wizard: 'Treiberinstanz hinzufügen', host: 'Hostname oder IP-Adresse', later: 'Später', discard: /^Abbrechen und/, monitor: 'Leitungsmonitor', status: 'Status', connected: 'Verbunden' },
};
type Words = (typeof WORDS)['en'];

async function collect(lk: ConsolePage, where: string, found: string[]) {
  for (const o of await overflowing(lk.page)) found.push(`${where}: ${o}`);
}

/**
 * The SIP phone server area: the first configuration's steps while it is not configured (then configured as its
 * Finish would), and every page with the server and its demo phones running, so the lists have rows.
 */
async function walkSipServer(lk: ConsolePage, w: Words): Promise<string[]> {
  const found: string[] = [];
  await lk.goTo(w.sipArea);
  const pages = lk.main().getByRole('tablist', { name: w.sipPages });
  const wizardSteps = lk.main().locator('section.card > ol.steps');
  await expect(pages.or(wizardSteps)).toBeVisible();
  if (await wizardSteps.isVisible()) {
    const next = lk.main().getByRole('button', { name: w.next, exact: true });
    for (let step = 1; ; step++) {
      await collect(lk, `${w.sipArea} › first configuration, step ${step}`, found);
      if (!(await next.isVisible())) break;
      await next.click();
    }
    const view = await lk.apiCall<{ settings: Record<string, Record<string, unknown>> }>('uacsta.settings', {});
    const settings = { ...view.settings, phone: { ...view.settings.phone, tcpPort: 0 }, client: { ...view.settings.client, tcpPort: 0 }, configured: true };
    await lk.apiCall('uacsta.saveSettings', { settings, phonePassword: 'layout-pw', clientUser: 'cti', clientPassword: 'layout-pw' });
  }
  if (!(await lk.apiCall<{ running: boolean }>('uacsta.status', {})).running) await lk.apiCall('uacsta.start', {});
  if (!(await lk.apiCall<{ running: boolean }>('uacsta.demo.status', {})).running) await lk.apiCall('uacsta.demo.start', {});
  await lk.page.reload();
  await lk.goTo(w.sipArea);
  await expect(pages).toBeVisible();
  const tabs = pages.getByRole('tab');
  const count = await tabs.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    const tab = tabs.nth(i);
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(lk.main().getByRole('tabpanel')).toBeVisible();
    await collect(lk, `${w.sipArea} › ${(await tab.textContent())!.trim()}`, found);
  }
  return found;
}

/** Every step of the add-instance wizard, then Cancel. */
async function walkWizard(lk: ConsolePage, w: Words, instancesView: string): Promise<string[]> {
  const found: string[] = [];
  await lk.goTo(instancesView);
  await lk.main().getByRole('button', { name: w.add }).click();
  const wizard = lk.page.getByRole('region', { name: w.wizard });
  await wizard.getByRole('radio', { name: 'Panasonic' }).check();
  for (let step = 1; step <= 5; step++) {
    await expect(wizard.locator('ol.steps > li').nth(step - 1)).toHaveAttribute('aria-current', 'step');
    await collect(lk, `wizard step ${step}`, found);
    if (step === 2) await wizard.getByLabel(w.host).fill('pbx.local');
    if (step === 3) await wizard.getByRole('radio', { name: w.later }).check();
    if (step < 5) await wizard.getByRole('button', { name: w.next, exact: true }).click();
  }
  await wizard.getByRole('button', { name: w.discard }).click();
  await expect(wizard).toBeHidden();
  return found;
}

/** The demo PBX running with two lines and a call in its line monitor: the Status page as it is used. */
async function walkRunningStatus(lk: ConsolePage, w: Words, instancesView: string): Promise<string[]> {
  const found: string[] = [];
  const demo = await lk.apiCall<{ instanceId: string }>('demo.start', {});
  for (const number of ['100', '101']) await lk.apiCall('lines.add', { instanceId: demo.instanceId, line: { number, name: `Layout desk ${number} with a long name` } }).catch(() => undefined);
  await lk.apiCall('driver.start', { instanceId: demo.instanceId });
  await lk.goTo(instancesView);
  await lk.page.getByRole('complementary').getByRole('button', { name: /^Demo PBX/ }).click();
  await lk.openPage(w.status);
  await expect(lk.page.getByTestId('connection-state')).toHaveText(w.connected, { timeout: 20_000 });
  await lk.apiCall('demo.placeCall', { from: '100', to: '101' });
  const rows = lk.main().getByRole('region', { name: w.monitor }).getByRole('row');
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(2);
  await collect(lk, `Demo PBX › ${w.status} (running)`, found);
  return found;
}

const LONG_PATTERN = '^(0049|0)(89|30|40|221|211|69|711|911|351)([0-9]+)$';

/** An instance with lines, eight rules (one with a long pattern) and two stored tests with long numbers. */
async function setUp(lk: ConsolePage, name: string, rules = 1) {
  await lk.addInstance({ family: 'Panasonic', name, host: 'pbx.local', lines: '100,Reception desk with a long name\n101,Sales\n102,Support' });
  await lk.openPage('Number format');
  for (let n = 1; n <= rules; n++) {
    await lk.page.getByRole('button', { name: 'Add rule' }).click();
    const rule = lk.page.getByRole('listitem', { name: `Rule ${n}` });
    await rule.getByLabel('Search').fill(n === 1 ? LONG_PATTERN : `^${n}([0-9]+)$`);
    await rule.getByLabel('Replace').fill(n === 1 ? '+49\\2\\3' : `+4930${n}\\1`);
  }
  const tests = lk.page.getByRole('region', { name: 'Stored tests' });
  for (const [i, [input, expected]] of [['0049891234567890', '+49891234567890'], ['+4930123456-1234', '+493012345612345678']].entries()) {
    await tests.getByRole('button', { name: 'Add test' }).click();
    await tests.getByLabel(`Input ${i + 1}`).fill(input!);
    await tests.getByLabel(`Expected output ${i + 1}`).fill(expected!);
  }
  await lk.save();
}

// The walks configure and start the SIP phone server and its demo phones: on a server of their own, so the spec
// that walks that area's first configuration still finds it unconfigured.
const ownServer = consoleTest();

ownServer('at 1024x700 in English nothing on any page overflows sideways', async ({ lk }) => {
  await setUp(lk, 'Layout narrow PBX');
  await lk.page.setViewportSize({ width: 1024, height: 700 });
  expect(await walkEverything(lk, 'Layout narrow PBX', VIEWS_EN)).toEqual([]);
  expect(await walkSipServer(lk, WORDS.en)).toEqual([]);
  expect(await walkWizard(lk, WORDS.en, VIEWS_EN[0]!)).toEqual([]);
  expect(await walkRunningStatus(lk, WORDS.en, VIEWS_EN[0]!)).toEqual([]);
});

ownServer('at 1400x900 in German nothing on any page overflows sideways', async ({ lk }) => {
  await setUp(lk, 'Layout German PBX');
  await lk.page.setViewportSize({ width: 1400, height: 900 });
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    expect(await walkEverything(lk, 'Layout German PBX', VIEWS_DE)).toEqual([]);
    expect(await walkSipServer(lk, WORDS.de)).toEqual([]);
    expect(await walkWizard(lk, WORDS.de, VIEWS_DE[0]!)).toEqual([]);
    expect(await walkRunningStatus(lk, WORDS.de, VIEWS_DE[0]!)).toEqual([]);
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});

for (const size of [{ width: 1400, height: 900 }, { width: 1024, height: 700 }]) {
  test(`at ${size.width}x${size.height} the lines table reaches down to the bottom of the window`, async ({ lk }) => {
    const name = `Tall table PBX ${size.width}`;
    // A long instance list (as after a day of work) must not stretch the page below the table.
    for (let i = 0; i < 16; i++) await lk.apiCall('instances.create', { family: 'panasonic', name: `Filler ${size.width} ${i}` });
    await lk.addInstance({ family: 'Panasonic', name, host: 'pbx.local', lines: Array.from({ length: 200 }, (_, i) => `${500 + i},Line ${i}`).join('\n') });
    await lk.page.setViewportSize(size);
    await lk.openPage('Lines');
    const table = lk.page.getByRole('table', { name: 'Lines' });
    await expect(table).toHaveAttribute('aria-rowcount', '201');
    // On a short window the page scrolls to the table's end; the table still ends at the window's bottom.
    await lk.main().evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const statusbar = (await lk.page.locator('.statusbar').boundingBox())!;
    // The table ends just above the status bar: no empty band below it, nothing of it hidden.
    await expect.poll(async () => Math.round((await table.boundingBox())!.y + (await table.boundingBox())!.height)).toBeGreaterThan(statusbar.y - 60);
    const box = (await table.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(statusbar.y);
    // A bigger window gives more rows.
    const rowsBefore = await table.getByRole('row').count();
    await lk.page.setViewportSize({ width: size.width, height: size.height + 300 });
    await lk.main().evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(async () => table.getByRole('row').count()).toBeGreaterThan(rowsBefore);
  });
}

test('at 1400x900 the rule list, its column headers and the check are on screen together; patterns show whole', async ({ lk }) => {
  await lk.page.setViewportSize({ width: 1400, height: 900 });
  await setUp(lk, 'Rule layout PBX', 8);
  // Coming back to the page, as the admin does, with nothing scrolled.
  await lk.openPage('Lines');
  await lk.openPage('Number format');
  await lk.main().evaluate((el) => el.scrollTo(0, 0));
  const check = lk.page.getByRole('region', { name: 'Check a number' });
  await expect(check.getByLabel('Number to check')).toBeInViewport();
  await expect(lk.page.getByRole('listitem', { name: 'Rule 1' })).toBeInViewport();
  await check.getByLabel('Number to check').fill('089123456');
  await expect(check.locator('output')).toHaveText('+4989123456');
  await expect(lk.page.getByRole('listitem', { name: 'Rule 1' })).toBeInViewport();

  // Each column has its header right above it.
  const head = lk.page.getByTestId('rule-columns');
  for (const [header, field] of [['Search', 'Search'], ['Replace', 'Replace'], ['Mode', 'Mode']] as const) {
    const h = (await head.getByText(header, { exact: true }).boundingBox())!;
    const f = (await lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel(field).boundingBox())!;
    expect(Math.abs(h.x - f.x)).toBeLessThan(12);
    expect(h.y).toBeLessThan(f.y);
  }

  // The long pattern does not fit the narrow field, until the field has the focus.
  const search = lk.page.getByRole('listitem', { name: 'Rule 1' }).getByLabel('Search');
  const cut = () => search.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(await cut()).toBe(true);
  await search.focus();
  await expect.poll(cut).toBe(false);
  await search.blur();

  // The stored tests' grid stays inside its card, long numbers and all.
  const tests = lk.page.getByRole('region', { name: 'Stored tests' });
  const card = (await tests.boundingBox())!;
  const grid = (await tests.getByRole('table').boundingBox())!;
  expect(grid.x + grid.width).toBeLessThanOrEqual(card.x + card.width);
  expect(await tests.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(tests.getByRole('columnheader', { name: 'Expected output' })).toBeVisible();
  const expected = tests.getByLabel('Expected output 2');
  await expected.focus();
  await expect.poll(() => expected.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await lk.screenshot('number-format-layout');
});

test('in German at 1400x900 the rule columns are headed in German', async ({ lk }) => {
  await lk.page.setViewportSize({ width: 1400, height: 900 });
  await setUp(lk, 'Regeln PBX', 2);
  await lk.chooseLanguage('Language', 'Deutsch');
  try {
    const head = lk.page.getByTestId('rule-columns');
    await expect(head).toContainText('Suchen');
    await expect(head).toContainText('Ersetzen');
    await expect(lk.page.getByRole('region', { name: 'Gespeicherte Tests' }).getByRole('columnheader', { name: 'Erwartete Ausgabe' })).toBeVisible();
    expect(await overflowing(lk.page)).toEqual([]);
  } finally {
    await lk.chooseLanguage('Sprache', 'English');
  }
});
