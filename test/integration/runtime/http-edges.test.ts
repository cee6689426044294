/**
 * The HTTP rules around /mcp: methods, trailing slash, Origin, 401, body size,
 * malformed bodies, request ids, /healthz.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';

let upstream: FixtureUpstream;
let gateway: TestGateway;
const MAX_BODY = 4_096;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  const grants = new TestGrants().add('mcp-1', new TestGrant('g1', ALL_FIXTURE_SCOPES, 'token-1'));
  gateway = await startGateway({
    tools: fixtureTools,
    grants,
    env: { ARIES_API_BASE: upstream.url, MCP_ALLOWED_ORIGINS: 'https://claude.ai,http://localhost:6274', MAX_BODY_BYTES: String(MAX_BODY) },
  });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer mcp-1', 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
}

describe('methods and paths', () => {
  it.each(['GET', 'DELETE', 'PUT'])('%s /mcp is 405 with Allow: POST', async (method) => {
    const response = await fetch(gateway.mcpUrl, { method, headers: { authorization: 'Bearer mcp-1', accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });

  it('accepts /mcp/ like /mcp', async () => {
    const response = await post('/mcp/', JSON.stringify(initialize));
    expect(response.status).toBe(200);
    expect((await response.json()).result.serverInfo.name).toBe('aries-mcp-gateway');
  });

  it('GET /healthz is ok', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('unknown paths are a JSON 404', async () => {
    const response = await fetch(`${gateway.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('Origin', () => {
  it.each([
    ['absent', undefined, 200],
    ['configured', 'https://claude.ai', 200],
    ['configured loopback with port', 'http://localhost:6274', 200],
    ['unknown', 'https://evil.example', 403],
    ['configured host, other scheme', 'http://claude.ai', 403],
    ['null', 'null', 403],
  ])('%s Origin -> %i', async (_name, origin, status) => {
    const response = await post('/mcp', JSON.stringify(initialize), origin === undefined ? {} : { origin });
    expect(response.status).toBe(status);
    if (status === 403) {
      expect(await response.json()).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: `Forbidden: Origin ${JSON.stringify(origin)} is not allowed to use this MCP endpoint` },
        id: null,
      });
    }
  });
});

describe('authentication', () => {
  it.each([
    [
      'no Authorization header',
      // RFC 6750 §3.1: no credentials, no error code: only the challenge and a description.
      { headers: {}, challenge: 'Bearer', body: { error_description: 'Authorization required: connect this MCP server with your Aries account' } },
    ],
    [
      'an unknown token',
      {
        headers: { authorization: 'Bearer nope' },
        // RFC 6750 §3.1: a presented token that is refused gets error="invalid_token".
        challenge: 'Bearer error="invalid_token", error_description="The Aries authorization has expired or was revoked; sign in again"',
        body: {
          error: 'invalid_token',
          error_description: 'The access token is invalid, expired or revoked, or Aries no longer accepts this connection; authorize the connector again',
        },
      },
    ],
  ])('%s -> 401 with WWW-Authenticate', async (_name, { headers, challenge, body }) => {
    const response = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(initialize),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(body);
  });
});

describe('bodies', () => {
  it('a body over MAX_BODY_BYTES is 413', async () => {
    const big = JSON.stringify({ ...initialize, params: { ...initialize.params, padding: 'x'.repeat(MAX_BODY) } });
    const response = await post('/mcp', big);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: `Request body exceeds ${MAX_BODY} bytes` }, id: null });
  });

  it('a body just under the limit is served', async () => {
    const padded = JSON.stringify({ ...initialize, params: { ...initialize.params, clientInfo: { name: 'x'.repeat(MAX_BODY - 400), version: '1' } } });
    expect(padded.length).toBeLessThan(MAX_BODY);
    expect((await post('/mcp', padded)).status).toBe(200);
  });

  it('malformed JSON is 400 with a JSON-RPC parse error', async () => {
    const response = await post('/mcp', '{"jsonrpc":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32700 } });
  });

  it('a non-JSON content type is 415', async () => {
    const response = await post('/mcp', JSON.stringify(initialize), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and logs it', async () => {
    const response = await post('/mcp', JSON.stringify(initialize), { 'x-request-id': 'req-abc.123' });
    expect(response.headers.get('x-request-id')).toBe('req-abc.123');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(
      gateway.logs.entries.some((entry) => entry['requestId'] === 'req-abc.123' && entry['msg'] === 'mcp request' && entry['mcpMethod'] === 'initialize'),
    ).toBe(true);
  });

  it('replaces an unsafe X-Request-Id with a random one', async () => {
    const response = await post('/mcp', JSON.stringify(initialize), { 'x-request-id': 'bad id\twith "quotes"' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
