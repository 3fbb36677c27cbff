// The dashboard for keyboard and screen-reader users, in Debian's Chromium (playwright-core): landmarks
// (banner, navigation, main), a name for every control on every main page, visible focus, focus moved to a
// page's heading when it opens, and loading (role=status) and error (role=alert) states for slow and failing
// loads (simulated by holding or failing the browser's requests).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openDashboard, SCREENSHOTS as SHOTS, signIn, startNewOrder } from '../support/browser.js';
import { assertOnlyFailedLoads } from '../support/browser-console.js';
import { createListeningApp, type ListeningApp, setUpTenantViaApi } from '../support/listening-app.js';

/** Controls without an accessible name: no aria-label(ledby), no label, no text. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('input, select, button, textarea, a[href]')]
    .filter((el) => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.labels && el.labels.length)
      && !(el.textContent ?? '').trim() && !el.getAttribute('title'))
    .map((el) => el.outerHTML)`);
}

async function assertLandmarks(page: Page, nav: string): Promise<void> {
  assert.equal(await page.getByRole('banner').count(), 1, 'one header');
  assert.equal(await page.getByRole('main').count(), 1, 'one main');
  assert.equal(await page.getByRole('navigation', { name: nav }).count(), 1, `navigation "${nav}"`);
}

const focused = (page: Page) =>
  page.evaluate(`(() => {
  const el = document.activeElement;
  const style = el ? getComputedStyle(el) : null;
  return { tag: el?.tagName ?? '', text: (el?.textContent ?? '').trim(), outline: style ? style.outlineStyle + ' ' + style.outlineWidth : '' };
})()`) as Promise<{ tag: string; text: string; outline: string }>;

describe('dashboard accessibility (Chromium)', () => {
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

  it('org view by keyboard: landmarks, named controls, visible focus, focus on the opened page’s heading', async () => {
    const x = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    const { page, consoleErrors } = await openDashboard(browser, t.baseUrl);
    assert.deepEqual(await unnamedControls(page), [], 'sign-in page');
    // The key field has focus on load; typing and Enter sign in.
    await page.keyboard.type(x.mg.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lab accounts' }).waitFor();
    await page.getByRole('button', { name: 'SDK Quest' }).waitFor();
    await assertLandmarks(page, 'Org sections');
    assert.deepEqual(await unnamedControls(page), [], 'lab accounts page');
    assert.equal((await focused(page)).tag, 'H1', 'the opened page’s heading has focus');

    // Before the header's controls comes a skip link, shown when it has focus; after them, the sections.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).text, 'Skip to content');
    assert.ok((await page.getByRole('link', { name: 'Skip to content' }).boundingBox())!.x >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Lab accounts');
    await page.keyboard.press('Tab');
    const onTeams = await focused(page);
    assert.equal(onTeams.text, 'Teams');
    assert.equal(onTeams.outline, 'solid 3px', 'keyboard focus is visible');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Teams' }).waitFor();
    assert.equal((await focused(page)).text, 'Teams');
    assert.equal((await focused(page)).tag, 'H1');
    assert.deepEqual(await unnamedControls(page), [], 'teams page');
    await page.screenshot({ path: `${SHOTS}/org-teams.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Org sections' }).getByRole('button', { name: 'Lab accounts' }).click();
    await page.getByRole('button', { name: 'SDK Quest' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'SDK Quest' }).waitFor();
    await page.getByRole('list', { name: 'History' }).getByRole('listitem').first().waitFor();
    assert.deepEqual(await unnamedControls(page), [], 'account page');
    // The linked-teams editor works from the keyboard: Space toggles a team, the preview follows.
    await page.getByRole('checkbox', { name: 'SDK Team' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Preview changes');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Impact preview' }).waitFor();
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('team view: landmarks and named controls on the orders, new-order and order pages', async () => {
    const x = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    const { page, consoleErrors } = await openDashboard(browser, t.baseUrl);
    await signIn(page, x.teamKey);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByText('No orders yet.').waitFor();
    await assertLandmarks(page, 'Team sections');
    assert.deepEqual(await unnamedControls(page), [], 'orders page');
    await startNewOrder(page, x.labTest.name);
    await page.getByRole('status').filter({ hasText: 'This order will use' }).waitFor();
    assert.deepEqual(await unnamedControls(page), [], 'new-order page');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: x.labTest.name }).waitFor();
    assert.deepEqual(await unnamedControls(page), [], 'order page');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('shows role=status while loads are pending and role=alert when they fail; a retry recovers', async () => {
    const x = await setUpTenantViaApi(t.baseUrl, t.operatorKey);
    const { page, consoleErrors } = await openDashboard(browser, t.baseUrl);
    // Hold the lab-account list until the loading state has been seen.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      (url) => url.pathname.endsWith('/lab_account/sandbox/us'),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    // The account's history fails.
    await page.route(
      (url) => url.pathname.endsWith('/history'),
      (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ detail: 'History store unavailable', code: 'internal_error' }),
        }),
    );
    await signIn(page, x.mg.key);
    await page.getByRole('status').filter({ hasText: 'Loading lab accounts…' }).waitFor();
    release();
    await page.getByRole('button', { name: 'SDK Quest' }).click();
    await page.getByRole('heading', { name: 'SDK Quest' }).waitFor();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load the account’s history: History store unavailable' });
    await alert.waitFor();
    await page.screenshot({ path: `${SHOTS}/org-account-history-error.png`, fullPage: true });
    await page.unrouteAll();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The team's orders fail once; Refresh loads them.
    let failures = 0;
    await page.route(
      (url) => url.pathname === '/v3/orders',
      (route) =>
        failures++ === 0
          ? route.fulfill({
              status: 503,
              contentType: 'application/json',
              body: JSON.stringify({ detail: 'Service unavailable', code: 'overloaded' }),
            })
          : route.continue(),
    );
    await signIn(page, x.teamKey);
    await page.getByRole('alert').filter({ hasText: 'Could not load orders: Service unavailable' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/team-orders-error.png`, fullPage: true });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No orders yet.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'the error is gone after a successful retry');
    assertOnlyFailedLoads(consoleErrors, 500, 503);
    await page.close();
  });
});
