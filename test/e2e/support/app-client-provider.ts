/**
 * The OAuth provider of the e2e MCP clients; the v1 and v2 SDKs accept the
 * same shape.
 */
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { StaticClientProvider } from '../../support/sdk-provider.js';

/**
 * The static-Client-ID provider plus what an interactive app also does:
 * it keeps the discovery state across the redirect (the v2 SDK checks the
 * callback against it) and forgets tokens the authorization server declared
 * dead (`invalid_grant`), so the SDK starts a new sign-in instead of retrying
 * a dead refresh token.
 */
export class AppClientProvider extends StaticClientProvider {
  readonly invalidated: string[] = [];
  private discovery: OAuthDiscoveryState | undefined;
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }
  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    this.invalidated.push(scope);
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }
}
