// The dashboard in Debian's Chromium (playwright-core, never a browser download): sign-in both ways, a wrong
// key, the org's lab accounts with a filter, an account page, and the team's orders — with no console errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createListeningApp, setUpTenantViaApi, type ListeningApp } from '../support/listening-app.js';

const SHOTS = 'test-artifacts/screenshots';

describe('dashboard (Chromium)', () => {
  let t: ListeningApp;
  let browser: Browser;
  let tenant: Awaited<ReturnType<typeof setUpTenantViaApi>>;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createListeningApp();
    tenant = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  async function open(): Promise<{ page: Page; consoleErrors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${t.baseUrl}/dashboard/`);
    return { page, consoleErrors };
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.getByLabel('Management key or team API key').fill(key);
    await page.keyboard.press('Enter');
  }

  it('signs in with a management key, lists and filters lab accounts, opens an account', async () => {
    const { page, consoleErrors } = await open();
    await signIn(page, tenant.mg.key);
    await page.getByRole('heading', { name: 'Lab accounts' }).waitFor();
    await page.getByRole('button', { name: 'SDK Quest' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/org-lab-accounts.png`, fullPage: true });
    await page.getByLabel('Filter by status').selectOption('suspended');
    await page.getByText('No lab accounts match.').waitFor();
    await page.getByLabel('Filter by status').selectOption('');
    await page.getByRole('button', { name: 'SDK Quest' }).click();
    await page.getByRole('heading', { name: 'SDK Quest' }).waitFor();
    await page.getByRole('table', { name: 'Billing matrix' }).waitFor();
    await page.getByText('lab_account.created').waitFor();
    await page.screenshot({ path: `${SHOTS}/org-account-page.png`, fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Management key or team API key').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('signs in with a team key and shows the team’s orders; a wrong key gets a clear message', async () => {
    const { page, consoleErrors } = await open();
    await signIn(page, 'sk_us_not_a_real_key');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /not recognised/);
    await signIn(page, tenant.teamKey);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByText('No orders yet.').waitFor();
    await page.screenshot({ path: `${SHOTS}/team-orders.png`, fullPage: true });
    // The wrong key's 401 is the only console error a browser logs for it (a failed fetch); nothing else.
    assert.ok(consoleErrors.every((e) => /401/.test(e)), consoleErrors.join('\n'));
    await page.close();
  });
});
