/**
 * An `OAuthClientProvider` for the v1 SDK client with a static client id
 * (the user's Aries Client ID; no registration), which records the
 * authorization URL instead of opening a browser, and a wrapper that counts
 * the gateway's Aries refreshes. Reusable by the full `/mcp` end-to-end test
 * (pass it as `authProvider` to the SDK's Streamable HTTP transport).
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AriesOAuthClient } from '../../runtime/upstream/aries-oauth.js';
import { CLIENT_REDIRECT } from '../../testkit/harness.js';

export class StaticClientProvider implements OAuthClientProvider {
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  constructor(private readonly clientId: string) {}
  get redirectUrl(): string {
    return CLIENT_REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      redirect_uris: [CLIENT_REDIRECT],
      client_name: 'SDK e2e',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }
  state(): string {
    return 'sdk-state-42';
  }
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.clientId };
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

/** Counts Aries refreshes made by the gateway. */
export function counting(counter: { refreshes: number }) {
  return (real: AriesOAuthClient): AriesOAuthClient => ({
    authorizationUrl: (params) => real.authorizationUrl(params),
    exchangeCode: (credentials, params) => real.exchangeCode(credentials, params),
    refresh: (credentials, refreshToken) => {
      counter.refreshes += 1;
      return real.refresh(credentials, refreshToken);
    },
  });
}
