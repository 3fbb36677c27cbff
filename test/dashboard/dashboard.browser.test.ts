// The dashboard in Debian's Chromium (playwright-core, never a browser download): sign-in both ways, a wrong
// key, the org's lab accounts with a filter, an account page, and the team's orders — with no console errors.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openDashboard, SCREENSHOTS as SHOTS, signIn, startNewOrder } from '../support/browser.js';
import { assertOnlyFailedLoads } from '../support/browser-console.js';
import { createListeningApp, type ListeningApp, setUpTenantViaApi } from '../support/listening-app.js';

describe('dashboard (Chromium)', () => {
  let t: ListeningApp;
  let browser: Browser;
  let tenant: Awaited<ReturnType<typeof setUpTenantViaApi>>;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createListeningApp();
    tenant = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  const open = () => openDashboard(browser, t.baseUrl);

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
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length), 0);
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
    assertOnlyFailedLoads(consoleErrors, 401);
    await page.close();
  });

  it('shows the account step when two active accounts of the lab are linked, pre-selects the eligible one, and respects it', async () => {
    // A second active Quest account linked to the team, allowed only in NY: for a CA patient it is ineligible.
    const second = await tenant.call(
      'POST',
      '/operator/v1/lab_accounts',
      { 'x-operator-key': t.operatorKey },
      {
        org_id: tenant.org.id,
        env: 'sandbox',
        region: 'us',
        lab: 'quest',
        status: 'active',
        delegated_flow: 'not_delegated',
        provider_account_id: `SDK2-${Date.now()}`,
        account_name: 'SDK Quest NY',
        allowed_billing: { client_bill: ['NY'] },
        team_id_allowlist: [tenant.team.id],
      },
    );
    const { page, consoleErrors } = await open();
    await signIn(page, tenant.teamKey);
    await startNewOrder(page, tenant.labTest.name);
    const step = page.getByRole('group', { name: 'Lab account' });
    await step.waitFor();
    const eligible = step.getByRole('radio', { name: /SDK Quest — eligible/ });
    const ineligible = step.getByRole('radio', { name: /SDK Quest NY — not eligible: billing_type_not_allowed/ });
    await ineligible.waitFor();
    assert.equal(await eligible.isChecked(), true, 'the single eligible account is pre-selected');
    assert.equal(await ineligible.isDisabled(), true);
    await page.screenshot({ path: `${SHOTS}/team-new-order-account-step.png`, fullPage: true });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: tenant.labTest.name }).waitFor();
    await page.screenshot({ path: `${SHOTS}/team-order-page.png`, fullPage: true });
    const orders = await tenant.call('GET', '/v3/orders', { 'x-vital-api-key': tenant.teamKey });
    assert.equal(orders.orders[0].lab_account_id, tenant.account.id);
    assert.notEqual(orders.orders[0].lab_account_id, second.id);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
