/**
 * A customer who registers a read-only OAuth client in Client Center
 * (account, position and market scopes) gets a connection that can read the
 * portfolio and quotes and has no order tools at all (DESIGN §6): the client
 * asks for every scope the gateway advertises, Aries grants the intersection,
 * the gateway records it and lists only the tools it allows.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAriesClient, startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { AppClientProvider } from './support/app-client-provider.js';
import { connectV1WithOAuth } from './support/oauth-flow.js';
import { ALL_TOOL_SCOPES, startRealGateway, toolsAllowedBy, type RealGateway } from './support/real-gateway.js';
import { z } from 'zod';
import { readJsonAs } from '../../testkit/json-body.js';

const READ_SCOPES = ['account:information', 'position:information', 'market:information'];
const ORDER_TOOLS = ['cancel_order', 'place_order', 'preview_order', 'replace_order'];

describe('a read-only Client Center entry', () => {
  let sandbox: RunningSandbox;
  let gateway: RealGateway;
  let provider: AppClientProvider;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRealGateway({ sandboxUrl: sandbox.url });
    const { clientId } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      scopes: READ_SCOPES,
      name: 'Claude (read only)',
    });
    provider = new AppClientProvider(clientId);
    ({ client } = await connectV1WithOAuth(gateway.mcpUrl, provider, sandbox.sandbox.demo));
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await sandbox?.close();
  });

  it('is granted only the read scopes although every tool scope was requested', () => {
    expect(provider.authorizationUrl?.searchParams.get('scope')?.split(' ').sort()).toEqual([...ALL_TOOL_SCOPES]);
    expect(provider.saved?.scope?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
  });

  it('lists no order tools, only what the read scopes allow', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(toolsAllowedBy(READ_SCOPES));
    for (const name of ORDER_TOOLS) expect(names).not.toContain(name);
    // order:information is not granted either: no order history or open orders.
    expect(names).not.toContain('list_open_orders');
    expect(names).toEqual(expect.arrayContaining(['get_balances', 'get_positions', 'get_quote', 'list_accounts']));
  });

  it('reads the portfolio and a quote', async () => {
    const accountId = sandbox.sandbox.demo.accountId;
    for (const [name, args] of [
      ['list_accounts', {}],
      ['get_balances', { account_id: accountId }],
      ['get_positions', { account_id: accountId }],
      ['get_quote', { symbol: 'AAPL' }],
    ] as const) {
      const result = await client.callTool({ name, arguments: args });
      expect({ name, isError: result.isError ?? false }).toEqual({ name, isError: false });
      expect(result.structuredContent).toBeTypeOf('object');
    }
  });

  it('answers an order tool called by name with a tool error naming the missing scope and where to add it', async () => {
    const result = await client.callTool({ name: 'place_order', arguments: { account_id: sandbox.sandbox.demo.accountId } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: 'place_order needs the Aries scope "order:execution", which this connection was not granted. Add it to your OAuth client in Aries Client Center (Client Center > your client > Scopes), then reconnect the Aries connector so the new scope is granted.',
      },
    ]);
    const orders = await readJsonAs(
      await fetch(`${sandbox.url}/admin/orders?account_id=${sandbox.sandbox.demo.accountId}`),
      z.looseObject({ orders: z.array(z.unknown()) }),
    );
    expect(orders.orders).toEqual([]);
  });
});
