/**
 * Client Center pages and the embedding contract: creating a client through
 * the HTML form shows the Client ID and the secret once, the secret works,
 * deactivation takes effect; `createSandbox` exposes the demo and listens on
 * an ephemeral port; admin routes answer loopback peers only.
 */
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../sandbox/admin/admin-router.js';
import { createSandbox } from '../../sandbox/app.js';
import { authorizeUrl, postToken, startSandbox, walkAuthorization, type RunningSandbox } from './sandbox-client.js';

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

const REDIRECT = 'https://mcp.example.com/auth/callback';

function postForm(url: string, body: URLSearchParams) {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

describe('Client Center', () => {
  it('creates a client, shows the secret once, and deactivates it', async () => {
    running = await startSandbox();
    const home = await fetch(`${running.url}/client-center`);
    expect(home.status).toBe(200);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const homeHtml = await home.text();
    expect(homeHtml).toContain('Aries MCP (demo)');
    expect(homeHtml).toContain('order:execution');

    const form = new URLSearchParams({ name: 'Claude MCP', redirect_uris: `${REDIRECT}\r\nhttp://localhost:3000/cb\r\n` });
    form.append('scopes', 'account:information');
    form.append('scopes', 'market:information');
    const created = await postForm(`${running.url}/client-center/clients`, form);
    expect(created.status).toBe(201);
    const page = await created.text();
    const values = [...page.matchAll(/<dd class="mono">([^<]*)<\/dd>/g)].map((m) => m[1] as string);
    const [clientId, clientSecret] = values;
    expect(clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(page).toContain('only once');

    const list = await (await fetch(`${running.url}/client-center`)).text();
    expect(list).toContain(clientId);
    expect(list).not.toContain(clientSecret);

    const { demo } = running.sandbox;
    const walk = await walkAuthorization(running.url, { clientId, redirectUri: REDIRECT, scope: 'account:information order:execution' }, demo);
    const token = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: clientSecret,
      code: walk.location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
    });
    expect(token.body.scope).toBe('account:information');

    const deactivated = await postForm(`${running.url}/client-center/clients/${clientId}/deactivate`, new URLSearchParams());
    expect(deactivated.status).toBe(303);
    const after = await (await fetch(authorizeUrl(running.url, { clientId, redirectUri: REDIRECT }))).text();
    expect(after).toContain('invalid_client');
    const used = await fetch(`${running.url}/v1/users/me/accounts`, { headers: { authorization: `Bearer ${String(token.body.access_token)}` } });
    expect(used.status).toBe(401);
  });

  it('shows the form again with an error when no scope is chosen', async () => {
    running = await startSandbox();
    const response = await postForm(`${running.url}/client-center/clients`, new URLSearchParams({ name: 'No scopes', redirect_uris: REDIRECT }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('choose at least one scope');
  });
});

describe('createSandbox', () => {
  it('exposes the demo user, account and client, and listens on an ephemeral loopback port', async () => {
    const sandbox = createSandbox({
      demoEmail: 'me@aries.test',
      demoPassword: 'pw',
      demoClientId: 'demo-client',
      demoClientSecret: 'demo-secret',
      tickIntervalMs: 0,
    });
    expect(sandbox.demo).toMatchObject({
      email: 'me@aries.test',
      password: 'pw',
      clientId: 'demo-client',
      clientSecret: 'demo-secret',
      accountId: 'TEST-ACCOUNT-001',
    });
    expect(sandbox.demo.redirectUris).toEqual(['http://127.0.0.1:8787/auth/callback', 'http://localhost:8787/auth/callback']);
    const server = await sandbox.listen(0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.port).toBeGreaterThan(0);
      const walk = await walkAuthorization(
        server.url,
        { clientId: 'demo-client', redirectUri: 'http://localhost:8787/auth/callback' },
        { email: 'me@aries.test', password: 'pw' },
      );
      expect(walk.location.searchParams.get('code')).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('admin routes answer loopback peers only', async () => {
    expect(
      (
        [
          ['127.0.0.1', true],
          ['::1', true],
          ['::ffff:127.0.0.1', true],
          ['10.0.0.5', false],
          ['::ffff:192.168.1.2', false],
          [undefined, false],
        ] satisfies [string | undefined, boolean][]
      ).map(([a]) => isLoopback(a)),
    ).toEqual([true, true, true, false, false, false]);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return;
    const sandbox = createSandbox({ tickIntervalMs: 0 });
    const server = await sandbox.listen(0, '0.0.0.0');
    try {
      const remote = await fetch(`http://${external.address}:${server.port}/admin/market`);
      expect(remote.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/admin/market`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
