/**
 * Discovery documents:
 * - RFC 9728 protected-resource metadata at `/.well-known/oauth-protected-resource`
 *   and `/.well-known/oauth-protected-resource/mcp` (resource `<public url>/mcp`);
 * - RFC 8414 authorization-server metadata at `/.well-known/oauth-authorization-server`.
 * Deliberately absent: `registration_endpoint` (no dynamic registration: the
 * client_id is the user's Aries Client ID; MCP authorization falls back to a
 * pre-registered client id).
 * Answered with CORS for browser-based MCP clients, and never cached.
 */
import { Router, type Request, type Response } from 'express';
import { allowCors } from './cors.js';
import type { GatewayEndpoints } from './endpoints.js';

export const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'] as const;

export function authorizationServerMetadata(endpoints: GatewayEndpoints, scopes: readonly string[]): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    revocation_endpoint: endpoints.revocationEndpoint,
    scopes_supported: [...scopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    // OAuth 2.1 §4.1.1 / RFC 7636: S256 only, `plain` is refused.
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    // RFC 9207 §3: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
  };
}

export function protectedResourceMetadata(endpoints: GatewayEndpoints, scopes: readonly string[]): Record<string, unknown> {
  return {
    resource: endpoints.mcpUrl,
    authorization_servers: [endpoints.issuer],
    scopes_supported: [...scopes],
    bearer_methods_supported: ['header'],
    resource_name: 'Aries brokerage (MCP gateway)',
  };
}

export function createMetadataRouter(endpoints: GatewayEndpoints, scopes: readonly string[]): Router {
  const router = Router();
  const serve = (document: Record<string, unknown>) => {
    const body = JSON.stringify(document);
    return (_req: Request, res: Response) => {
      res.set({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).send(body);
    };
  };
  const resource = serve(protectedResourceMetadata(endpoints, scopes));
  router.use(['/.well-known/oauth-protected-resource', '/.well-known/oauth-authorization-server'], allowCors(['GET']));
  router.get(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'], resource);
  router.get('/.well-known/oauth-authorization-server', serve(authorizationServerMetadata(endpoints, scopes)));
  return router;
}
