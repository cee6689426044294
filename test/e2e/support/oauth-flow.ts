/**
 * The person's part of the OAuth flow, played with fetch (manual redirects)
 * through the real pages: the gateway's /authorize -> the sandbox's sign-in
 * and consent forms -> the gateway's /auth/callback (and its connection
 * page, for connections that can trade) -> the client's redirect
 * URI; and the v1 SDK client connected that way through its own OAuth
 * support. Plus the small calls the e2e suites share: sandbox faults,
 * /revoke, a raw tools/list.
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError as V1UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { answerConnectionPage, location, postForm, signInAtAries, visit, type ConnectionChoice } from '../../../testkit/harness.js';
import type { StaticClientProvider } from '../../support/sdk-provider.js';
import { readJsonObject } from '../../../testkit/json-body.js';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/**
 * Plays the browser from the client's authorization URL to the redirect back
 * to the client. Returns that redirect (the client's redirect URI with `code`,
 * `state` and `iss`, or with `error`).
 */
export async function followAuthorization(authorizationUrl: URL, credentials: Credentials, guardrails: ConnectionChoice = 'permissive'): Promise<URL> {
  const toAries = await visit(authorizationUrl.href);
  if (toAries.status !== 302) throw new Error(`gateway /authorize answered ${toAries.status}: ${await toAries.text()}`);
  const callback = await signInAtAries(location(toAries).href, credentials);
  let back = await visit(callback.href);
  // The connection page (connections that can trade): suites about other things allow everything.
  if (back.status === 200) back = await answerConnectionPage(back, callback.origin, guardrails);
  if (back.status !== 302 && back.status !== 303) throw new Error(`gateway /auth/callback answered ${back.status}: ${await back.text()}`);
  return location(back);
}

/** `POST /admin/faults` on the sandbox (e.g. `{ expireTokens: true }`). */
export async function sandboxFaults(sandboxUrl: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandboxUrl}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`admin/faults: ${res.status} ${await res.text()}`);
  return await readJsonObject(res);
}

/** RFC 7009 revocation at the gateway. */
export function revokeAtGateway(gatewayUrl: string, token: string, clientId: string) {
  return postForm(`${gatewayUrl}/revoke`, { token, client_id: clientId });
}

/** A bare POST /mcp `tools/list` with a bearer token, for status and challenge checks. */
export function rawToolsList(mcpUrl: string, accessToken: string): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

export interface V1Connection {
  readonly client: V1Client;
  /** Where the gateway sent the browser back to the client (code, state, iss). */
  readonly clientRedirect: URL;
  /** The authorization URL the SDK built. */
  readonly authorizationUrl: URL;
}

/**
 * Connects the v1 SDK client the way an interactive app does: the first
 * connect fails with `UnauthorizedError` after the SDK prepared the
 * authorization URL; the person signs in; `finishAuth(code)`; reconnect.
 */
export async function connectV1WithOAuth(mcpUrl: string, provider: StaticClientProvider, credentials: Credentials): Promise<V1Connection> {
  const first = new V1Client({ name: 'e2e-v1', version: '1.0.0' });
  const transport = new V1Transport(new URL(mcpUrl), { authProvider: provider });
  const failure = await first.connect(transport).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(failure instanceof V1UnauthorizedError)) throw new Error(`expected UnauthorizedError on the first connect, got ${String(failure)}`);
  await first.close();
  const authorizationUrl = provider.authorizationUrl;
  if (authorizationUrl === undefined) throw new Error('the SDK did not ask to open an authorization URL');
  const clientRedirect = await followAuthorization(authorizationUrl, credentials);
  const code = clientRedirect.searchParams.get('code');
  if (code === null) throw new Error(`no code in the redirect to the client: ${clientRedirect.href}`);
  await transport.finishAuth(code);
  const client = new V1Client({ name: 'e2e-v1', version: '1.0.0' });
  await client.connect(new V1Transport(new URL(mcpUrl), { authProvider: provider }));
  return { client, clientRedirect, authorizationUrl };
}
