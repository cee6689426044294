/**
 * The OAuth scopes the spec defines: every scope named in the `flows` of an
 * `oauth2` security scheme (OpenAPI 3.x Security Scheme / OAuth Flow
 * objects), sorted and deduplicated.
 *
 * The runtime forwards only these scopes to the upstream authorization
 * server: MCP clients add scopes of their own (`openid`, `offline_access`,
 * `claudeai`) that an upstream which defines its scopes strictly would refuse.
 * A spec without an oauth2 scheme defines none.
 */
import type { OpenApiDocument } from '../load/load-spec.js';

export function definedOAuthScopes(doc: OpenApiDocument): string[] {
  const schemes = objectAt(objectAt(doc, 'components'), 'securitySchemes');
  const scopes = new Set<string>();
  for (const scheme of Object.values(schemes)) {
    if (!isObject(scheme) || scheme['type'] !== 'oauth2') continue;
    for (const flow of Object.values(objectAt(scheme, 'flows'))) {
      for (const scope of Object.keys(objectAt(flow, 'scopes'))) scopes.add(scope);
    }
  }
  return [...scopes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
