/**
 * Real MCP clients against the gateway (fixture registry and upstream):
 * the v2 client pinned to 2026-07-28 and in its default legacy mode, the v1
 * client, and raw requests reproducing what Claude sends.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';

let upstream: FixtureUpstream;
let gateway: TestGateway;
const auth = { Authorization: 'Bearer mcp-full' };
const ALL_TOOLS = ['cancel_order', 'get_bars', 'get_positions', 'get_quote', 'list_accounts', 'list_open_orders', 'place_order', 'preview_order'];

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  const grants = new TestGrants()
    .add('mcp-full', new TestGrant('grant-full', ALL_FIXTURE_SCOPES, 'token-1'))
    .add('mcp-readonly', new TestGrant('grant-ro', ['market:information', 'account:information', 'position:information'], 'token-1'));
  gateway = await startGateway({ tools: fixtureTools, grants, env: { ARIES_API_BASE: upstream.url } });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe.each([
  ['v2 client pinned to 2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const],
  ['v2 client, default (legacy handshake)', {} as const],
])('%s', (_name, options) => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'test', version: '1.0.0' }, options);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { requestInit: { headers: auth } }));
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists every tool the grant allows, sorted, with schemas and annotations as generated', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(ALL_TOOLS);
    const quote = tools.find((tool) => tool.name === 'get_quote');
    const generated = fixtureTools.find((tool) => tool.definition.name === 'get_quote')?.definition;
    expect(quote).toMatchObject({
      title: generated?.title,
      description: generated?.description,
      inputSchema: generated?.inputSchema,
      outputSchema: generated?.outputSchema,
      annotations: generated?.annotations,
    });
  });

  it('calls a tool and returns structuredContent plus one compact text block', async () => {
    const result = await client.callTool({ name: 'get_quote', arguments: { symbols: 'AAPL' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ data: [{ symbol: 'AAPL', lastPrice: '190.12', bidPrice: '190.10', askPrice: '190.14' }] });
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify(result.structuredContent) }]);
  });

  it('reports bad arguments as a tool error naming the field', async () => {
    const result = await client.callTool({ name: 'get_positions', arguments: { account_id: 42 } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: 'Invalid arguments for get_positions:\n- account_id: must be string' }]);
  });
});

describe('2026-07-28 cache hints', () => {
  it('tools/list carries a private cache scope (lists depend on grants)', async () => {
    const response = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.result).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' });
    expect(body.result.tools).toHaveLength(ALL_TOOLS.length);
  });
});

describe('v1 client (@modelcontextprotocol/sdk)', () => {
  it('connects, lists and calls', async () => {
    const client = new V1Client({ name: 'v1', version: '1.0.0' });
    await client.connect(new V1Transport(new URL(gateway.mcpUrl), { requestInit: { headers: auth } }));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(ALL_TOOLS);
    const result = await client.callTool({ name: 'get_positions', arguments: { account_id: 'ACC-1' } });
    expect(result.structuredContent).toEqual({
      accountId: 'ACC-1',
      positions: [
        { symbol: 'AAPL', quantity: '10', marketValue: '1900.00' },
        { symbol: 'MSFT', quantity: '5', marketValue: '2000.00' },
      ],
    });
    await client.close();
  });
});

describe('scopes decide the tool list', () => {
  it('a read-only grant sees no order tools', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { requestInit: { headers: { Authorization: 'Bearer mcp-readonly' } } }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['get_bars', 'get_positions', 'get_quote', 'list_accounts']);
    const refused = await client.callTool({
      name: 'place_order',
      arguments: { account_id: 'ACC-1', symbol: 'MSFT', side: 'BUY', quantity: '1', order_type: 'MARKET' },
    });
    expect(refused).toMatchObject({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'place_order needs the Aries scope "order:execution", which this connection was not granted. Add it to your OAuth client in Aries Client Center (Client Center > your client > Scopes), then reconnect the Aries connector so the new scope is granted.',
        },
      ],
    });
    await client.close();
  });
});

describe('what Claude sends', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    });

  it('legacy initialize, then tools/list and tools/call with MCP-Protocol-Version 2026-07-28, no session, no _meta', async () => {
    const init = await post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'claude-ai', version: '0.1.0' } },
    });
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    expect((await init.json()).result.protocolVersion).toBe('2025-06-18');

    const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-protocol-version': '2025-06-18' });
    expect(initialized.status).toBe(202);

    const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { 'mcp-protocol-version': '2026-07-28' });
    expect(list.status).toBe(200);
    expect((await list.json()).result.tools.map((tool: { name: string }) => tool.name)).toEqual(ALL_TOOLS);

    const call = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_quote', arguments: { symbols: 'MSFT' } } },
      { 'mcp-protocol-version': '2026-07-28' },
    );
    expect(call.status).toBe(200);
    expect((await call.json()).result.structuredContent).toEqual({ data: [{ symbol: 'MSFT', lastPrice: '190.12', bidPrice: '190.10', askPrice: '190.14' }] });
  });

  it.each(['2025-11-25', '2025-06-18', '2025-03-26'])('legacy handshake at %s', async (version) => {
    const init = await post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect((await init.json()).result.protocolVersion).toBe(version);
    const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-protocol-version': version });
    expect((await list.json()).result.tools).toHaveLength(ALL_TOOLS.length);
  });

  it.each(['2099-01-01', 'invalid-protocol-version'])('still rejects an MCP-Protocol-Version nobody serves (%s) with 400', async (version) => {
    const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-protocol-version': version });
    expect(response.status).toBe(400);
  });
});
