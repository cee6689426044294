/**
 * A person's connection in a real browser (Debian's chromium driven by
 * playwright-core): the OAuth client is created in Client Center; the MCP client opens the gateway's /authorize (its own
 * loopback redirect URI, PKCE S256, state, resource) -> the Aries sign-in
 * page -> the consent page (names the client, lists the scopes) -> Allow ->
 * the client's loopback callback with code, state and iss. A second
 * connection of the same user and client skips consent. Then the pages a
 * misconfigured Client Center entry (`redirect_uri_mismatch`) and a wrong
 * Client ID (`invalid_client`) produce, with what to do. And the sign-in's
 * browser binding (issue 12 finding 4): Aries is reached as `localhost` and
 * the gateway as `127.0.0.1`, two sites, so the redirect back to the callback
 * is a cross-site navigation that carries only the SameSite=Lax binding
 * cookie; a sign-in link forwarded to another browser profile ends on the
 * start-again page.
 * The trading guardrails chosen in the browser and enforced by two replicas
 * are in `browser-guardrails.test.ts`.
 * Every page is saved to test-artifacts/screenshots/<name>.png (taken before
 * the page is judged, so a failure leaves a picture of what the person saw).
 * Skipped, with a message, when /usr/bin/chromium is not installed.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authorizeThroughGateway, authorizeUrl, createAriesClient, exchangeCode, startSandbox, VERIFIER, type RunningSandbox } from '../../testkit/harness.js';
import { callTool } from '../robustness/support/mcp-wire.js';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openProfile as openChromiumProfile, type BrowserPage } from './support/chromium-profile.js';
import { startLoopbackCallback, type LoopbackCallback } from './support/loopback-callback.js';
import { startRealGateway, type RealGateway } from './support/real-gateway.js';
import { z } from 'zod';
import { readJsonAs } from '../../testkit/json-body.js';

if (!HAVE_CHROMIUM) console.warn(`browser.test.ts skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

const SCREENSHOTS = resolve('test-artifacts/screenshots');
const CLIENT_NAME = 'Claude Code on my laptop';
const SCOPES = ['account:information', 'market:information', 'order:execution'];
/** How long a step may take before the page is judged as it is. */
const STEP_MS = 8_000;

