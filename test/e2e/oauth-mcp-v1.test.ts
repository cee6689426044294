/**
 * End to end with the v1 SDK client (`@modelcontextprotocol/sdk`) and its own
 * OAuth support, against the real gateway (`createApp` with the generated
 * tools and the OAuth proxy) and the sandbox as Aries:
 * connect -> 401 -> discovery -> authorization URL -> the sandbox's sign-in
 * and consent pages -> gateway callback -> `finishAuth(code)` -> connect ->
 * tools/list (only the granted scopes' tools) -> tool calls -> the Aries
 * token expires and the gateway refreshes it once -> revoke -> 401.
 */
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerConnectionPage,
  CLIENT_REDIRECT,
  createAriesClient,
  location,
  signInAtAries,
  startSandbox,
  TOOL_SCOPES,
  visit,
  type RunningSandbox,
} from '../../testkit/harness.js';
import { AppClientProvider } from './support/app-client-provider.js';
import { rawToolsList, revokeAtGateway, sandboxFaults } from './support/oauth-flow.js';
import { startRealGateway, toolsAllowedBy, type RealGateway } from './support/real-gateway.js';
import { readJsonObject } from '../../testkit/json-body.js';

describe('v1 SDK client through the OAuth proxy to the generated tools', () => {
  let sandbox: RunningSandbox;
  let gateway: RealGateway;
  let clientId: string;
  let provider: AppClientProvider;
  let client: Client | undefined;
  const counter = { refreshes: 0 };

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRealGateway({ sandboxUrl: sandbox.url, counter });
    // The customer's Client Center entry: the gateway's callback, the five scopes of the trading tools.
    ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`], scopes: TOOL_SCOPES }));
    provider = new AppClientProvider(clientId);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await sandbox?.close();
  });

  it('answers an unauthenticated request with 401 and the protected-resource metadata that leads to the gateway', async () => {
    const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain(`resource_metadata="${gateway.publicUrl}/.well-known/oauth-protected-resource/mcp"`);
    const resource = await readJsonObject(await fetch(`${gateway.publicUrl}/.well-known/oauth-protected-resource/mcp`));
    expect(resource).toMatchObject({ resource: gateway.mcpUrl, authorization_servers: [gateway.publicUrl] });
    const server = await readJsonObject(await fetch(`${gateway.publicUrl}/.well-known/oauth-authorization-server`));
    expect(server).toMatchObject({
      issuer: gateway.publicUrl,
      authorization_endpoint: `${gateway.publicUrl}/authorize`,
      token_endpoint: `${gateway.publicUrl}/token`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('connects: UnauthorizedError -> sign-in and consent at Aries -> callback -> finishAuth -> connected', async () => {
    // 1. The first connect is refused with 401; the SDK discovers the gateway from the challenge and prepares the authorization URL.
    const seen: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push(`${init?.method ?? 'GET'} ${String(input).replace(gateway.publicUrl, '')} ${res.status}`);
      return res;
    };
    const transport = new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { authProvider: provider, fetch: recording });
    const first = new Client({ name: 'e2e-v1', version: '1.0.0' });
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    await first.close();
    expect(seen.slice(0, 3)).toEqual(['POST /mcp 401', 'GET /.well-known/oauth-protected-resource/mcp 200', 'GET /.well-known/oauth-authorization-server 200']);
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

    // 2. The browser: the gateway sends it to Aries with the gateway's own callback, state and PKCE.
    const toAries = await visit(authorizationUrl.href);
    expect(toAries.status).toBe(302);
    const ariesAuthorize = location(toAries);
    expect(ariesAuthorize.origin + ariesAuthorize.pathname).toBe(`${sandbox.url}/oauth2/authorize`);
    expect(ariesAuthorize.searchParams.get('client_id')).toBe(clientId);
    expect(ariesAuthorize.searchParams.get('redirect_uri')).toBe(`${gateway.publicUrl}/auth/callback`);
    expect(ariesAuthorize.searchParams.get('state')).not.toBe('sdk-state-42');
    expect(ariesAuthorize.searchParams.get('code_challenge')).not.toBe(authorizationUrl.searchParams.get('code_challenge'));

    // 3. Sign-in and consent pages (HTML forms), then Aries redirects to the gateway's callback.
    const callback = await signInAtAries(ariesAuthorize.href, sandbox.sandbox.demo);
    expect(callback.origin + callback.pathname).toBe(`${gateway.publicUrl}/auth/callback`);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // 4. The client may trade, so the gateway shows its connection page; Connect (allowing everything: this suite is about the
    // protocol) makes it mint its own code and send the browser back to the client with state and iss.
    const connectionPage = await visit(callback.href);
    expect(connectionPage.status).toBe(200);
    const back = await answerConnectionPage(connectionPage, gateway.publicUrl, 'permissive');
    expect(back.status).toBe(303);
    const clientRedirect = location(back);
    expect(clientRedirect.origin + clientRedirect.pathname).toBe(CLIENT_REDIRECT);
    expect(clientRedirect.searchParams.get('state')).toBe('sdk-state-42');
    expect(clientRedirect.searchParams.get('iss')).toBe(gateway.publicUrl);
    const code = clientRedirect.searchParams.get('code')!;
    expect(code).not.toBe(callback.searchParams.get('code'));

    // 5. The SDK exchanges the code; the gateway's own opaque tokens, never the Aries ones.
    await transport.finishAuth(code);
    expect(provider.saved?.access_token).toMatch(/^agw_at_/);
    expect(provider.saved?.refresh_token).toMatch(/^agw_rt_/);
    expect(provider.saved?.scope?.split(' ').sort()).toEqual([...TOOL_SCOPES].sort());

    client = new Client({ name: 'e2e-v1', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { authProvider: provider }));
  });

  it('lists exactly the tools the granted scopes allow', async () => {
    const { tools } = await client!.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(toolsAllowedBy(TOOL_SCOPES));
    expect(names).toEqual(expect.arrayContaining(['list_accounts', 'get_positions', 'get_quote', 'place_order', 'cancel_order']));
    // Scopes the Client Center entry does not have: analytics, calendars, supplemental market data.
    for (const absent of ['get_analyst_ratings', 'get_earnings_calendar', 'get_financial_ratios']) expect(names).not.toContain(absent);
  });

  it('calls list_accounts and get_positions with the Aries token the gateway holds', async () => {
    const accounts = await client!.callTool({ name: 'list_accounts', arguments: {} });
    expect(accounts.isError).toBeFalsy();
    expect(accounts.structuredContent).toMatchObject({ accounts: [expect.objectContaining({ sterling_account_id: sandbox.sandbox.demo.accountId })] });
    const positions = await client!.callTool({ name: 'get_positions', arguments: { account_id: sandbox.sandbox.demo.accountId } });
    expect(positions.isError).toBeFalsy();
    expect(positions.structuredContent).toMatchObject({ positions: expect.any(Array) });
    expect(counter.refreshes).toBe(0);
  });

  it('keeps working after Aries expires its tokens: the gateway refreshes the Aries token once, the client notices nothing', async () => {
    const tokensBefore = provider.saved;
    const fault = await sandboxFaults(sandbox.url, { expireTokens: true });
    expect(fault['expiredTokens']).toBeGreaterThanOrEqual(1);
    const positions = await client!.callTool({ name: 'get_positions', arguments: { account_id: sandbox.sandbox.demo.accountId } });
    expect(positions.isError).toBeFalsy();
    expect(positions.structuredContent).toMatchObject({ positions: expect.any(Array) });
    expect(counter.refreshes).toBe(1);
    expect(provider.saved).toBe(tokensBefore);
  });

  it('revoking the gateway token ends the grant: the next call is 401 and the SDK has to authorize again', async () => {
    const accessToken = provider.saved!.access_token;
    const revoked = await revokeAtGateway(gateway.url, accessToken, clientId);
    expect(revoked.status).toBe(200);

    const raw = await rawToolsList(gateway.mcpUrl, accessToken);
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toContain('error="invalid_token"');

    // The SDK gets the same 401, finds its refresh token dead too (invalid_grant), forgets the tokens and asks for a new sign-in.
    const previousAuthorizationUrl = provider.authorizationUrl;
    await expect(client!.callTool({ name: 'list_accounts', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.invalidated).toContain('tokens');
    expect(provider.saved).toBeUndefined();
    expect(provider.authorizationUrl).not.toBe(previousAuthorizationUrl);
    expect(provider.authorizationUrl?.origin).toBe(gateway.publicUrl);
  });
});
