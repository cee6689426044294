/**
 * The generated tools through the gateway against the sandbox (a local Aries),
 * signed in with the sandbox's OAuth backend (PKCE) through the grant seam:
 * - every generated tool is called with valid arguments and its
 *   structuredContent validates against its output schema;
 * - the three user asks (portfolio, AAPL price, a limit buy of 10 MSFT at 400
 *   that shows in open orders and is cancelled);
 * - each error class with the sandbox's fault injection;
 * - the duplicate-order window and a placement whose answer comes too late
 *   (a pass-through proxy delays the response): status UNKNOWN, exactly one
 *   order at Aries, a blind retry refused.
 * Runs on the committed `generated/` registry and its real argument names: a
 * missing `generated/index.ts` fails the import (run `npm run generate`), and a
 * renamed argument fails the call that uses it with the gateway's validation
 * error.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools as generatedTools } from '../../../generated/index.js';
import type { CallerGrant } from '../../../runtime/mcp/grant.js';
import { createSandbox, type ListeningSandbox, type Sandbox } from '../../../sandbox/app.js';
import { SandboxGrantResolver, type SandboxGrant, type SandboxSignIn } from '../../../testkit/sandbox-grant-resolver.js';
import { startDelayingProxy } from '../../support/delaying-proxy.js';
import { startGateway, type TestGateway } from '../../support/test-gateway.js';
import { readJsonObject } from '../../../testkit/json-body.js';
import { z } from 'zod';

const TIMEOUT_MS = 1_500;

type Tool = Awaited<ReturnType<Client['listTools']>>['tools'][number];
type Result = Awaited<ReturnType<Client['callTool']>>;

/** The JSON Schema keywords `sampleArgs` reads, taken from one property schema without a cast. */
function keywordsOf(raw: unknown): { type?: unknown; enum?: unknown; default?: unknown; format?: unknown; examples?: unknown } {
  return typeof raw === 'object' && raw !== null ? Object.fromEntries(Object.entries(raw)) : {};
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('generated tools through the gateway against the sandbox', () => {
  let sandbox: Sandbox;
  let listening: ListeningSandbox;
  let gateway: TestGateway;
  let demo: SandboxGrant;
  let resolver: SandboxGrantResolver;
  let client: Client;
  let tools: Tool[] = [];
  let accountId: string;
  const called = new Set<string>();
  const ajv = new Ajv2020({ strict: false });
  addFormatsModule.default(ajv);

  const toolNamed = (name: string): Tool => {
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool === undefined) throw new Error(`generated registry has no ${name}`);
    return tool;
  };

  /** Valid arguments from the schema alone: the account, symbol and date arguments by their generated names, other required ones by enum, example or type. */
  const sampleArgs = (tool: Tool): Record<string, unknown> => {
    const required = new Set(tool.inputSchema.required ?? []);
    const values: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(tool.inputSchema.properties ?? {})) {
      const schema = keywordsOf(raw);
      const when = (offsetDays: number) => (schema.format === 'date-time' ? new Date(Date.now() + offsetDays * 86_400_000).toISOString() : day(offsetDays));
      if (name === 'account_id') values[name] = accountId;
      else if (name === 'symbol' || name === 'query' || name === 'tickers') values[name] = 'AAPL';
      else if (name === 'from' || name === 'dateFrom') values[name] = when(-30);
      else if (name === 'to' || name === 'dateTo') values[name] = when(tool.name.includes('history') ? 0 : 30);
      else if (!required.has(name) || schema.default !== undefined) continue;
      else if (Array.isArray(schema.enum)) values[name] = schema.enum[0];
      else if (Array.isArray(schema.examples)) values[name] = schema.examples[0];
      else if (schema.format === 'date' || schema.format === 'date-time') values[name] = when(0);
      else if (schema.type === 'integer' || schema.type === 'number') values[name] = 1;
      else if (schema.type === 'boolean') values[name] = false;
      else throw new Error(`no sample value for required argument ${tool.name}.${name}`);
    }
    return values;
  };

  /** Calls a tool that must succeed; checks structuredContent against the published output schema. */
  const ok = async (name: string, args: Record<string, unknown>, on: Client = client): Promise<Record<string, unknown>> => {
    const result = await on.callTool({ name, arguments: args });
    const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    const content: unknown = result.structuredContent;
    const structured: Record<string, unknown> = typeof content === 'object' && content !== null ? Object.fromEntries(Object.entries(content)) : {};
    const validate = ajv.compile(toolNamed(name).outputSchema ?? { type: 'object' });
    expect(validate(structured), `${name} output: ${ajv.errorsText(validate.errors)}`).toBe(true);
    expect(text).toBe(JSON.stringify(structured));
    called.add(name);
    return structured;
  };

  const failText = async (name: string, args: Record<string, unknown>, on: Client = client): Promise<string> => {
    const result: Result = await on.callTool({ name, arguments: args });
    expect(result.isError).toBe(true);
    return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
  };

  const admin = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(
      `${listening.url}/admin${path}`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return await readJsonObject(response);
  };

  const connect = async (mcpToken: string): Promise<Client> => {
    const connected = new Client({ name: 'e2e', version: '1.0.0' });
    await connected.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${mcpToken}` } } }));
    return connected;
  };

  const limitBuy = (symbol: string, qty: string, price: string) => ({
    account_id: accountId,
    symbol,
    side: 'BUY',
    type: 'LIMIT',
    qty,
    price,
    timeInForce: 'DAY',
  });

  beforeAll(async () => {
    sandbox = createSandbox({ tickIntervalMs: 0 });
    listening = await sandbox.listen(0);
    resolver = new SandboxGrantResolver();
    const signIn = (scopes: readonly string[]): SandboxSignIn => ({
      sandboxUrl: listening.url,
      clientId: sandbox.demo.clientId,
      email: sandbox.demo.email,
      password: sandbox.demo.password,
      redirectUri: sandbox.demo.redirectUris[0],
      scopes,
    });
    demo = await resolver.signIn('mcp-demo', signIn(sandbox.demo.scopes));
    // Claims position:information while Aries did not grant it: Aries itself answers 403.
    const partial = await resolver.signIn('mcp-partial', signIn(sandbox.demo.scopes.filter((scope) => scope !== 'position:information')));
    const claiming: CallerGrant = {
      grantId: 'claims-too-much',
      scopes: [...partial.scopes, 'position:information'],
      accessToken: () => partial.accessToken(),
      refreshAccessToken: () => partial.refreshAccessToken(),
      isStale: (token) => partial.isStale(token),
      revoke: () => partial.revoke(),
    };
    resolver.add('mcp-claiming', claiming);
    gateway = await startGateway({ tools: generatedTools, grants: resolver, env: { ARIES_API_BASE: listening.url, TOOL_TIMEOUT_MS: String(TIMEOUT_MS) } });
    client = await connect('mcp-demo');
    tools = (await client.listTools()).tools;
    accountId = sandbox.demo.accountId;
    // MSFT above 400 so a 400 limit buy rests as an open order.
    await admin('/market/prices', { MSFT: '420.00' });
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await listening?.close();
  });

  it('lists the generated tools, sorted, with confirm_duplicate on place_order', () => {
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual([...names].sort());
    expect(toolNamed('place_order').inputSchema.properties).toHaveProperty('confirm_duplicate');
  });

  it('ask 1, "What is in my Aries portfolio?": list_accounts, get_positions, get_balances', async () => {
    const accounts = await ok('list_accounts', {});
    expect(JSON.stringify(accounts)).toContain(accountId);
    await ok('get_positions', { account_id: accountId });
    await ok('get_balances', { account_id: accountId });
  });

  it('ask 2, "What is the current price of AAPL?": get_quote', async () => {
    const quote = await ok('get_quote', { symbol: 'AAPL' });
    expect(JSON.stringify(quote)).toMatch(/\d+\.\d+/);
  });

  it('ask 3, "Place a limit buy order for 10 shares of MSFT at $400": place, see it open, cancel it', async () => {
    const placed = await ok('place_order', limitBuy('MSFT', '10', '400.00'));
    const clOrdId = String(placed['clOrdId']);
    expect(clOrdId).not.toBe('undefined');
    expect(JSON.stringify(await ok('list_open_orders', { account_id: accountId }))).toContain(clOrdId);
    const cancelled = await ok('cancel_order', { account_id: accountId, origClOrdId: clOrdId, symbol: 'MSFT', side: 'BUY' });
    expect(JSON.stringify(cancelled)).toContain(clOrdId);
    expect(JSON.stringify(await ok('list_open_orders', { account_id: accountId }))).not.toContain(`"${clOrdId}"`);
  });

  it('null fields from Aries (upcoming earnings have no actuals) are left out and the result validates', async () => {
    // Quarterly reports over a year: past ones carry actuals, upcoming ones send epsActual: null.
    const calendar = await ok('get_earnings_calendar', { symbol: 'AAPL', from: day(-183), to: day(183) });
    const events = z.array(z.record(z.string(), z.unknown())).parse(calendar['items']);
    expect(events.some((event) => Object.hasOwn(event, 'epsActual'))).toBe(true);
    const upcoming = events.filter((event) => !Object.hasOwn(event, 'epsActual'));
    expect(upcoming.length).toBeGreaterThan(0);
    for (const event of upcoming) expect(event).toMatchObject({ symbol: 'AAPL', epsEstimate: expect.any(Number) });
    expect(JSON.stringify(calendar)).not.toContain('null');
  });

  it('preview_order and replace_order', async () => {
    await ok('preview_order', limitBuy('MSFT', '3', '399.00'));
    const placed = await ok('place_order', limitBuy('MSFT', '3', '399.00'));
    const replaced = await ok('replace_order', { account_id: accountId, origClOrdId: String(placed['clOrdId']), symbol: 'MSFT', qty: '4', price: '398.00' });
    await ok('cancel_order', { account_id: accountId, origClOrdId: String(replaced['clOrdId']), symbol: 'MSFT', side: 'BUY' });
  });

  it('every other generated tool answers valid arguments with schema-valid structuredContent', async () => {
    for (const tool of tools) {
      if (called.has(tool.name) || tool.annotations?.destructiveHint === true) continue;
      await ok(tool.name, sampleArgs(tool));
    }
    expect(tools.map((tool) => tool.name).filter((name) => !called.has(name))).toEqual([]);
  });

  describe('error classes', () => {
    const quoteArgs = () => ({ symbol: 'AAPL' });

    it('5xx', async () => {
      await admin('/faults', { status: 503, count: 1 });
      expect(await failText('get_quote', quoteArgs())).toMatch(
        /^Aries is having trouble \(HTTP 503\)\. Aries says: service_unavailable: Simulated upstream failure \(503\)\.\nTry again shortly\.$/,
      );
    });

    it('429 with Retry-After', async () => {
      await admin('/faults', { rateLimit: { retryAfterSeconds: 7 }, count: 1 });
      expect(await failText('get_quote', quoteArgs())).toContain('Wait 7 seconds (Retry-After) before calling get_quote again.');
    });

    it('latency over the tool timeout', async () => {
      await admin('/faults', { latencyMs: TIMEOUT_MS + 500, count: 1 });
      expect(await failText('get_quote', quoteArgs())).toBe('Aries did not answer within 1.5 seconds.\nTry again shortly, or narrow the request.');
    });

    it('connection reset', async () => {
      await admin('/faults', { reset: true, count: 1 });
      expect(await failText('get_quote', quoteArgs())).toMatch(
        /^Could not reach Aries \(.+\)\. The connection failed before Aries answered\.\nTry again shortly\.$/,
      );
    });

    it('expired Aries token: one refresh, one retry, success', async () => {
      const before = demo.refreshes;
      await admin('/faults', { expireTokens: true });
      await ok('get_quote', quoteArgs());
      expect(demo.refreshes).toBe(before + 1);
    });

    it('403 from Aries names the missing scope and Client Center', async () => {
      const claiming = await connect('mcp-claiming');
      try {
        const text = await failText('get_positions', { account_id: accountId }, claiming);
        expect(text).toContain('Aries refused the request (HTTP 403). Aries says: forbidden: missing scope position:information');
        expect(text).toContain('needs the scope "position:information". Add it to your OAuth client in Aries Client Center');
      } finally {
        await claiming.close();
      }
    });

    it('400 field errors', async () => {
      const text = await failText('place_order', limitBuy('ZZZZZZ', '10', '400.00'));
      expect(text).toMatch(/^Aries rejected the request as invalid \(HTTP 400\)\. Aries says: invalid request\nField errors:\n- symbol: unknown symbol ZZZZZZ/);
    });

    it('404', async () => {
      expect(await failText('get_positions', { account_id: 'NO-SUCH-ACCOUNT' })).toContain(
        'Aries found nothing for this request (HTTP 404). Aries says: not_found: account NO-SUCH-ACCOUNT not found',
      );
    });
  });

  describe('trading safety', () => {
    const ordersFor = async (symbol: string, qty: string) => {
      const { orders } = z
        .looseObject({ orders: z.array(z.looseObject({ symbol: z.string(), qty: z.string().optional(), clOrdId: z.string() })) })
        .parse(await admin(`/orders?account_id=${accountId}`));
      return orders.filter((order) => order.symbol === symbol && Number(order.qty) === Number(qty));
    };

    it('an identical place_order within 60 s is refused, then allowed with confirm_duplicate', async () => {
      const args = limitBuy('MSFT', '2', '390.00');
      const first = await ok('place_order', args);
      expect(await failText('place_order', args)).toContain('Refused as a probable duplicate');
      const second = await ok('place_order', { ...args, confirm_duplicate: true });
      expect(second['clOrdId']).not.toBe(first['clOrdId']);
      expect(await ordersFor('MSFT', '2')).toHaveLength(2);
      for (const order of [first, second])
        await ok('cancel_order', { account_id: accountId, origClOrdId: String(order['clOrdId']), symbol: 'MSFT', side: 'BUY' });
    });

    it('a place_order timeout says the status is UNKNOWN, Aries holds exactly one order, and a blind retry is refused', async () => {
      // Aries takes the order at once but its answer comes after the gateway stopped waiting.
      const proxy = await startDelayingProxy(listening.url);
      const slow = await startGateway({ tools: generatedTools, grants: resolver, env: { ARIES_API_BASE: proxy.url, TOOL_TIMEOUT_MS: String(TIMEOUT_MS) } });
      const slowClient = new Client({ name: 'e2e-slow', version: '1.0.0' });
      await slowClient.connect(new StreamableHTTPClientTransport(new URL(slow.mcpUrl), { requestInit: { headers: { Authorization: 'Bearer mcp-demo' } } }));
      try {
        const args = limitBuy('MSFT', '7', '380.00');
        proxy.delayNext('POST', '/v1/orders', TIMEOUT_MS + 700);
        const text = await failText('place_order', args, slowClient);
        expect(text).toBe(
          'Aries did not answer within 1.5 seconds.\nThe status of this place_order request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check list_open_orders (and get_order_history) to see whether it went through, then retry only if it is not there.',
        );
        expect(await failText('place_order', args, slowClient)).toContain('Refused as a probable duplicate');
        const orders = await ordersFor('MSFT', '7');
        expect(orders).toHaveLength(1);
        expect(JSON.stringify(await ok('list_open_orders', { account_id: accountId }, slowClient))).toContain(orders[0].clOrdId);
        await ok('cancel_order', { account_id: accountId, origClOrdId: orders[0].clOrdId, symbol: 'MSFT', side: 'BUY' });
      } finally {
        await slowClient.close();
        await slow.close();
        await proxy.close();
      }
    });
  });
});