describe.skipIf(!HAVE_CHROMIUM)('a person connects in a real browser', () => {
  let sandbox: RunningSandbox;
  let gateway: RealGateway;
  let loopback: LoopbackCallback;
  let browser: Browser;
  let clientId: string;
  let current: BrowserPage | undefined;
  /** Aries as the browser sees it: another site than the gateway (127.0.0.1). */
  let ariesUrl: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [sandbox, loopback, browser] = await Promise.all([startSandbox(), startLoopbackCallback(), launchChromium()]);
    ariesUrl = sandbox.url.replace('//127.0.0.1:', '//localhost:');
    gateway = await startRealGateway({ sandboxUrl: ariesUrl });
    ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`], scopes: SCOPES, name: CLIENT_NAME }));
  });
  afterEach(async () => {
    await current?.page.context().close();
    current = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await loopback?.close();
    await sandbox?.close();
  });

  /** A fresh browser profile (no cookies), as on a person's first visit. */
  async function openPage(): Promise<BrowserPage> {
    current = await openProfile();
    return current;
  }

  /** A fresh profile the caller closes (`page.context().close()`). */
  function openProfile(): Promise<BrowserPage> {
    return openChromiumProfile(browser, STEP_MS);
  }

  const ordersIn = async (accountId: string) =>
    (await readJsonAs(await fetch(`${sandbox.url}/admin/orders?account_id=${encodeURIComponent(accountId)}`), z.looseObject({ orders: z.array(z.unknown()) })))
      .orders;
  const shoot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  const mainText = (page: Page) => page.locator('body').innerText();

  /** What an MCP client opens: its loopback redirect URI, PKCE S256, its state and the resource. */
  const clientAuthorizeUrl = (state: string, id = clientId) =>
    authorizeUrl(gateway.publicUrl, { clientId: id, redirectUri: loopback.redirectUri, state, resource: gateway.mcpUrl });

  /** Fills and submits the sign-in form, then waits for the answer to load. */
  async function signIn(page: Page): Promise<void> {
    await page.getByLabel('Email').fill(sandbox.sandbox.demo.email);
    await page.getByLabel('Password').fill(sandbox.sandbox.demo.password);
    await Promise.all([
      page.waitForResponse((response) => response.url().startsWith(`${ariesUrl}/oauth2/sign-in`)),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState();
  }

  /** Waits until the browser is at the client's loopback callback; otherwise fails with what the page and console say. */
  async function expectBackAtClient(b: BrowserPage, screenshot: string): Promise<URL> {
    await b.page.waitForURL((url) => url.href.startsWith(`${loopback.redirectUri}?`)).catch(() => undefined);
    await shoot(b.page, screenshot);
    const where = `${b.page.url()}\npage: ${(await mainText(b.page)).slice(0, 300)}\nconsole: ${b.console.join('\n')}\ndocuments: ${b.documents.join(', ')}`;
    expect(b.page.url().startsWith(`${loopback.redirectUri}?`), `the browser did not reach the client's redirect URI; it is at ${where}`).toBe(true);
    return new URL(b.page.url());
  }

  it("Client Center: a person generates a key with the gateway's callback and gets a Client ID", async () => {
    const { page } = await openPage();
    await page.goto(`${sandbox.url}/client-center`);
    await page.getByLabel('Client name').fill('Claude (from Client Center)');
    await page.getByLabel('Redirect URIs (one per line, matched exactly)').fill(`${gateway.publicUrl}/auth/callback`);
    for (const scope of SCOPES) await page.locator(`input[name="scopes"][value="${scope}"]`).check();
    await page.getByLabel('Public client (no secret; PKCE required)').check();
    await shoot(page, '00-client-center');
    await Promise.all([
      page.waitForResponse((response) => response.url() === `${sandbox.url}/client-center/clients`),
      page.getByRole('button', { name: 'Generate key' }).click(),
    ]);
    await page.waitForLoadState();
    await shoot(page, '00-client-created');
    const text = await mainText(page);
    expect(text, `after Generate key, the page said: ${text}`).toContain('Client created');
    const shownId = /Client ID\s+([0-9a-f]{32})/.exec(text)?.[1];
    const registered = await readJsonAs(
      await fetch(`${sandbox.url}/admin/clients`),
      z.looseObject({ clients: z.array(z.looseObject({ client_id: z.string(), redirect_uris: z.array(z.string()) })) }),
    );
    expect(registered.clients.find((client) => client.client_id === shownId)?.redirect_uris).toEqual([`${gateway.publicUrl}/auth/callback`]);
  });

  it('first connection: sign-in -> consent naming the client and its scopes -> Allow -> back at the client with code, state and iss', async () => {
    const b = await openPage();
    const { page } = b;
    await page.goto(clientAuthorizeUrl('first-visit'));

    // 1. Aries' sign-in page, reached through the gateway's redirect.
    await shoot(page, '01-sign-in');
    expect(page.url().startsWith(`${ariesUrl}/oauth2/authorize?`)).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    // The browser kept the sign-in's binding cookie: HttpOnly, SameSite=Lax, for the callback only (plain-http loopback: no prefix).
    const cookies = await page.context().cookies(gateway.publicUrl + '/auth/callback');
    expect(
      cookies.map(({ name, httpOnly, sameSite, path, secure }) => ({ name: name.replace(/[0-9a-f]{16}$/, '<id>'), httpOnly, sameSite, path, secure })),
    ).toEqual([{ name: 'agw-signin-<id>', httpOnly: true, sameSite: 'Lax', path: '/auth/callback', secure: false }]);
    expect(await mainText(page)).toContain(`to continue to ${CLIENT_NAME}`);

    // 2. The consent page: the client by name and every scope it will get.
    await signIn(page);
    await shoot(page, '02-consent');
    const consent = await mainText(page);
    expect(consent, `after signing in, the page said: ${consent}`).toContain(`${CLIENT_NAME} wants to access your Aries account`);
    expect(consent).toContain(`Signed in as ${sandbox.sandbox.demo.email}`);
    expect([...(await page.locator('ul.scopes code').allInnerTexts())].sort()).toEqual([...SCOPES].sort());
    expect(consent).toContain('Place, modify and cancel orders in your accounts');

    // 3. Allow: Aries -> the gateway's callback, which shows its own connection page (the client may trade).
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${gateway.publicUrl}/auth/callback?`));
    await shoot(page, '03-connection-page');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connect a desktop or command-line app on this computer to your Aries account');
    expect(await mainText(page)).toContain('If your Aries OAuth client allows trading, these limits apply');
    // The safe defaults: 1,000 per order, 5,000 per day, limit orders only, no short selling, stocks and ETFs only.
    expect(await page.getByLabel('Maximum value per order').inputValue()).toBe('1,000');
    expect(await page.getByLabel('Maximum total of orders per day (US market day)').inputValue()).toBe('5,000');
    const ticked = async (label: string) => page.getByLabel(label, { exact: true }).isChecked();
    expect([await ticked('Limit'), await ticked('Market'), await ticked('Stop'), await ticked('Stop limit')]).toEqual([true, false, false, false]);
    expect([await ticked('Buy'), await ticked('Sell'), await ticked('Sell short'), await ticked('Buy to cover')]).toEqual([true, true, false, false]);
    expect([await ticked('Stocks and ETFs'), await ticked('Options')]).toEqual([true, false]);
    expect(await page.getByLabel('Allow orders within the limits below').isChecked()).toBe(true);
    expect(b.console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);

    // 4. Connect, keeping the defaults: the form posts without JavaScript and the browser lands at the client.
    await page.getByRole('button', { name: 'Connect' }).click();
    const landed = await expectBackAtClient(b, '03b-client-callback');
    expect(landed.searchParams.get('state')).toBe('first-visit');
    expect(landed.searchParams.get('iss')).toBe(gateway.publicUrl);
    expect(landed.searchParams.get('code')).toMatch(/^agw_/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connected to Aries');

    // The code is real: the client redeems it with its PKCE verifier.
    const tokens = await exchangeCode(gateway.publicUrl, landed.searchParams.get('code')!, clientId, {
      redirect_uri: loopback.redirectUri,
      code_verifier: VERIFIER,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body['scope']).toBe(SCOPES.join(' '));

    // The defaults hold for this connection: above 1,000 USD refused naming the guardrail, nothing in the order book; below placed.
    const accessToken = String(tokens.body['access_token']);
    const accountId = sandbox.sandbox.demo.accountId;
    const ordersBefore = (await ordersIn(accountId)).length;
    const order = { account_id: accountId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', timeInForce: 'DAY' };
    const refused = await callTool(gateway.mcpUrl, accessToken, 'place_order', { ...order, qty: '5', price: '250.00' });
    expect(refused.result?.isError).toBe(true);
    expect(refused.resultText).toMatch(/^Refused by the trading guardrail "maximum value per order": this order is worth 1,250 USD/);
    expect(await ordersIn(accountId)).toHaveLength(ordersBefore);
    const placed = await callTool(gateway.mcpUrl, accessToken, 'place_order', { ...order, qty: '3', price: '250.00' });
    expect(placed.result?.isError, placed.resultText).toBeFalsy();
    expect(await ordersIn(accountId)).toHaveLength(ordersBefore + 1);
  });

  it('Cancel on the connection page: back at the client with access_denied, state and iss', async () => {
    const b = await openPage();
    await b.page.goto(clientAuthorizeUrl('cancelled'));
    await signIn(b.page);
    const allow = b.page.getByRole('button', { name: 'Allow' });
    if (await allow.isVisible()) await allow.click();
    await b.page.waitForURL((url) => url.href.startsWith(`${gateway.publicUrl}/auth/callback?`));
    await b.page.getByRole('button', { name: 'Cancel' }).click();
    const landed = await expectBackAtClient(b, '06-cancelled');
    expect(Object.fromEntries(landed.searchParams)).toMatchObject({ error: 'access_denied', state: 'cancelled', iss: gateway.publicUrl });
    expect(landed.searchParams.get('code')).toBeNull();
  });

  it("second connection of the same user and client: no consent page, only the gateway's connection page, then back to the client", async () => {
    // Consent given once (through the same pages, with fetch), whatever the previous test managed.
    await authorizeThroughGateway(gateway.publicUrl, { clientId, redirectUri: loopback.redirectUri }, sandbox.sandbox.demo);
    const b = await openPage();
    await b.page.goto(clientAuthorizeUrl('second-visit'));
    await shoot(b.page, '04-second-sign-in');
    await signIn(b.page);
    await b.page.getByRole('button', { name: 'Connect' }).click();
    const landed = await expectBackAtClient(b, '05-second-client-callback');
    expect(landed.searchParams.get('state')).toBe('second-visit');
    // The sign-in form was answered with a redirect: no consent page in between.
    expect(b.documents).toEqual([
      `302 ${gateway.publicUrl}/authorize`,
      `200 ${ariesUrl}/oauth2/authorize`,
      `302 ${ariesUrl}/oauth2/sign-in`,
      `200 ${gateway.publicUrl}/auth/callback`,
      `303 ${gateway.publicUrl}/auth/callback`,
      `200 ${loopback.redirectUri}`,
    ]);
  });

  it('a sign-in link forwarded to another browser: the start-again page, and nothing reaches the client', async () => {
    // The sender starts a sign-in and forwards the Aries link it was sent to.
    const sender = await openPage();
    await sender.page.goto(clientAuthorizeUrl('forwarded'));
    const forwarded = sender.page.url();
    expect(forwarded.startsWith(`${ariesUrl}/oauth2/authorize?`)).toBe(true);
    // The person who opens it signs in (and allows, if Aries asks: it skips consent once this user allowed this client).
    const victim = await openProfile();
    try {
      await victim.page.goto(forwarded);
      await signIn(victim.page);
      const allow = victim.page.getByRole('button', { name: 'Allow' });
      if (await allow.isVisible()) await allow.click();
      await victim.page.waitForURL((url) => url.href.startsWith(`${gateway.publicUrl}/auth/callback?`)).catch(() => undefined);
      await shoot(victim.page, '08-forwarded-sign-in');
      expect(victim.documents.at(-1)).toBe(`400 ${gateway.publicUrl}/auth/callback`);
      expect(await victim.page.getByRole('heading', { level: 1 }).textContent()).toBe('This sign-in was started in another browser');
      expect(await mainText(victim.page)).toContain('Start the connection again from Claude (or your MCP app)');
      expect(loopback.received.some((url) => url.searchParams.get('state') === 'forwarded')).toBe(false);
    } finally {
      await victim.page.context().close();
    }
  });

  it("redirect_uri_mismatch: the page shows the gateway's exact callback address to register in Client Center", async () => {
    // A common mistake: registering Claude's callback instead of the gateway's.
    const misconfigured = await createAriesClient(sandbox.url, {
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      scopes: SCOPES,
      name: 'Misconfigured client',
    });
    const { page } = await openPage();
    const response = await page.goto(clientAuthorizeUrl('mismatch', misconfigured.clientId));
    await shoot(page, '06-redirect-uri-mismatch');
    expect(response?.status()).toBe(400);
    const text = await mainText(page);
    expect(text).toContain('redirect_uri_mismatch');
    expect(text).toContain('The redirect_uri is not registered for this client. It must match a registered URI exactly.');
    expect(text).toMatch(/Registered\s+https:\/\/claude\.ai\/api\/mcp\/auth_callback\s/);
    // The address to register, exactly as the gateway sends it.
    expect(text).toMatch(new RegExp(`Received\\s+${escapeRegExp(`${gateway.publicUrl}/auth/callback`)}\\s`));
    expect(text).toContain('In Client Center, add the exact redirect URI the app sends');
    expect(loopback.received.some((url) => url.searchParams.get('state') === 'mismatch')).toBe(false);
  });

  it('invalid_client: an unknown Client ID gets a page that says to check the Client ID in Client Center', async () => {
    const { page } = await openPage();
    const response = await page.goto(clientAuthorizeUrl('unknown-client', 'no-such-client-id'));
    await shoot(page, '07-invalid-client');
    expect(response?.status()).toBe(400);
    const text = await mainText(page);
    expect(text).toContain('invalid_client');
    expect(text).toContain('No OAuth client has the Client ID "no-such-client-id".');
    expect(text).toContain('Check the Client ID, and that the client is active in Client Center.');
    expect(loopback.received.some((url) => url.searchParams.get('state') === 'unknown-client')).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
