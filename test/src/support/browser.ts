import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. Never a downloaded browser. */
export const chromiumPath = process.env.CLEARANCE_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of every page the browser tests visit (git-ignored test artifacts). */
export const screenshotDir = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

/**
 * Starts headless Chromium the way this machine allows: no sandbox (tests
 * run as root), and none of Chromium's own network traffic (the network is
 * closed; without these flags it retries Google's hosts at every start).
 * Playwright gives every launch a fresh, empty profile directory.
 * A missing Chromium is a failure, never a skip.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: run \`apt-get install -y chromium\` (.ci/run does it)`);
  }
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A laptop screen: every page must be usable at 1366×768. */
export const laptopViewport = { width: 1366, height: 768 };

/** One person in their own browser context (own sessionStorage, own cookies). */
export async function personContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: laptopViewport, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  // Waits are for states (locators auto-wait); this only bounds how long a missing state takes to fail.
  context.setDefaultTimeout(15_000);
  return context;
}

/** Signs in through the form, as a person would, and waits for the header to name them. */
export async function signIn(page: Page, token: string, user: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').locator('strong').getByText(user, { exact: true }).waitFor();
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: options.fullPage ?? true });
}
