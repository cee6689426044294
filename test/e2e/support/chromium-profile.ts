/**
 * Debian's Chromium driven by playwright-core, for the real-browser tests:
 * launching it headless with the flags the tests need (no sandbox, no
 * background traffic), and a fresh profile per person (no cookies) that
 * records what a failing test should show: the console (Chromium reports
 * CSP blocks there) and every main-frame document the browser loaded.
 * What it does not do: know anything of the gateway or Aries pages.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export interface BrowserPage {
  readonly page: Page;
  /** Console messages (Chromium reports CSP blocks there). */
  readonly console: string[];
  /** Main-frame document responses: "<status> <url without query>". */
  readonly documents: string[];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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

/** A fresh browser profile (no cookies), as on a person's first visit; the caller closes it (`page.context().close()`). */
export async function openProfile(browser: Browser, stepMs: number): Promise<BrowserPage> {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(stepMs);
  const opened: BrowserPage = { page, console: [], documents: [] };
  const { console: messages, documents } = opened;
  page.on('console', (message) => messages.push(message.text()));
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document' && response.frame() === page.mainFrame())
      documents.push(`${response.status()} ${response.url().split('?')[0]}`);
  });
  return opened;
}
