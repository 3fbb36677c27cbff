// The dashboard's editing and ordering flows in Debian's Chromium (playwright-core): unlink and relink a team
// through the impact preview, a stale edit refused with If-Match, an order with one linked account (no
// account step; the page says which account and why), cancel, simulate and see flagged results, the org's
// teams page (team, key shown once, a team's orders through a minted access token), and a phone-width pass.
// Every test checks its outcome through the API too, and allows no console errors.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openDashboard, SCREENSHOTS as SHOTS, signIn, startNewOrder } from '../support/browser.js';
import { assertOnlyFailedLoads } from '../support/browser-console.js';
import { createListeningApp, type ListeningApp, setUpTenantViaApi } from '../support/listening-app.js';

type Tenant = Awaited<ReturnType<typeof setUpTenantViaApi>>;

describe('dashboard flows (Chromium)', () => {
  let t: ListeningApp;
  let browser: Browser;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await createListeningApp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  const tenant = () => setUpTenantViaApi(t.baseUrl, t.operatorKey);
  const mgHeaders = (x: Tenant) => ({ 'x-management-key': x.mg.key });
  const teamHeaders = (x: Tenant) => ({ 'x-vital-api-key': x.teamKey });
  const accountPath = (x: Tenant) => `/v1/org/${x.org.id}/lab_account/sandbox/us/${x.account.id}`;

  const open = (viewport?: { width: number; height: number }) => openDashboard(browser, t.baseUrl, viewport);

  async function placeOrderViaApi(x: Tenant): Promise<string> {
    const user = await x.call('POST', '/v2/user', teamHeaders(x), { client_user_id: `api-${Date.now()}-${Math.random()}` });
    const placed = await x.call('POST', '/v3/order', teamHeaders(x), {
      user_id: user.user_id,
      order_set: { lab_test_ids: [x.labTest.id] },
      collection_method: 'walk_in_test',
      patient_details: {
        first_name: 'Grace',
        last_name: 'Hopper',
        dob: '1970-12-09',
        gender: 'female',
        phone_number: '+15555550111',
        email: 'grace@example.com',
      },
      patient_address: { first_line: '1 Main St', city: 'Los Angeles', state: 'CA', zip: '90001', country: 'US' },
    });
    return placed.order.id as string;
  }

  it('unlinks and relinks a team through the impact preview', async () => {
    const x = await tenant();
    await placeOrderViaApi(x);
    const { page, consoleErrors } = await open();
    await signIn(page, x.mg.key);
    await page.getByRole('button', { name: 'SDK Quest' }).click();
    await page.getByRole('heading', { name: 'SDK Quest' }).waitFor();
    const teamBox = page.getByRole('checkbox', { name: 'SDK Team' });
    assert.equal(await teamBox.isChecked(), true);
    await teamBox.uncheck();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const impact = page.getByRole('region', { name: 'Impact preview' });
    await impact.getByText('Loses the account: SDK Team (1 order in flight)').waitFor();
    await impact.getByText('Gains the account: none').waitFor();
    await impact.getByText('Unchanged: none').waitFor();
    await impact.getByText(/Orders in flight keep this account/).waitFor();
    await page.screenshot({ path: `${SHOTS}/org-account-impact-unlink.png`, fullPage: true });
    await impact.getByRole('button', { name: 'Save linked teams' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: the linked teams are updated.' }).waitFor();
    assert.deepEqual((await x.call('GET', accountPath(x), mgHeaders(x))).lab_account.team_id_allowlist, []);
    await page
      .getByRole('list', { name: 'History' })
      .getByText(/lab_account\.teams_updated by management: unlinked SDK Team/)
      .waitFor();
    // The team's own list no longer has the account.
    assert.deepEqual((await x.call('GET', '/v3/lab_test/lab_account', teamHeaders(x))).data, []);

    await teamBox.check();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await impact.getByText('Gains the account: SDK Team').waitFor();
    await impact.getByText('Loses the account: none').waitFor();
    await impact.getByRole('button', { name: 'Save linked teams' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: the linked teams are updated.' }).waitFor();
    assert.deepEqual((await x.call('GET', accountPath(x), mgHeaders(x))).lab_account.team_id_allowlist, [x.team.id]);
    await page
      .getByRole('list', { name: 'History' })
      .getByText(/teams_updated by management: linked SDK Team/)
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/org-account-relinked.png`, fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('refuses a stale edit (If-Match), says so and reloads the current teams', async () => {
    const x = await tenant();
    await x.call('POST', `/v1/org/${x.org.id}/team`, mgHeaders(x), { name: 'Second Team', region: 'us' });
    const { page, consoleErrors } = await open();
    await signIn(page, x.mg.key);
    await page.getByRole('button', { name: 'SDK Quest' }).click();
    await page.getByRole('checkbox', { name: 'Second Team' }).waitFor();
    // Someone else unlinks SDK Team behind the page's back: the page's ETag is now stale.
    await x.call('PATCH', accountPath(x), mgHeaders(x), { team_id_allowlist: [] });
    await page.getByRole('checkbox', { name: 'Second Team' }).check();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByRole('button', { name: 'Save linked teams' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /changed by someone else since you opened it/);
    // Reloaded: the current state (nothing linked) is shown, and the stale edit was not applied.
    await page.waitForFunction("!document.querySelector('input[type=checkbox]')?.checked");
    assert.equal(await page.getByRole('checkbox', { name: 'SDK Team' }).isChecked(), false);
    assert.equal(await page.getByRole('checkbox', { name: 'Second Team' }).isChecked(), false);
    await page.screenshot({ path: `${SHOTS}/org-account-stale-edit.png`, fullPage: true });
    const stored: string[] = (await x.call('GET', accountPath(x), mgHeaders(x))).lab_account.team_id_allowlist;
    assert.deepEqual(stored, []);
    // The reload brought a fresh ETag: the same edit, made again on the current data, saves.
    await page.getByRole('checkbox', { name: 'Second Team' }).check();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByRole('region', { name: 'Impact preview' }).getByText('Gains the account: Second Team').waitFor();
    await page.getByRole('button', { name: 'Save linked teams' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: the linked teams are updated.' }).waitFor();
    const teams = (await x.call('GET', `/v1/org/${x.org.id}/team`, mgHeaders(x))).teams as { id: string; name: string }[];
    assert.deepEqual((await x.call('GET', accountPath(x), mgHeaders(x))).lab_account.team_id_allowlist, [
      teams.find((team) => team.name === 'Second Team')!.id,
    ]);
    // The 412 is the one console error the browser logs for it (a failed fetch); nothing else.
    assertOnlyFailedLoads(consoleErrors, 412);
    await page.close();
  });

  it('orders through the one linked account without a step, saying which and why; cancels it', async () => {
    const x = await tenant();
    const { page, consoleErrors } = await open();
    await signIn(page, x.teamKey);
    await startNewOrder(page, x.labTest.name);
    const explanation = page.getByRole('status').filter({ hasText: 'This order will use' });
    await explanation.waitFor();
    assert.equal(
      await explanation.innerText(),
      `This order will use SDK Quest (account ${x.account.provider_account_id}): it is the only active Quest Diagnostics account linked to this team.`,
    );
    assert.equal(await page.getByRole('group', { name: 'Lab account' }).count(), 0, 'no account step with one linked account');
    await page.screenshot({ path: `${SHOTS}/team-new-order-one-account.png`, fullPage: true });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: x.labTest.name }).waitFor();
    await page.getByText(/SDK Quest \(account .*\) — only active/).waitFor();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm cancellation' });
    await confirm.getByRole('button', { name: 'Keep the order' }).click();
    assert.equal(await confirm.count(), 0);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await confirm.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.getByRole('status').filter({ hasText: 'Order cancelled.' }).waitFor();
    await page.getByRole('list', { name: 'Events' }).getByText('cancelled.walk_in_test.cancelled').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel order' }).isDisabled(), true);
    assert.equal(await page.getByRole('group', { name: 'Sandbox: simulate the lab' }).count(), 0, 'a cancelled order cannot be simulated');
    await page.screenshot({ path: `${SHOTS}/team-order-cancelled.png`, fullPage: true });
    const orders = (await x.call('GET', '/v3/orders', teamHeaders(x))).orders;
    assert.equal(orders.length, 1);
    assert.equal(orders[0].status, 'cancelled');
    assert.equal(orders[0].lab_account_id, x.account.id);
    assert.equal(orders[0].lab_account_resolution, 'only_active');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('shows why no account can take an order when none is usable', async () => {
    const x = await tenant();
    await x.call('PATCH', `/operator/v1/lab_accounts/${x.account.id}`, { 'x-operator-key': t.operatorKey }, { status: 'suspended' });
    const { page, consoleErrors } = await open();
    await signIn(page, x.teamKey);
    await startNewOrder(page, x.labTest.name);
    const alert = page.getByRole('alert');
    await alert.getByText(/No lab account can take this order/).waitFor();
    await alert.getByRole('listitem').filter({ hasText: 'SDK Quest: it is not active' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/team-new-order-none-usable.png`, fullPage: true });
    // The dry run's 400 is the only console error (a failed fetch).
    assertOnlyFailedLoads(consoleErrors, 400);
    await page.close();
  });

  it('simulates the lab in sandbox and shows the results with their flags', async () => {
    const x = await tenant();
    await placeOrderViaApi(x);
    const { page, consoleErrors } = await open();
    await signIn(page, x.teamKey);
    await page
      .getByRole('table', { name: 'Orders' })
      .getByRole('button', { name: /walk_in_test/ })
      .click();
    await page.getByRole('heading', { name: x.labTest.name }).waitFor();
    await page.getByText('No results yet.').waitFor();
    await page.getByLabel('Simulated results').selectOption('abnormal');
    await page.getByRole('button', { name: 'Simulate lab processing' }).click();
    const results = page.getByRole('table', { name: 'Results' });
    await results.waitFor();
    assert.equal(await results.getByRole('row').count(), 3, 'a header and one row per marker');
    await results.getByRole('row', { name: /LDL Cholesterol 135 .*Abnormal/ }).waitFor();
    await page.getByText('2 markers: 0 critical, 2 abnormal.').waitFor();
    assert.equal(await results.locator('tr.flag-abnormal').count(), 2);
    await page.screenshot({ path: `${SHOTS}/team-order-results.png`, fullPage: true });
    const order = (await x.call('GET', '/v3/orders', teamHeaders(x))).orders[0];
    assert.equal(order.status, 'completed');
    const raw = await x.call('GET', `/v3/order/${order.id}/result`, teamHeaders(x));
    assert.equal(raw.results.length, 2);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('simulates the lab one step a second: the page follows the worker to critical results, then downloads the PDFs', async () => {
    const x = await tenant();
    const orderId = await placeOrderViaApi(x);
    const { page, consoleErrors } = await open();
    await signIn(page, x.teamKey);
    await page
      .getByRole('table', { name: 'Orders' })
      .getByRole('button', { name: /walk_in_test/ })
      .click();
    await page.getByRole('heading', { name: x.labTest.name }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Download result PDF' }).isDisabled(), true, 'no result PDF before results');
    await page.getByLabel('Simulated results').selectOption('critical');
    await page.getByLabel('One step a second').check();
    await page.getByRole('button', { name: 'Simulate lab processing' }).click();
    // The server only schedules the steps; the page polls the order while the worker delivers them.
    const progress = page.getByRole('status').filter({ hasText: /Simulating the lab: step \d of 5, now at / });
    await progress.waitFor();
    assert.equal(
      (await x.call('GET', `/v3/order/${orderId}`, teamHeaders(x))).status,
      'received',
      'nothing delivered yet when the page starts waiting',
    );
    await page.getByRole('list', { name: 'Events' }).getByText('sample_with_lab.walk_in_test.partial_results').waitFor({ timeout: 15_000 });
    await page.getByRole('status').filter({ hasText: 'Simulation complete' }).waitFor({ timeout: 15_000 });
    assert.equal(await progress.count(), 0);
    const results = page.getByRole('table', { name: 'Results' });
    await results.getByRole('row', { name: /LDL Cholesterol 480 .*⚠ Critical/ }).waitFor();
    assert.equal(await results.locator('tr.flag-critical').count(), 2);
    await page.getByText('2 markers: 2 critical, 0 abnormal.').waitFor();
    await page.screenshot({ path: `${SHOTS}/team-order-critical-results.png`, fullPage: true });
    const order = await x.call('GET', `/v3/order/${orderId}`, teamHeaders(x));
    assert.equal(order.status, 'completed');
    assert.equal(order.last_event.status, 'completed.walk_in_test.completed');

    for (const kind of ['result', 'requisition']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Download ${kind} PDF` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `${kind}-${order.sample_id}.pdf`);
      const file = await download.path();
      assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-', `${kind} download is a PDF`);
    }
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('teams page: creates a team and a key shown once, and opens a team’s orders with an access token', async () => {
    const x = await tenant();
    const orderId = await placeOrderViaApi(x);
    const { page, consoleErrors } = await open();
    await signIn(page, x.mg.key);
    await page.getByRole('navigation', { name: 'Org sections' }).getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('heading', { name: 'Teams' }).waitFor();
    await page.getByLabel('Team name').fill('Browser Team');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('cell', { name: 'Browser Team', exact: true }).waitFor();
    await page.getByLabel('Team for the key').selectOption({ label: 'Browser Team' });
    await page.getByLabel('Label').fill('browser');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByRole('region', { name: 'New team API key' });
    await secret.getByText('Copy this key now: it will not be shown again.').waitFor();
    const key = await secret.getByRole('textbox').inputValue();
    await page.screenshot({ path: `${SHOTS}/org-teams-key-shown-once.png`, fullPage: true });
    const who = await x.call('GET', '/whoami', { 'x-vital-api-key': key });
    assert.equal(who.kind, 'team');
    const teams = (await x.call('GET', `/v1/org/${x.org.id}/team`, mgHeaders(x))).teams as { id: string; name: string }[];
    assert.equal(who.team_id, teams.find((team) => team.name === 'Browser Team')!.id);
    assert.equal(await secret.getByRole('textbox').getAttribute('readonly'), '');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    await secret.getByRole('button', { name: 'Copy key' }).click();
    await secret.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), key);
    await secret.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await secret.count(), 0, 'the key is gone from the page');
    assert.equal(await page.getByText(key).count(), 0);

    await page.getByRole('button', { name: 'Open orders of SDK Team' }).click();
    await page
      .getByRole('region', { name: 'Team session' })
      .getByText(/Viewing the orders of team SDK Team/)
      .waitFor();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    const rows = page.getByRole('table', { name: 'Orders' }).getByRole('row');
    await rows.nth(1).getByText('Grace Hopper').waitFor();
    await page.screenshot({ path: `${SHOTS}/org-team-orders-via-token.png`, fullPage: true });
    await rows.nth(1).getByRole('button').click();
    await page.getByRole('heading', { name: x.labTest.name }).waitFor();
    assert.ok(orderId);
    // The access token stays in memory: sessionStorage holds only the management key.
    const stored = await page.evaluate('Object.values(sessionStorage)');
    assert.deepEqual(stored, [x.mg.key]);
    await page.getByRole('button', { name: '← Back to the org' }).click();
    await page.getByRole('heading', { name: 'Lab accounts' }).waitFor();
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('fits a phone’s width: accounts, account page, teams, orders, new order, order results', async () => {
    const x = await tenant();
    await placeOrderViaApi(x);
    const phone = { width: 390, height: 844 };
    const fits = async (page: Page, what: string) => {
      const [scroll, inner] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
      assert.ok(scroll <= inner, `${what} overflows a phone: ${scroll}px wide in ${inner}px`);
    };
    const org = await open(phone);
    await signIn(org.page, x.mg.key);
    await org.page.getByRole('button', { name: 'SDK Quest' }).waitFor();
    await fits(org.page, 'org accounts list');
    // The accounts list stacks: one card per account, each value labelled by its column.
    assert.equal(
      await org.page.evaluate(`getComputedStyle(document.querySelector('table[aria-label="Lab accounts"] td')).display`),
      'grid',
    );
    assert.equal(
      await org.page.getByRole('table', { name: 'Lab accounts' }).getByRole('row').count(),
      2,
      'still a table to assistive technology',
    );
    await org.page.screenshot({ path: `${SHOTS}/phone-org-lab-accounts.png`, fullPage: true });
    await org.page.getByRole('button', { name: 'SDK Quest' }).click();
    await org.page.getByRole('table', { name: 'Billing matrix' }).waitFor();
    await fits(org.page, 'account page');
    await org.page.screenshot({ path: `${SHOTS}/phone-org-account-page.png`, fullPage: true });
    await org.page.getByRole('navigation', { name: 'Org sections' }).getByRole('button', { name: 'Teams' }).click();
    await org.page.getByRole('button', { name: 'Open orders of SDK Team' }).waitFor();
    await fits(org.page, 'teams page');
    await org.page.screenshot({ path: `${SHOTS}/phone-org-teams.png`, fullPage: true });
    assert.deepEqual(org.consoleErrors, []);
    await org.page.close();

    const team = await open(phone);
    await signIn(team.page, x.teamKey);
    await team.page.getByRole('table', { name: 'Orders' }).getByText('Grace Hopper').waitFor();
    await fits(team.page, 'orders list');
    await team.page.screenshot({ path: `${SHOTS}/phone-team-orders.png`, fullPage: true });
    await startNewOrder(team.page, x.labTest.name);
    await team.page.getByRole('status').filter({ hasText: 'This order will use SDK Quest' }).waitFor();
    await fits(team.page, 'new-order form');
    await team.page.screenshot({ path: `${SHOTS}/phone-team-new-order.png`, fullPage: true });
    await team.page.getByRole('navigation', { name: 'Team sections' }).getByRole('button', { name: 'Orders' }).click();
    await team.page
      .getByRole('table', { name: 'Orders' })
      .getByRole('button', { name: /walk_in_test/ })
      .click();
    await team.page.getByLabel('Simulated results').selectOption('abnormal');
    await team.page.getByRole('button', { name: 'Simulate lab processing' }).click();
    await team.page.getByRole('table', { name: 'Results' }).waitFor();
    await fits(team.page, 'order page with results');
    await team.page.screenshot({ path: `${SHOTS}/phone-team-order-results.png`, fullPage: true });
    assert.deepEqual(team.consoleErrors, []);
    await team.page.close();
  });
});
