/**
 * Issue 17 in a real browser (Debian's chromium driven by playwright-core),
 * against two gateway replicas behind a round-robin load balancer sharing
 * one real `redis-server`, as an operator runs a fleet. Each case is a
 * person connecting an MCP app (loopback redirect URI, PKCE) with
 * `order:execution`: sign in at Aries (another site: `localhost`), Allow,
 * then the gateway's connection page, where the person chooses in the page
 * itself (ticks, radio buttons, Connect), and the app's orders then go to
 * one replica or the other:
 * - ticking "Market": a market order is valued at the quote's current ask;
 * - keeping the defaults: the daily total (5,000 USD) is refused on the
 *   order that would pass it, with the orders alternating between replicas;
 * - choosing "Read only": the order tools are not in `tools/list`;
 * - the page's form posted without its CSRF token, or from another
 *   browser: refused, and nothing reaches the app.
 * (The defaults on the page, the 1,000 USD per-order refusal and Cancel ->
 * `access_denied` are in `browser.test.ts`.) Every case uses its own Aries
 * client: the daily total and the current values are per Client ID.
 * Pages are saved to test-artifacts/screenshots/guardrails-<name>.png.
 * Skipped, with a message, without /usr/bin/chromium or `redis-server`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../runtime/store/redis-store.js';
import { authorizeUrl, createAriesClient, exchangeCode, startSandbox, VERIFIER, type RunningSandbox } from '../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../testkit/redis-server.js';
import { callTool, postMcp, type ToolAnswer } from '../robustness/support/mcp-wire.js';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openProfile, type BrowserPage } from './support/chromium-profile.js';
import { startLoopbackCallback, type LoopbackCallback } from './support/loopback-callback.js';
import { ALL_TOOL_SCOPES, startRealGateway, type RealGateway } from './support/real-gateway.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_CHROMIUM) console.warn(`browser-guardrails.test.ts skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
if (!HAVE_REDIS) console.warn('browser-guardrails.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

const SCREENSHOTS = resolve('test-artifacts/screenshots');
/** How long a browser step may take before the page is judged as it is. */
const STEP_MS = 10_000;
/** A whole case: a sign-in in Chromium plus several tool calls, on a shared 2-core machine. */
const CASE_MS = 90_000;
const HOW_TO_CHANGE = /can change them by connecting the app to Aries again/;
const ORDER_TOOLS = ['cancel_order', 'place_order', 'replace_order'];

type Replica = 'A' | 'B';

