// Debian's Chromium driven by playwright-core for the dashboard tests (never a browser download), and the
// steps every dashboard test shares: open a page that records console errors, sign in, fill a new order.
import { type Browser, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS = 'test-artifacts/screenshots';

/** Headless Chromium with the flags this machine needs (its closed network refuses background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page on the dashboard; `consoleErrors` collects console errors and uncaught page errors. */
export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await browser.newPage({ viewport });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${baseUrl}/dashboard/`);
  return { page, consoleErrors };
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('Management key or team API key').fill(key);
  await page.keyboard.press('Enter');
}

/** From the team's orders: a new order for a new patient in Los Angeles, for `testName` (a Quest walk-in test). */
export async function startNewOrder(page: Page, testName: string): Promise<void> {
  await page.getByRole('button', { name: 'New order' }).click();
  await page.getByLabel('New patient id (client_user_id)').fill(`browser-${Date.now()}`);
  await page.getByLabel('Test').selectOption({ label: `${testName} — Quest Diagnostics (walk_in_test)` });
  const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).first().fill(value);
  await fill('First name', 'Rosa');
  await fill('Last name', 'Parks');
  await fill('Date of birth', '1980-02-04');
  await fill('Phone', '+15555550188');
  await fill('Email', 'rosa@example.com');
  await fill('Address', '1 Main St');
  await fill('City', 'Los Angeles');
  await fill('State (2 letters)', 'CA');
  await fill('ZIP', '90001');
}
