/**
 * End to end with the v1 SDK client's own OAuth support
 * (`@modelcontextprotocol/sdk/client/auth.js`), a provider with a static
 * client id (no registration), the real sandbox as Aries, and a stand-in
 * protected route at `/mcp` (see the harness): discovery from the 401 ->
 * authorize (the test plays the browser through Aries' pages) -> callback
 * -> token; then the Aries token expires and is refreshed once, even under
 * concurrency; then the SDK refreshes the gateway tokens; then revoke.
 */
import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counting, StaticClientProvider } from '../../support/sdk-provider.js';
import {
  callMcp,
  createAriesClient,
  location,
  postForm,
  signInAtAries,
  startGateway,
  startSandbox,
  visit,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';

async function connectWithSdk(gateway: RunningGateway, sandbox: RunningSandbox, provider: StaticClientProvider): Promise<void> {
  const serverUrl = `${gateway.url}/mcp`;
  // 1. Discovery starts from the 401 challenge.
  const challenge = await fetch(serverUrl, { method: 'POST' });
  expect(challenge.status).toBe(401);
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(challenge);
  expect(resourceMetadataUrl?.href).toBe(`${gateway.publicUrl}/.well-known/oauth-protected-resource/mcp`);
  expect(await auth(provider, { serverUrl, resourceMetadataUrl, scope })).toBe('REDIRECT');
  // 2. The authorization URL is ours, with PKCE S256 and the resource indicator.
  const authorizationUrl = provider.authorizationUrl!;
  expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${gateway.publicUrl}/authorize`);
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorizationUrl.searchParams.get('resource')).toBe(`${gateway.publicUrl}/mcp`);
  // 3. The browser: gateway -> Aries sign-in and consent -> gateway callback -> client.
  const toAries = await visit(authorizationUrl.href);
  const callback = await signInAtAries(location(toAries).href, sandbox.sandbox.demo);
  const back = location(await visit(`${gateway.url}${callback.pathname}${callback.search}`));
  expect(back.searchParams.get('state')).toBe('sdk-state-42');
  expect(back.searchParams.get('iss')).toBe(gateway.publicUrl);
  // 4. The SDK exchanges the code.
  expect(await auth(provider, { serverUrl, authorizationCode: back.searchParams.get('code')! })).toBe('AUTHORIZED');
  expect(provider.saved?.access_token).toMatch(/^agw_at_/);
}

describe('SDK client end to end', () => {
  let sandbox: RunningSandbox;
  let gateway: RunningGateway;
  const counter = { refreshes: 0 };
  let provider: StaticClientProvider;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startGateway({ sandboxUrl: sandbox.url, wrapAries: counting(counter) });
    const { clientId } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      scopes: ['account:information', 'market:information'],
    });
    provider = new StaticClientProvider(clientId);
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it('discovers, authorizes and exchanges with only a Client ID; the grant carries the scopes Aries granted', async () => {
    await connectWithSdk(gateway, sandbox, provider);
    expect(provider.saved?.scope).toBe('account:information market:information');
    const res = await callMcp(gateway.url, provider.saved!.access_token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scopes: ['account:information', 'market:information'], upstreamStatus: 200 });
    expect(counter.refreshes).toBe(0);
  });

  it('refreshes the Aries token after it expires (upstream 401), once', async () => {
    await fetch(`${sandbox.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expireTokens: true }),
    });
    const res = await callMcp(gateway.url, provider.saved!.access_token);
    expect(res.status).toBe(200);
    expect(res.body['upstreamStatus']).toBe(200);
    expect(counter.refreshes).toBe(1);
  });

  it('concurrent calls after expiry cause one Aries refresh', async () => {
    await fetch(`${sandbox.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expireTokens: true }),
    });
    const before = counter.refreshes;
    const results = await Promise.all(Array.from({ length: 12 }, () => callMcp(gateway.url, provider.saved!.access_token)));
    expect(results.map((r) => r.body['upstreamStatus'])).toEqual(Array(12).fill(200));
    expect(counter.refreshes - before).toBe(1);
  });

  it('the SDK refreshes the gateway tokens (rotation)', async () => {
    const old = provider.saved!;
    expect(await auth(provider, { serverUrl: `${gateway.url}/mcp` })).toBe('AUTHORIZED');
    expect(provider.saved!.access_token).not.toBe(old.access_token);
    expect(provider.saved!.refresh_token).not.toBe(old.refresh_token);
    expect((await callMcp(gateway.url, provider.saved!.access_token)).status).toBe(200);
  });

  it('revoke ends the grant', async () => {
    const res = await postForm(`${gateway.url}/revoke`, {
      token: provider.saved!.refresh_token!,
      token_type_hint: 'refresh_token',
      client_id: provider.clientInformation().client_id,
    });
    expect(res.status).toBe(200);
    const after = await callMcp(gateway.url, provider.saved!.access_token);
    expect(after.status).toBe(401);
  });
});

describe('lazy refresh before use', () => {
  it('an Aries token expiring within 60 s is refreshed before it is used', async () => {
    const sandbox = await startSandbox({ accessTokenTtlSeconds: 30 });
    const counter = { refreshes: 0 };
    const gateway = await startGateway({ sandboxUrl: sandbox.url, wrapAries: counting(counter) });
    try {
      const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] });
      const provider = new StaticClientProvider(clientId);
      await connectWithSdk(gateway, sandbox, provider);
      const res = await callMcp(gateway.url, provider.saved!.access_token);
      expect(res.body['upstreamStatus']).toBe(200);
      expect(counter.refreshes).toBe(1);
    } finally {
      await gateway.close();
      await sandbox.close();
    }
  });
});
