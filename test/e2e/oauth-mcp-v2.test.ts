/**
 * The same end-to-end flow as `oauth-mcp-v1.test.ts` with the v2 client
 * (`@modelcontextprotocol/client`) pinned to protocol 2026-07-28 and its own
 * OAuth support (`authProvider` = an `OAuthClientProvider` with the user's
 * static Aries Client ID): the negotiation probe gets 401 -> discovery ->
 * authorization URL -> sign-in and consent at the sandbox -> callback ->
 * `finishAuth(callback searchParams)` (the SDK checks `iss`, RFC 9207) ->
 * connect -> tools/list -> tool calls -> Aries token refresh -> revoke -> 401.
 */
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_REDIRECT, createAriesClient, startSandbox, TOOL_SCOPES, type RunningSandbox } from '../../testkit/harness.js';
import { AppClientProvider } from './support/app-client-provider.js';
import { followAuthorization, rawToolsList, revokeAtGateway, sandboxFaults } from './support/oauth-flow.js';
import { startRealGateway, toolsAllowedBy, type RealGateway } from './support/real-gateway.js';

const PINNED = { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const;

describe('v2 client (2026-07-28) through the OAuth proxy to the generated tools', () => {
  let sandbox: RunningSandbox;
  let gateway: RealGateway;
  let clientId: string;
  let provider: AppClientProvider;
  let client: Client | undefined;
  const counter = { refreshes: 0 };

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRealGateway({ sandboxUrl: sandbox.url, counter });
    ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`], scopes: TOOL_SCOPES }));
    provider = new AppClientProvider(clientId);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await sandbox?.close();
  });

  it('connects: UnauthorizedError -> sign-in and consent at Aries -> callback -> finishAuth with iss -> connected on 2026-07-28', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { authProvider: provider });
    const first = new Client({ name: 'e2e-v2', version: '1.0.0' }, PINNED);
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    await first.close();

    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${gateway.publicUrl}/authorize`);
    expect(Object.fromEntries(authorizationUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge_method: 'S256',
      state: 'sdk-state-42',
      resource: gateway.mcpUrl,
    });

    const clientRedirect = await followAuthorization(authorizationUrl, sandbox.sandbox.demo);
    expect(clientRedirect.origin + clientRedirect.pathname).toBe(CLIENT_REDIRECT);
    expect(clientRedirect.searchParams.get('state')).toBe('sdk-state-42');
    expect(clientRedirect.searchParams.get('iss')).toBe(gateway.publicUrl);

    // The preferred v2 form: the whole callback query, so the SDK validates `iss` before redeeming the code.
    await transport.finishAuth(clientRedirect.searchParams);
    expect(provider.saved?.access_token).toMatch(/^agw_at_/);
    expect(provider.saved?.scope?.split(' ').sort()).toEqual([...TOOL_SCOPES].sort());

    client = new Client({ name: 'e2e-v2', version: '1.0.0' }, PINNED);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { authProvider: provider }));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  });

  it('lists exactly the tools the granted scopes allow', async () => {
    const { tools } = await client!.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(toolsAllowedBy(TOOL_SCOPES));
  });

  it('calls list_accounts and get_positions', async () => {
    const accounts = await client!.callTool({ name: 'list_accounts', arguments: {} });
    expect(accounts.isError).toBeFalsy();
    expect(accounts.structuredContent).toMatchObject({ accounts: [expect.objectContaining({ sterling_account_id: sandbox.sandbox.demo.accountId })] });
    const positions = await client!.callTool({ name: 'get_positions', arguments: { account_id: sandbox.sandbox.demo.accountId } });
    expect(positions.isError).toBeFalsy();
    expect(positions.structuredContent).toMatchObject({ positions: expect.any(Array) });
  });

  it('keeps working after Aries expires its tokens (one Aries refresh by the gateway)', async () => {
    await sandboxFaults(sandbox.url, { expireTokens: true });
    const positions = await client!.callTool({ name: 'get_positions', arguments: { account_id: sandbox.sandbox.demo.accountId } });
    expect(positions.isError).toBeFalsy();
    expect(counter.refreshes).toBe(1);
  });

  it('after /revoke the next call is 401 and the SDK asks for a new sign-in', async () => {
    const accessToken = provider.saved!.access_token;
    expect((await revokeAtGateway(gateway.url, accessToken, clientId)).status).toBe(200);
    const raw = await rawToolsList(gateway.mcpUrl, accessToken);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const previousAuthorizationUrl = provider.authorizationUrl;
    await expect(client!.callTool({ name: 'list_accounts', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.saved).toBeUndefined();
    expect(provider.authorizationUrl).not.toBe(previousAuthorizationUrl);
  });
});