describe.skipIf(!HAVE_CHROMIUM || !HAVE_REDIS)('trading guardrails chosen in a real browser, enforced by two replicas on one Redis', () => {
  let redis: RedisProcess;
  let sandbox: RunningSandbox;
  let proxy: RoundRobinProxy;
  let loopback: LoopbackCallback;
  let browser: Browser;
  let a: RealGateway;
  let b: RealGateway;
  const stores: RedisStore[] = [];
  const keyPrefix = `e2e-browser-guardrails:${randomUUID()}:`;
  const profiles: BrowserPage[] = [];
  /** Aries as the browser sees it: another site than the gateway (127.0.0.1). */
  let ariesUrl: string;

  const openStore = async () => {
    const store = await RedisStore.connect(redis.url, { keyPrefix });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [redis, sandbox, proxy, loopback, browser] = await Promise.all([
      startRedis(),
      startSandbox(),
      startRoundRobinProxy(),
      startLoopbackCallback(),
      launchChromium(),
    ]);
    ariesUrl = sandbox.url.replace('//127.0.0.1:', '//localhost:');
    [a, b] = await Promise.all([
      startRealGateway({ sandboxUrl: ariesUrl, store: await openStore(), publicUrl: proxy.url }),
      startRealGateway({ sandboxUrl: ariesUrl, store: await openStore(), publicUrl: proxy.url }),
    ]);
    proxy.setReplicas({ A: a.url, B: b.url });
    const prices = await fetch(`${sandbox.url}/admin/market/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MSFT: '420.00' }),
    });
    expect(prices.status).toBe(200);
  });
  afterEach(async () => {
    proxy.unpin();
    for (const profile of profiles.splice(0)) await profile.page.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await a?.close();
    await b?.close();
    for (const store of stores) await store.close();
    await proxy?.close();
    await loopback?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  async function newProfile(): Promise<BrowserPage> {
    const profile = await openProfile(browser, STEP_MS);
    profiles.push(profile);
    return profile;
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/guardrails-${name}.png`, fullPage: true });
  const mainText = (page: Page) => page.locator('body').innerText();
  const accountId = () => sandbox.sandbox.demo.accountId;

  async function ordersInAccount(): Promise<number> {
    const answer: unknown = await (await fetch(`${sandbox.url}/admin/orders?account_id=${encodeURIComponent(accountId())}`)).json();
    if (typeof answer !== 'object' || answer === null || !('orders' in answer) || !Array.isArray(answer.orders))
      throw new Error(`the sandbox's order book answered ${JSON.stringify(answer)}`);
    return answer.orders.length;
  }

  /** A tool call through the load balancer, served by the chosen replica. */
  async function callOn(replica: Replica, accessToken: string, name: string, args: unknown): Promise<ToolAnswer> {
    proxy.pin('/mcp', replica);
    try {
      return await callTool(`${proxy.url}/mcp`, accessToken, name, args);
    } finally {
      proxy.unpin('/mcp');
    }
  }

  /** A new Aries client that may trade (its own daily total and current values); returns its Client ID. */
  async function tradingClient(name: string): Promise<string> {
    const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${proxy.url}/auth/callback`], scopes: [...ALL_TOOL_SCOPES], name });
    return clientId;
  }

  /** In a fresh profile: the app opens /authorize, the person signs in at Aries and allows; the browser ends on the gateway's connection page. */
  async function reachConnectionPage(clientId: string, state: string, screenshot: string): Promise<BrowserPage> {
    const profile = await newProfile();
    const { page } = profile;
    await page.goto(
      authorizeUrl(proxy.url, { clientId, redirectUri: loopback.redirectUri, state, scope: ALL_TOOL_SCOPES.join(' '), resource: `${proxy.url}/mcp` }),
    );
    await page.getByLabel('Email').fill(sandbox.sandbox.demo.email);
    await page.getByLabel('Password').fill(sandbox.sandbox.demo.password);
    await Promise.all([
      page.waitForResponse((response) => response.url().startsWith(`${ariesUrl}/oauth2/sign-in`)),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState();
    const allow = page.getByRole('button', { name: 'Allow' });
    if (await allow.isVisible()) await allow.click();
    await page.waitForURL((url) => url.href.startsWith(`${proxy.url}/auth/callback?`)).catch(() => undefined);
    await shoot(page, screenshot);
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    expect(
      heading,
      `expected the connection page; the browser is at ${page.url()}: ${(await mainText(page)).slice(0, 300)}\ndocuments: ${profile.documents.join(', ')}`,
    ).toBe('Connect a desktop or command-line app on this computer to your Aries account');
    return profile;
  }

  /** Clicks Connect; the browser must land at the app with a code, which the app redeems for an access token. */
  async function connectAndRedeem(profile: BrowserPage, clientId: string, state: string, screenshot: string): Promise<string> {
    const { page } = profile;
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${loopback.redirectUri}?`)).catch(() => undefined);
    await shoot(page, screenshot);
    expect(
      page.url().startsWith(`${loopback.redirectUri}?`),
      `the browser did not reach the app; it is at ${page.url()}: ${(await mainText(page)).slice(0, 300)}`,
    ).toBe(true);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe(state);
    const code = landed.searchParams.get('code');
    expect(code).toMatch(/^agw_/);
    const tokens = await exchangeCode(proxy.url, code ?? '', clientId, { redirect_uri: loopback.redirectUri, code_verifier: VERIFIER });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    const accessToken = tokens.body['access_token'];
    if (typeof accessToken !== 'string') throw new Error(`no access token: ${JSON.stringify(tokens.body)}`);
    return accessToken;
  }

  const limitOrder = (qty: number, price: string) => ({
    account_id: accountId(),
    symbol: 'MSFT',
    side: 'BUY',
    type: 'LIMIT',
    qty: String(qty),
    price,
    timeInForce: 'DAY',
  });

  it(
    'ticking "Market" on the page: a market order is valued at the current ask from the quote (3 x ask refused, 2 x ask placed)',
    async () => {
      const clientId = await tradingClient('Guardrails: market orders');
      const profile = await reachConnectionPage(clientId, 'market', 'market-page');
      await profile.page.getByLabel('Market', { exact: true }).check();
      const accessToken = await connectAndRedeem(profile, clientId, 'market', 'market-connected');

      const quote = await callOn('A', accessToken, 'get_quote', { symbol: 'MSFT' });
      expect(quote.result?.isError, quote.resultText).toBeFalsy();
      const ask = askPriceOf(quote.result?.structuredContent);
      // 420 in the sandbox: 2 shares (840) fit under 1,000 USD, 3 (1,260) do not.
      expect(ask).toBeGreaterThan(334);
      expect(ask).toBeLessThan(500);
      const market = { account_id: accountId(), symbol: 'MSFT', side: 'BUY', type: 'MARKET', qty: '3', timeInForce: 'DAY' };
      const before = await ordersInAccount();
      const refused = await callOn('B', accessToken, 'place_order', market);
      expect(refused.result?.isError).toBe(true);
      expect(refused.resultText).toMatch(/^Refused by the trading guardrail "maximum value per order": this order is worth /);
      expect(refused.resultText).toContain(`(3 x ${ask} current ask); the limit is 1,000 USD per order.`);
      expect(refused.resultText).toMatch(HOW_TO_CHANGE);
      expect(await ordersInAccount()).toBe(before);
      const placed = await callOn('A', accessToken, 'place_order', { ...market, qty: '2' });
      expect(placed.result?.isError, placed.resultText).toBeFalsy();
      expect(await ordersInAccount()).toBe(before + 1);
    },
    CASE_MS,
  );

  it(
    'keeping the defaults: the daily total (5,000 USD) is refused on the order that would pass it, with orders alternating between the replicas',
    async () => {
      const clientId = await tradingClient('Guardrails: daily total');
      const profile = await reachConnectionPage(clientId, 'daily', 'daily-page');
      expect(await profile.page.getByLabel('Maximum total of orders per day (US market day)').inputValue()).toBe('5,000');
      const accessToken = await connectAndRedeem(profile, clientId, 'daily', 'daily-connected');

      const before = await ordersInAccount();
      // Five orders of about 900 USD on A, B, A, B, A (prices differ, so none is a probable duplicate): 4,500.30 USD.
      for (let i = 0; i < 5; i += 1) {
        const placed = await callOn(i % 2 === 0 ? 'A' : 'B', accessToken, 'place_order', limitOrder(3, `300.0${i}`));
        expect(placed.result?.isError, placed.resultText).toBeFalsy();
      }
      // The sixth, on B, would make 5,400 USD: refused there, although B itself placed only two of the five.
      const sixth = await callOn('B', accessToken, 'place_order', limitOrder(3, '300.05'));
      expect(sixth.result?.isError).toBe(true);
      expect(sixth.resultText).toMatch(
        /^Refused by the trading guardrail "maximum total per day": this order is worth 900\.15 USD and orders worth 4,500\.30 USD were already placed today \(US market day\), so the total would be 5,400\.45 USD; the limit is 5,000 USD per day\./,
      );
      expect(sixth.resultText).toMatch(HOW_TO_CHANGE);
      expect(await ordersInAccount()).toBe(before + 5);
      // What still fits (499.70 USD left) goes through, on A.
      const small = await callOn('A', accessToken, 'place_order', limitOrder(1, '400.00'));
      expect(small.result?.isError, small.resultText).toBeFalsy();
      expect(await ordersInAccount()).toBe(before + 6);
    },
    CASE_MS,
  );

  it(
    'choosing "Read only" on the page: the order tools are not in tools/list on either replica',
    async () => {
      const clientId = await tradingClient('Guardrails: read only');
      const profile = await reachConnectionPage(clientId, 'read-only', 'read-only-page');
      await profile.page.getByRole('radio', { name: /Read only: no orders at all/ }).check();
      const accessToken = await connectAndRedeem(profile, clientId, 'read-only', 'read-only-connected');

      for (const replica of ['A', 'B'] as const) {
        proxy.pin('/mcp', replica);
        const listed = await postMcp(
          `${proxy.url}/mcp`,
          { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
          { authorization: `Bearer ${accessToken}` },
        );
        const names = toolNamesOf(listed.json);
        expect(names, replica).toContain('get_quote');
        expect(names, replica).toContain('get_positions');
        expect(
          names.filter((name) => ORDER_TOOLS.includes(name)),
          replica,
        ).toEqual([]);
      }
      proxy.unpin('/mcp');
      const before = await ordersInAccount();
      const refused = await callOn('B', accessToken, 'place_order', limitOrder(1, '10.00'));
      expect(refused.result?.isError).toBe(true);
      expect(refused.resultText).toMatch(/^Refused: this connection is read-only/);
      expect(await ordersInAccount()).toBe(before);
    },
    CASE_MS,
  );

  it(
    'the page posted without its CSRF token: refused (400), and nothing reaches the app',
    async () => {
      const clientId = await tradingClient('Guardrails: no CSRF token');
      const profile = await reachConnectionPage(clientId, 'no-token', 'no-token-page');
      const { page } = profile;
      // The same browser (it has the sign-in cookie) submits the form without its hidden token.
      await page.locator('input[name="connection"]').evaluate((input) => input.remove());
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.waitForLoadState();
      await shoot(page, 'no-token-refused');
      expect(profile.documents.at(-1)).toBe(`400 ${proxy.url}/auth/callback`);
      expect(await mainText(page)).toContain('invalid_request');
      expect(loopback.received.some((url) => url.searchParams.get('state') === 'no-token')).toBe(false);
    },
    CASE_MS,
  );

  it(
    "the page's form submitted from another browser with the token: refused (403), nothing used up, and the person's own Connect still works",
    async () => {
      const clientId = await tradingClient('Guardrails: another browser');
      const person = await reachConnectionPage(clientId, 'other-browser', 'other-browser-page');
      const token = await person.page.locator('input[name="connection"]').getAttribute('value');
      expect(token).toMatch(/^agw_cn_/);

      // Someone else, who learned the token, submits a copy of the form (choosing read-only) from their own browser.
      const other = await newProfile();
      await other.page.setContent(
        `<form method="post" action="${proxy.url}/auth/callback"><input type="hidden" name="connection" value="${token ?? ''}"><input type="hidden" name="access" value="read_only"><button type="submit" name="action" value="connect">Connect</button></form>`,
      );
      await other.page.getByRole('button', { name: 'Connect' }).click();
      await other.page.waitForLoadState();
      await shoot(other.page, 'other-browser-refused');
      expect(other.documents.at(-1)).toBe(`403 ${proxy.url}/auth/callback`);
      expect(await mainText(other.page)).toContain('browser_mismatch');
      expect(loopback.received.some((url) => url.searchParams.get('state') === 'other-browser')).toBe(false);

      // The person's page still connects, with the person's choice (trading), not the forged one.
      const accessToken = await connectAndRedeem(person, clientId, 'other-browser', 'other-browser-connected');
      const listed = await postMcp(`${proxy.url}/mcp`, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { authorization: `Bearer ${accessToken}` });
      expect(toolNamesOf(listed.json)).toContain('place_order');
    },
    CASE_MS,
  );
});

/** `structuredContent.results.askPrice` of a get_quote result, as a number. */
function askPriceOf(structured: unknown): number {
  const results = field(structured, 'results');
  const ask = Number(field(results, 'askPrice'));
  if (!Number.isFinite(ask)) throw new Error(`no askPrice in the quote: ${JSON.stringify(structured)}`);
  return ask;
}

/** The tool names of a tools/list answer. */
function toolNamesOf(answer: unknown): string[] {
  const tools = field(field(answer, 'result'), 'tools');
  if (!Array.isArray(tools)) throw new Error(`not a tools/list result: ${JSON.stringify(answer)}`);
  return tools.map((tool: unknown) => String(field(tool, 'name')));
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}
