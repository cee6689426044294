/**
 * A `GrantResolver` for tests against the sandbox: it signs in to the
 * sandbox's JSON OAuth backend directly (authorization code + PKCE S256, no
 * browser), keeps the Aries tokens, refreshes them with the refresh token
 * (rotating), and maps an MCP bearer token chosen by the test to that grant.
 * It stands in for the OAuth proxy, which will implement the same interface.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GrantRevokedError, type CallerGrant, type GrantResolver } from '../runtime/mcp/grant.js';
import { readJsonObject } from './json-body.js';

export interface SandboxSignIn {
  readonly sandboxUrl: string;
  readonly clientId: string;
  /** Sent at the token endpoint when present (confidential client). */
  readonly clientSecret?: string;
  readonly email: string;
  readonly password: string;
  /** Must be registered on the client (the demo client has `http://127.0.0.1:8787/auth/callback`). */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly scope: string;
}

async function postJson(url: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await readJsonObject(response) };
}

function tokenResponse(body: Record<string, unknown>): TokenResponse {
  const { access_token, refresh_token, scope } = body;
  if (typeof access_token !== 'string' || typeof refresh_token !== 'string' || typeof scope !== 'string') {
    throw new Error(`Unexpected sandbox token response: ${JSON.stringify(Object.keys(body))}`);
  }
  return { access_token, refresh_token, scope };
}

export class SandboxGrant implements CallerGrant {
  refreshes = 0;
  private constructor(
    readonly grantId: string,
    readonly scopes: readonly string[],
    private access: string,
    private refresh: string,
    private readonly signIn: SandboxSignIn,
  ) {}

  /** Runs authorize -> confirm -> token against the sandbox. */
  static async create(signIn: SandboxSignIn): Promise<SandboxGrant> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = await postJson(`${signIn.sandboxUrl}/v1/oauth2/authorize`, {
      client_id: signIn.clientId,
      email: signIn.email,
      password: signIn.password,
      redirect_uri: signIn.redirectUri,
      response_type: 'code',
      scope: signIn.scopes.join(' '),
      state: randomBytes(8).toString('hex'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    if (authorize.status !== 200 || typeof authorize.body['next_step_auth_id'] !== 'string')
      throw new Error(`Sandbox sign-in failed: ${authorize.status} ${JSON.stringify(authorize.body)}`);
    const confirm = await postJson(`${signIn.sandboxUrl}/v1/oauth2/authorize/confirm`, { next_step_auth_id: authorize.body['next_step_auth_id'] });
    if (confirm.status !== 200 || typeof confirm.body['code'] !== 'string')
      throw new Error(`Sandbox consent failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
    const token = await postJson(`${signIn.sandboxUrl}/v1/oauth2/token`, {
      grant_type: 'authorization_code',
      code: confirm.body['code'],
      redirect_uri: signIn.redirectUri,
      client_id: signIn.clientId,
      code_verifier: verifier,
      ...(signIn.clientSecret === undefined ? {} : { client_secret: signIn.clientSecret }),
    });
    if (token.status !== 200) throw new Error(`Sandbox token exchange failed: ${token.status} ${JSON.stringify(token.body)}`);
    const tokens = tokenResponse(token.body);
    return new SandboxGrant(
      `sandbox-${randomBytes(6).toString('hex')}`,
      tokens.scope.split(' ').filter((scope) => scope !== ''),
      tokens.access_token,
      tokens.refresh_token,
      signIn,
    );
  }

  /** Set when the gateway revoked this grant (Aries refused a fresh token). */
  revoked = false;

  async accessToken(): Promise<string> {
    return this.access;
  }

  async refreshAccessToken(): Promise<string> {
    this.refreshes++;
    const token = await postJson(`${this.signIn.sandboxUrl}/v1/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: this.refresh,
      client_id: this.signIn.clientId,
      ...(this.signIn.clientSecret === undefined ? {} : { client_secret: this.signIn.clientSecret }),
    });
    if (token.status === 400 || token.status === 401) throw new GrantRevokedError(`Sandbox refused the refresh: ${String(token.body['error'])}`);
    if (token.status !== 200) throw new Error(`Sandbox refresh failed with HTTP ${token.status}`);
    const tokens = tokenResponse(token.body);
    this.access = tokens.access_token;
    this.refresh = tokens.refresh_token;
    return this.access;
  }

  async isStale(token: string): Promise<boolean> {
    return this.revoked || token !== this.access;
  }

  async revoke(): Promise<void> {
    this.revoked = true;
  }
}

/** Maps `Authorization: Bearer <mcp token>` to a signed-in sandbox grant. */
export class SandboxGrantResolver implements GrantResolver {
  private readonly grants = new Map<string, CallerGrant>();

  async signIn(mcpToken: string, signIn: SandboxSignIn): Promise<SandboxGrant> {
    const grant = await SandboxGrant.create(signIn);
    this.grants.set(mcpToken, grant);
    return grant;
  }

  /** Maps a token to any grant (e.g. one that claims more scopes than Aries granted, to provoke a 403). */
  add(mcpToken: string, grant: CallerGrant): this {
    this.grants.set(mcpToken, grant);
    return this;
  }

  async resolve(req: IncomingMessage): Promise<CallerGrant | undefined> {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') ? this.grants.get(header.slice(7)) : undefined;
  }
}
