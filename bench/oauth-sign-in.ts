/**
 * Gets a gateway access token the way an MCP client does, without a browser:
 * register an Aries OAuth client at the sandbox whose redirect URI is the
 * gateway's callback, then `/authorize` at the gateway -> sign-in and consent
 * through the sandbox's JSON backend -> `/auth/callback` at the gateway ->
 * `POST /token` with the PKCE verifier. A trading connection answers the
 * gateway's connection page allowing everything (the bench measures the
 * gateway, not the guardrails). The token is the gateway's own
 * opaque `agw_at_...`; the Aries token stays sealed inside the gateway.
 *
 * The flow helpers come from the OAuth test harness so the benchmark signs in
 * exactly as the end-to-end tests do.
 */
import { authorizeThroughGateway, CLIENT_REDIRECT, createAriesClient, VERIFIER } from '../testkit/harness.js';
import { isJsonObject } from '../runtime/json-object.js';

export interface SignInOptions {
  readonly gatewayUrl: string;
  readonly sandboxUrl: string;
  readonly email: string;
  readonly password: string;
  /** Scopes registered on the Aries client and requested. */
  readonly scopes: readonly string[];
}

export async function signInThroughGateway(options: SignInOptions): Promise<string> {
  const { gatewayUrl } = options;
  const { clientId } = await createAriesClient(options.sandboxUrl, {
    redirect_uris: [`${gatewayUrl}/auth/callback`],
    scopes: [...options.scopes],
    name: 'bench',
  });
  const back = await authorizeThroughGateway(
    gatewayUrl,
    { clientId, scope: options.scopes.join(' '), resource: `${gatewayUrl}/mcp` },
    options,
    'api',
    'permissive',
  );
  const code = back.searchParams.get('code');
  if (code === null) throw new Error('no code in the redirect to the client');
  const token = await fetch(`${gatewayUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLIENT_REDIRECT,
      client_id: clientId,
      code_verifier: VERIFIER,
      resource: `${gatewayUrl}/mcp`,
    }),
  });
  const body: unknown = await token.json();
  const accessToken = isJsonObject(body) ? body['access_token'] : undefined;
  if (token.status !== 200 || typeof accessToken !== 'string') throw new Error(`gateway /token answered ${token.status}`);
  return accessToken;
}
