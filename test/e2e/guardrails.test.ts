/**
 * Issue 17: trading guardrails the customer chooses, end to end against the
 * sandbox, with two gateway replicas on one real `redis-server`:
 * - the connection page at /auth/callback (defaults shown, CSP, no script),
 *   its CSRF token and browser binding, Cancel -> access_denied, hostile
 *   form fields, reconnecting shows the current values;
 * - with the defaults: a limit order above 1,000 USD is refused naming the
 *   guardrail and nothing reaches the sandbox's order book; one below is
 *   placed; market orders, options and short sales are refused by type,
 *   instrument and side;
 * - a market order is valued at the quote's ask;
 * - the daily total is refused on the order that would pass it, with the
 *   orders alternating between the two replicas;
 * - read-only hides the order tools and refuses them.
 * Skipped, with a message, when `redis-server` is not on PATH.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../runtime/store/redis-store.js';
import {
  answerConnectionPage,
  authorizeUrl,
  CLIENT_REDIRECT,
  connectionPageFields,
  CookieJar,
  createAriesClient,
  location,
  signInAtAries,
  startSandbox,
  visit,
  type RunningSandbox,
} from '../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../testkit/redis-server.js';
import { connectUser, type GatewayUser } from '../robustness/support/gateway-users.js';
import { callTool, postMcp } from '../robustness/support/mcp-wire.js';
import { ALL_TOOL_SCOPES, startRobustGateway, type RobustGateway } from '../robustness/support/robust-gateway.js';
import { SecretLedger } from '../robustness/support/secret-ledger.js';
import { z } from 'zod';
import { readJsonAs, toolsListAnswer } from '../../testkit/json-body.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('guardrails.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

const HOW_TO_CHANGE =
  /Nothing was sent to Aries\. The account owner chose these limits when connecting this app and can change them by connecting the app to Aries again/;

describe.skipIf(!HAVE_REDIS)('trading guardrails chosen on the connection page', () => {
  const ledger = new SecretLedger();
  const keyPrefix = `guardrails:${randomUUID()}:`;
  const stores: RedisStore[] = [];
  let redis: RedisProcess;
  let sandbox: RunningSandbox;
  let a: RobustGateway;
  let b: RobustGateway;
  let clientId: string;

  const ordersIn = async (accountId: string) =>
    (
      await readJsonAs(
        await fetch(`${sandbox.url}/admin/orders?account_id=${encodeURIComponent(accountId)}`),
        z.looseObject({ orders: z.array(z.record(z.string(), z.unknown())) }),
      )
    ).orders;
  const connect = (label: string, guardrails: Parameters<typeof connectUser>[0]['guardrails']) =>
    connectUser({ sandboxUrl: sandbox.url, gatewayUrl: a.url, publicUrl: a.publicUrl, ledger, label, guardrails });
  const limitOrder = (user: GatewayUser, qty: number, price: string, extra: Record<string, unknown> = {}) => ({
    account_id: user.accountId,
    symbol: 'MSFT',
    side: 'BUY',
    type: 'LIMIT',
    qty: String(qty),
    price,
    timeInForce: 'DAY',
    ...extra,
  });
  /** The browser leg up to the connection page, in `jar`'s browser, for the demo user. */
  const reachConnectionPage = async (state = 'client-state-1') => {
    const start = await visit(authorizeUrl(a.url, { clientId, state, scope: ALL_TOOL_SCOPES.join(' ') }));
    expect(start.status).toBe(302);
    const callback = await signInAtAries(location(start).href, sandbox.sandbox.demo);
    return visit(`${a.url}${callback.pathname}${callback.search}`);
  };

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
    const open = async () => {
      const store = await RedisStore.connect(redis.url, { keyPrefix });
      stores.push(store);
      return store;
    };
    // METRICS_TOKEN: the refusal counter is checked in the Prometheus exposition.
    a = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store: await open(), env: { METRICS_TOKEN: 'guardrails-metrics-token-0123456789' } });
    b = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store: await open(), publicUrl: a.publicUrl });
    await fetch(`${sandbox.url}/admin/market/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MSFT: '420.00' }),
    });
    ({ clientId } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${a.publicUrl}/auth/callback`],
      scopes: [...ALL_TOOL_SCOPES],
      name: 'Guardrails page',
    }));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const store of stores) await store.close();
    await sandbox?.close();
    await redis?.stop();
  });

  describe('the connection page', () => {
    it('appears at /auth/callback for a connection that can trade, names the app and shows the safe defaults, without script', async () => {
      const page = await reachConnectionPage();
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      expect(page.headers.get('cache-control')).toBe('no-store');
      const text = await page.text();
      expect(text).toContain('Connect a desktop or command-line app on this computer to your Aries account');
      expect(text).toContain('If your Aries OAuth client allows trading, these limits apply');
      expect(text).toContain('<li>Place an order</li>');
      expect(text).not.toMatch(/<script/i);
      const { fields, choices } = connectionPageFields(text);
      expect(Object.fromEntries(fields)).toMatchObject({
        access: ['trade'],
        max_order_usd: ['1,000'],
        max_daily_usd: ['5,000'],
        order_types: ['LIMIT'],
        sides: ['BUY', 'SELL'],
        instruments: ['equity'],
      });
      expect(choices.get('order_types')).toEqual(['LIMIT', 'STOP_LIMIT', 'STOP', 'MARKET']);
      expect(choices.get('sides')).toEqual(['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER']);
      expect(choices.get('instruments')).toEqual(['equity', 'option']);
      // Nothing went to the app yet.
      expect(page.headers.get('location')).toBeNull();
    });

    it('refuses a POST without its CSRF token, and one from another browser; the real browser then connects', async () => {
      const page = await reachConnectionPage('csrf-state');
      const html = await page.clone().text();
      const { connection } = connectionPageFields(html);

      const withoutToken = await visit(`${a.url}/auth/callback`, { method: 'POST', body: new URLSearchParams({ action: 'connect', access: 'trade' }) });
      expect(withoutToken.status).toBe(400);
      expect(await withoutToken.text()).toContain('invalid_request');

      // Another browser (no sign-in cookie) that learned the token, e.g. a cross-site form: refused, and nothing is used up.
      const otherBrowser = new CookieJar();
      const forged = await visit(
        `${a.url}/auth/callback`,
        { method: 'POST', body: new URLSearchParams({ connection, action: 'connect', access: 'read_only' }) },
        otherBrowser,
      );
      expect(forged.status).toBe(403);
      expect(forged.headers.get('location')).toBeNull();
      expect(await forged.text()).toContain('browser_mismatch');

      const connected = await answerConnectionPage(page, a.url, 'shown');
      expect(connected.status).toBe(303);
      const back = location(connected);
      expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
      expect(back.searchParams.get('state')).toBe('csrf-state');
      expect(back.searchParams.get('iss')).toBe(a.publicUrl);
      expect(back.searchParams.get('code')).toMatch(/^agw_ac_/);

      // Single use: the same page submitted again is refused.
      const replay = await visit(`${a.url}/auth/callback`, { method: 'POST', body: new URLSearchParams({ connection, action: 'connect', access: 'trade' }) });
      expect(replay.status).toBe(400);
      expect(replay.headers.get('location')).toBeNull();
      expect(await replay.text()).toContain('<span class="code">invalid_request</span>');
    });

    it('Cancel sends the app access_denied with its state and iss', async () => {
      const page = await reachConnectionPage('cancel-state');
      const cancelled = await answerConnectionPage(page, a.url, 'shown', 'cancel');
      expect(cancelled.status).toBe(303);
      const back = location(cancelled);
      expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
      expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'access_denied', state: 'cancel-state', iss: a.publicUrl });
      expect(back.searchParams.get('code')).toBeNull();
    });

    const hostile: [string, Record<string, string | string[]>, RegExp][] = [
      ['a negative amount', { max_order_usd: '-5' }, /Maximum value per order: enter an amount in US dollars from 1 to 10,000,000/],
      ['an exponent', { max_daily_usd: '1e9' }, /Maximum total per day: enter an amount/],
      ['markup in an amount', { max_order_usd: '<script>alert(1)</script>' }, /Maximum value per order: enter an amount/],
      ['an amount over the ceiling', { max_order_usd: '99999999999' }, /Maximum value per order: enter an amount/],
      ['misplaced thousands commas', { max_order_usd: '1,00' }, /Maximum value per order: enter an amount/],
      ['an amount given twice', { max_order_usd: ['100', '5000000'] }, /Maximum value per order: Give one value only/],
      ['an order type not offered', { order_types: ['LIMIT', 'IOC'] }, /Order types: Unknown order type/],
      ['no side at all', { sides: [] }, /Sides: Choose at least one side, or choose read-only/],
      ['an instrument not offered', { instruments: 'futures' }, /Instruments: Unknown instrument/],
      ['an overlong value', { sides: 'B'.repeat(65) }, /Sides: Each value must be text of at most 64 characters/],
      ['a flood of values', { order_types: Array.from({ length: 17 }, () => 'LIMIT') }, /Order types: Too many values/],
      ['an unknown access', { access: 'admin' }, /Orders: Choose whether the app may place orders or only read/],
    ];
    it.each(hostile)('shows the page again naming the field for %s, escaped, and keeps the sign-in usable', async (_name, fields, problem) => {
      const page = await reachConnectionPage('hostile-state');
      const html = await page.clone().text();
      const refused = await answerConnectionPage(new Response(html), a.url, fields);
      expect(refused.status).toBe(400);
      const text = (await refused.text()).replaceAll('&#39;', "'");
      expect(text).toMatch(problem);
      expect(text).not.toContain('<script>alert(1)</script>');
      expect(refused.headers.get('location')).toBeNull();
      const fixed = await answerConnectionPage(new Response(html), a.url, 'shown');
      expect(fixed.status).toBe(303);
      expect(location(fixed).searchParams.get('code')).toMatch(/^agw_ac_/);
    });
  });

  describe('with the defaults', () => {
    let user: GatewayUser;
    beforeAll(async () => {
      user = await connect('defaults', 'shown');
    });

    it('a limit order above 1,000 USD is refused naming the guardrail and the numbers; nothing reaches the order book', async () => {
      const refused = await callTool(a.mcpUrl, user.accessToken, 'place_order', limitOrder(user, 3, '400.00'));
      expect(refused.result?.isError).toBe(true);
      expect(refused.resultText).toMatch(
        /^Refused by the trading guardrail "maximum value per order": this order is worth 1,200 USD \(3 x 400 \(price\)\); the limit is 1,000 USD per order\./,
      );
      expect(refused.resultText).toMatch(HOW_TO_CHANGE);
      expect(await ordersIn(user.accountId)).toHaveLength(0);
      const metrics = (await a.app.metrics.exposition()).text;
      expect(metrics).toMatch(/agw_guardrail_refusals_total\{guardrail="order_value"\} [1-9]/);
      // Logged by guardrail, without the order's details.
      const line = a.logs.entries.find((entry) => entry['msg'] === 'order refused by a trading guardrail');
      expect(line).toMatchObject({ guardrail: 'order_value', tool: 'place_order' });
      expect(JSON.stringify(line)).not.toMatch(/400\.00|MSFT/);
    });

    it('a limit order below 1,000 USD is placed', async () => {
      const placed = await callTool(a.mcpUrl, user.accessToken, 'place_order', limitOrder(user, 2, '400.00'));
      expect(placed.result?.isError, placed.resultText).toBeFalsy();
      const orders = await ordersIn(user.accountId);
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ symbol: 'MSFT', qty: '2' });
    });

    const outside: [string, Record<string, unknown>, RegExp][] = [
      [
        'a market order (limit orders only)',
        { type: 'MARKET', price: undefined },
        /^Refused by the trading guardrail "allowed order types": MARKET orders are not allowed on this connection; allowed: LIMIT\./,
      ],
      [
        'a short sale',
        { side: 'SELL_SHORT' },
        /^Refused by the trading guardrail "allowed sides": SELL_SHORT is not allowed on this connection; allowed: BUY, SELL\./,
      ],
      [
        'an option',
        { symbol: 'MSFT  270115C00400000', price: '1.00' },
        /^Refused by the trading guardrail "allowed instruments": options are not allowed on this connection; allowed: stocks and ETFs\./,
      ],
    ];
    it.each(outside)('%s is refused before Aries', async (_name, change, message) => {
      const before = (await ordersIn(user.accountId)).length;
      const refused = await callTool(b.mcpUrl, user.accessToken, 'place_order', JSON.parse(JSON.stringify(limitOrder(user, 1, '10.00', change))));
      expect(refused.result?.isError).toBe(true);
      expect(refused.resultText).toMatch(message);
      expect(refused.resultText).toMatch(HOW_TO_CHANGE);
      expect(await ordersIn(user.accountId)).toHaveLength(before);
    });

    it("preview_order shows the verdict next to Aries' estimate", async () => {
      const preview = await callTool(a.mcpUrl, user.accessToken, 'preview_order', limitOrder(user, 3, '400.00'));
      expect(preview.result?.isError, preview.resultText).toBeFalsy();
      expect(preview.resultText).toMatch(
        /Trading guardrails: placing this order would be refused\. Refused by the trading guardrail "maximum value per order"/,
      );
    });
  });

  it('a market order is valued at the current ask from the quote', async () => {
    const user = await connect('market', { order_types: ['LIMIT', 'MARKET'] });
    const quote = await callTool(a.mcpUrl, user.accessToken, 'get_quote', { symbol: 'MSFT' });
    const ask = Number(z.looseObject({ results: z.looseObject({ askPrice: z.unknown() }) }).parse(quote.result?.structuredContent).results.askPrice);
    expect(ask).toBeGreaterThan(300);
    const market = { account_id: user.accountId, symbol: 'MSFT', side: 'BUY', type: 'MARKET', qty: '3', timeInForce: 'DAY' };
    const refused = await callTool(a.mcpUrl, user.accessToken, 'place_order', market);
    expect(refused.result?.isError).toBe(true);
    expect(refused.resultText).toContain(`(3 x ${ask} current ask); the limit is 1,000 USD per order.`);
    const placed = await callTool(b.mcpUrl, user.accessToken, 'place_order', { ...market, qty: '2' });
    expect(placed.result?.isError, placed.resultText).toBeFalsy();
    expect(await ordersIn(user.accountId)).toHaveLength(1);
  });

  it('the daily total is refused on the order that would pass 5,000 USD, counted across both replicas', async () => {
    const user = await connect('daily', 'shown');
    // Five orders of about 900 USD, alternating replicas (prices differ, so none is a probable duplicate): 4,500 USD.
    for (let i = 0; i < 5; i += 1) {
      const placed = await callTool((i % 2 === 0 ? a : b).mcpUrl, user.accessToken, 'place_order', limitOrder(user, 3, `300.0${i}`));
      expect(placed.result?.isError, placed.resultText).toBeFalsy();
    }
    const sixth = await callTool(b.mcpUrl, user.accessToken, 'place_order', limitOrder(user, 3, '300.05'));
    expect(sixth.result?.isError).toBe(true);
    expect(sixth.resultText).toMatch(
      /^Refused by the trading guardrail "maximum total per day": this order is worth 900.15 USD and orders worth 4,500.30 USD were already placed today \(US market day\), so the total would be 5,400.45 USD; the limit is 5,000 USD per day\./,
    );
    expect(await ordersIn(user.accountId)).toHaveLength(5);
    // What still fits goes through.
    const small = await callTool(a.mcpUrl, user.accessToken, 'place_order', limitOrder(user, 1, '400.00'));
    expect(small.result?.isError, small.resultText).toBeFalsy();
    expect(await ordersIn(user.accountId)).toHaveLength(6);
  });

  it('read-only hides the order tools from tools/list and refuses them', async () => {
    const user = await connect('read-only', { access: 'read_only' });
    const listed = await postMcp(a.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { authorization: `Bearer ${user.accessToken}` });
    const names = toolsListAnswer.parse(listed.json).result.tools.map((tool) => tool.name);
    expect(names).toContain('get_quote');
    expect(names).toContain('preview_order');
    for (const orderTool of ['place_order', 'replace_order', 'cancel_order']) expect(names).not.toContain(orderTool);
    const refused = await callTool(b.mcpUrl, user.accessToken, 'place_order', limitOrder(user, 1, '10.00'));
    expect(refused.result?.isError).toBe(true);
    expect(refused.resultText).toMatch(
      /^Refused: this connection is read-only \(the account owner chose "read only" when connecting this app\), so place_order is not available\./,
    );
    expect(await ordersIn(user.accountId)).toHaveLength(0);
  });

  it('reconnecting shows the page again with the current values of this Client ID', async () => {
    const first = await reachConnectionPage('first');
    const chosen = await answerConnectionPage(first, a.url, { max_order_usd: '2,500.50', order_types: ['LIMIT', 'STOP'], instruments: ['equity', 'option'] });
    expect(chosen.status).toBe(303);
    const again = await reachConnectionPage('again');
    const { fields } = connectionPageFields(await again.text());
    expect(Object.fromEntries(fields)).toMatchObject({
      max_order_usd: ['2,500.50'],
      max_daily_usd: ['5,000'],
      order_types: ['LIMIT', 'STOP'],
      instruments: ['equity', 'option'],
    });
  });
});
