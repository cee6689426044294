/**
 * Every URL the OAuth proxy publishes, derived from the one public origin
 * (GATEWAY_PUBLIC_URL), so metadata, redirects, `iss` and token audiences
 * cannot drift apart.
 */

export interface GatewayEndpoints {
  /** RFC 8414 issuer and RFC 9207 `iss`: the public origin, no trailing slash. */
  readonly issuer: string;
  /** The protected resource (RFC 9728 `resource`, RFC 8707 audience of every gateway token). */
  readonly mcpUrl: string;
  /** The redirect URI registered at Aries (Client Center). */
  readonly callbackUrl: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string;
  readonly registrationEndpoint: string;
  /** RFC 9728 §3.1: path-specific metadata URL for `<issuer>/mcp`. */
  readonly resourceMetadataUrl: string;
}

export function gatewayEndpoints(publicUrl: string): GatewayEndpoints {
  const issuer = new URL(publicUrl).origin;
  return {
    issuer,
    mcpUrl: `${issuer}/mcp`,
    callbackUrl: `${issuer}/auth/callback`,
    authorizationEndpoint: `${issuer}/authorize`,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/revoke`,
    registrationEndpoint: `${issuer}/register`,
    resourceMetadataUrl: `${issuer}/.well-known/oauth-protected-resource/mcp`,
  };
}

/** RFC 8707 §2: the resource indicator names our MCP endpoint (one trailing slash tolerated, as `/mcp/` is served too). */
export function isOurResource(resource: string, endpoints: GatewayEndpoints): boolean {
  return resource === endpoints.mcpUrl || resource === `${endpoints.mcpUrl}/`;
}
