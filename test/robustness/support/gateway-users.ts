/**
 * Sandbox users connected through the gateway's OAuth proxy, the way a
 * person connects Claude: `POST /admin/users` (own account), an Aries OAuth
 * client in Client Center (every tool scope; every third one confidential,
 * so client secrets are in play), then the gateway's /authorize -> Aries
 * sign-in and consent (its JSON backend) -> /auth/callback -> /token with
 * the client's own PKCE verifier. Every secret met on the way goes into the
 * ledger.
 */
import { randomBytes } from 'node:crypto';
import { authorizeThroughGateway, createAriesClient, exchangeCode, postForm, type ConnectionChoice } from '../../../testkit/harness.js';
import { ALL_TOOL_SCOPES } from './robust-gateway.js';
import type { SecretLedger } from './secret-ledger.js';
import { z } from 'zod';
import { readJsonAs } from '../../../testkit/json-body.js';

export interface GatewayUser {
  readonly email: string;
  readonly password: string;
  /** `TEST-ACCOUNT-00n`: the trading account id the tools take. */
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  accessToken: string;
  refreshToken: string;
}

export interface ConnectOptions {
  readonly sandboxUrl: string;
  /** The gateway's listening address. */
  readonly gatewayUrl: string;
  /** Its public URL (the callback registered at Aries). */
  readonly publicUrl: string;
  readonly ledger: SecretLedger;
  readonly confidential?: boolean;
  readonly label?: string;
  /** How the connection page is answered; default: allow everything (suites about other things). */
  readonly guardrails?: ConnectionChoice;
}

export async function connectUser(options: ConnectOptions): Promise<GatewayUser> {
  const { ledger } = options;
  const label = options.label ?? randomBytes(4).toString('hex');
  const email = `robust-${label}-${randomBytes(3).toString('hex')}@aries.test`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  ledger.remember('password', password);
  const enrolled = await fetch(`${options.sandboxUrl}/admin/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (enrolled.status !== 201) throw new Error(`admin/users: ${enrolled.status} ${await enrolled.text()}`);
  const { account_id: accountId } = await readJsonAs(enrolled, z.looseObject({ account_id: z.string() }));

  const confidential = options.confidential === true;
  const client = await createAriesClient(options.sandboxUrl, {
    redirect_uris: [`${options.publicUrl}/auth/callback`],
    scopes: [...ALL_TOOL_SCOPES],
    public: !confidential,
    name: `robust ${label}`,
  });
  const clientSecret = client.clientSecret ?? undefined;
  ledger.remember('client secret', clientSecret);

  const verifier = randomBytes(32).toString('base64url');
  ledger.remember('code verifier', verifier);
  const back = await authorizeThroughGateway(
    options.gatewayUrl,
    { clientId: client.clientId, verifier, state: `st-${label}`, scope: ALL_TOOL_SCOPES.join(' ') },
    { email, password },
    'api',
    options.guardrails,
  );
  const code = back.searchParams.get('code');
  if (code === null) throw new Error(`no code for ${email}: ${back.href}`);
  const tokens = await exchangeCode(options.gatewayUrl, code, client.clientId, { code_verifier: verifier, client_secret: clientSecret });
  if (tokens.status !== 200) throw new Error(`/token for ${email}: ${tokens.status} ${JSON.stringify(tokens.body)}`);
  const user: GatewayUser = {
    email,
    password,
    accountId,
    clientId: client.clientId,
    clientSecret,
    accessToken: String(tokens.body['access_token']),
    refreshToken: String(tokens.body['refresh_token']),
  };
  ledger.remember('gateway access token', user.accessToken);
  ledger.remember('gateway refresh token', user.refreshToken);
  return user;
}

/** Rotates the user's gateway refresh token (`POST /token`, refresh_token grant); returns the HTTP status. */
export async function refreshUser(gatewayUrl: string, user: GatewayUser, ledger: SecretLedger): Promise<number> {
  const res = await postForm(`${gatewayUrl}/token`, {
    grant_type: 'refresh_token',
    refresh_token: user.refreshToken,
    client_id: user.clientId,
    client_secret: user.clientSecret,
  });
  if (res.status === 200) {
    user.accessToken = String(res.body['access_token']);
    user.refreshToken = String(res.body['refresh_token']);
    ledger.remember('gateway access token', user.accessToken);
    ledger.remember('gateway refresh token', user.refreshToken);
  }
  return res.status;
}
