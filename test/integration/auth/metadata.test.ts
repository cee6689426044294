import type { Server } from 'node:http';
import express from 'express';
import { requireBearerAuth } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountOAuth, type MountedOAuth } from '../../../runtime/auth/mount-oauth.js';
import { loadOAuthConfig } from '../../../runtime/auth/oauth-config.js';
import { closeServer, TEST_KEY, TOOL_SCOPES } from '../../../testkit/harness.js';
import { boundPort } from '../../../build/free-port.js';
import { readJsonObject } from '../../../testkit/json-body.js';

const PUBLIC = 'https://mcp.aries.test';
let server: Server;
let base: string;
let oauth: MountedOAuth;

beforeAll(async () => {
  const app = express();
  const config = loadOAuthConfig({ GATEWAY_PUBLIC_URL: PUBLIC, GATEWAY_ENCRYPTION_KEY: TEST_KEY }, { port: 0 });
  oauth = mountOAuth(app, { config, scopes: TOOL_SCOPES });
  // The v2 SDK's web-standard bearer check, mounted the way an operator could reuse the gateway's verifier.
  const sdkBearer = requireBearerAuth({ verifier: oauth.tokenVerifier, resourceMetadataUrl: oauth.endpoints.resourceMetadataUrl });
  app.get('/sdk-protected', async (req, res) => {
    const verdict = await sdkBearer(new Request(`${PUBLIC}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } }));
    if (verdict instanceof Response) {
      verdict.headers.forEach((value, name) => res.setHeader(name, value));
      res.status(verdict.status).send(await verdict.text());
      return;
    }
    res.json({ ok: true, clientId: verdict.clientId });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${boundPort(server)}`;
});
afterAll(async () => {
  await oauth.close();
  await closeServer(server);
});

async function getJson(path: string) {
  const res = await fetch(base + path);
  return { status: res.status, headers: res.headers, body: await readJsonObject(res) };
}

describe('discovery metadata', () => {
  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])('RFC 9728 document at %s', async (path) => {
    const { status, headers, body } = await getJson(path);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toEqual({
      resource: 'https://mcp.aries.test/mcp',
      authorization_servers: ['https://mcp.aries.test'],
      scopes_supported: TOOL_SCOPES,
      bearer_methods_supported: ['header'],
      resource_name: 'Aries brokerage (MCP gateway)',
    });
  });

  it('RFC 8414 document: S256 only, iss parameter, no registration endpoint', async () => {
    const { status, headers, body } = await getJson('/.well-known/oauth-authorization-server');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      issuer: 'https://mcp.aries.test',
      authorization_endpoint: 'https://mcp.aries.test/authorize',
      token_endpoint: 'https://mcp.aries.test/token',
      revocation_endpoint: 'https://mcp.aries.test/revoke',
      scopes_supported: TOOL_SCOPES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
      revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(body).not.toHaveProperty('registration_endpoint');
    // Advertising Client ID Metadata Documents would make Claude use a client ID of its own, which Aries does not know.
    expect(body).not.toHaveProperty('client_id_metadata_document_supported');
  });

  it('answers CORS preflight for the metadata', async () => {
    const res = await fetch(`${base}/.well-known/oauth-authorization-server`, {
      method: 'OPTIONS',
      headers: { origin: 'https://inspector.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('no dynamic registration', () => {
  it('POST /register answers 400 invalid_client_metadata that tells the person what to do', async () => {
    const res = await fetch(`${base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback'] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      error: 'invalid_client_metadata',
      error_description:
        "This gateway does not register clients: Aries needs your own Client ID. In Aries Client Center, open API > Generate Key and set the redirect URI to https://mcp.aries.test/auth/callback. Then, in the connector's authentication settings, choose the option that lets you enter your own OAuth client ID (not automatic registration and not a client provided by the app) and paste the Client ID.",
    });
  });
});

describe('401 challenge', () => {
  it('names the resource metadata and the scopes (RFC 9728 §5.1); error only for a refused token (RFC 6750 §3.1)', () => {
    expect(oauth.grantResolver.challenge('missing_token')).toBe(
      `Bearer resource_metadata="https://mcp.aries.test/.well-known/oauth-protected-resource/mcp", scope="${TOOL_SCOPES.join(' ')}"`,
    );
    expect(oauth.grantResolver.challenge('invalid_token')).toBe(
      `Bearer error="invalid_token", error_description="The access token is invalid, expired or revoked; authorize again", resource_metadata="https://mcp.aries.test/.well-known/oauth-protected-resource/mcp", scope="${TOOL_SCOPES.join(' ')}"`,
    );
  });

  it("the SDK's requireBearerAuth with our verifier answers 401 (InvalidTokenError), not 500", async () => {
    const res = await fetch(`${base}/sdk-protected`, { headers: { authorization: 'Bearer agw_at_unknown' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid, expired or revoked' });
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata="https://mcp.aries.test/.well-known/oauth-protected-resource/mcp"');
  });
});
