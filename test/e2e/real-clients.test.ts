/**
 * What real MCP clients send, against the real app on the sandbox, with raw
 * HTTP (the SDK clients never send these requests):
 * - Claude's two header/body protocol disagreements (a 2026-07-28 header
 *   without the `_meta` envelope; a 2025 header, or none, with a complete
 *   2026-07-28 envelope) are served; genuine mismatches keep their errors;
 * - GET/HEAD/DELETE probes get the OAuth challenge without a token and 405
 *   with one; OPTIONS answers CORS preflights for configured origins only;
 * - `Accept: *\/*`, `application/json` alone, or none get JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeThroughGateway,
  createAriesClient,
  exchangeCode,
  location,
  startSandbox,
  visit,
  authorizeUrl,
  type RunningSandbox,
} from '../../testkit/harness.js';
import { connectUser, type GatewayUser } from '../robustness/support/gateway-users.js';
import { SecretLedger } from '../robustness/support/secret-ledger.js';
import { refreshUser } from '../robustness/support/gateway-users.js';
import { sandboxFaults } from './support/oauth-flow.js';
import { ALL_TOOL_SCOPES, startRealGateway, toolsAllowedBy, type RealGateway } from './support/real-gateway.js';
import { z } from 'zod';
import { parseJsonObject, readJsonAs, readJsonObject, toolCallAnswer, toolsListAnswer } from '../../testkit/json-body.js';

const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'claude-ai', version: '0.1.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const ALLOWED_ORIGIN = 'https://inspector.example';

let sandbox: RunningSandbox;
let gateway: RealGateway;
let user: GatewayUser;

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startRealGateway({ sandboxUrl: sandbox.url, env: { LOG_LEVEL: 'debug', MCP_ALLOWED_ORIGINS: ALLOWED_ORIGIN } });
  user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger: new SecretLedger() });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown> | undefined;
}

async function post(body: unknown, headers: Record<string, string | undefined>): Promise<Answer> {
  const sent: Record<string, string> = { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  if (!('accept' in headers)) sent['accept'] = 'application/json, text/event-stream';
  const res = await fetch(gateway.mcpUrl, { method: 'POST', headers: sent, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : parseJsonObject(text) };
}

const quoteCall = { name: 'get_quote', arguments: { symbol: 'MSFT' } };
const QUOTE = { structuredContent: { results: expect.objectContaining({ ticker: 'MSFT' }) } };

function modernRequest(method: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  return { jsonrpc: '2.0', id: 7, method, params: { ...params, _meta: ENVELOPE } };
}

describe('Claude: legacy protocol header (or none) with a complete 2026-07-28 envelope', () => {
  it.each([
    ['2025-11-25 header', '2025-11-25'],
    ['2025-06-18 header', '2025-06-18'],
    ['no version header', undefined],
  ])('%s: server/discover, tools/list and tools/call are served as 2026-07-28', async (_name, header) => {
    const discover = await post(modernRequest('server/discover'), { 'mcp-protocol-version': header });
    expect(discover.status).toBe(200);
    expect(discover.json?.['result']).toMatchObject({ supportedVersions: expect.arrayContaining([MODERN]) });

    const list = await post(modernRequest('tools/list'), { 'mcp-protocol-version': header });
    expect(list.status).toBe(200);
    expect(list.json?.['result']).toMatchObject({ cacheScope: 'private' });

    const call = await post(modernRequest('tools/call', quoteCall), { 'mcp-protocol-version': header });
    expect(call.status).toBe(200);
    expect(call.json?.['result']).toMatchObject(QUOTE);
    expect(call.json?.['result']).not.toHaveProperty('isError');
  });

  it('logs each repair at debug level with the client name', async () => {
    gateway.logs.clear();
    await post(modernRequest('tools/list'), { 'mcp-protocol-version': '2025-11-25' });
    const repairs = gateway.logs.entries.filter((entry) => entry['msg'] === 'mcp: protocol header repaired');
    expect(repairs).toEqual([
      expect.objectContaining({ level: 20, clientName: 'claude-ai', headerVersion: '2025-11-25', servedAs: MODERN, filledHeaders: ['mcp-method'] }),
    ]);
  });

  it.each([
    ['an Mcp-Method header naming another method', { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call' }, modernRequest('tools/list'), -32020],
    [
      'an Mcp-Name header naming another tool',
      { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call', 'mcp-name': 'get_positions' },
      modernRequest('tools/call', quoteCall),
      -32020,
    ],
    ['a header naming a version nobody serves', { 'mcp-protocol-version': '2099-01-01' }, modernRequest('tools/list'), undefined],
    [
      'an envelope naming a version nobody serves',
      { 'mcp-protocol-version': '2025-11-25' },
      { ...modernRequest('tools/list'), params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } },
      undefined,
    ],
    [
      'an incomplete envelope (no clientInfo)',
      { 'mcp-protocol-version': '2025-11-25' },
      { ...modernRequest('tools/list'), params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN } } },
      undefined,
    ],
  ])('%s keeps its spec error', async (_name, headers, body, code) => {
    const answer = await post(body, headers);
    expect(answer.status).toBe(400);
    const error = z.looseObject({ code: z.unknown() }).optional().parse(answer.json?.['error']);
    expect(error).toBeDefined();
    if (code !== undefined) expect(error?.code).toBe(code);
  });
});

describe('Claude: 2026-07-28 header without the envelope (after a legacy handshake)', () => {
  it('tools/call is served as legacy', async () => {
    const call = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: quoteCall }, { 'mcp-protocol-version': MODERN });
    expect(call.status).toBe(200);
    expect(call.json?.['result']).toMatchObject(QUOTE);
  });
});

describe('probes with other HTTP methods', () => {
  it.each(['GET', 'HEAD', 'DELETE'])('%s /mcp without a token: 401 with the same challenge as POST', async (method) => {
    const probe = await fetch(gateway.mcpUrl, { method, headers: { accept: 'text/event-stream' } });
    const viaPost = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(probe.status).toBe(401);
    expect(viaPost.status).toBe(401);
    const challenge = probe.headers.get('www-authenticate');
    expect(challenge).toBe(viaPost.headers.get('www-authenticate'));
    expect(challenge).toContain(`resource_metadata="${gateway.publicUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="');
  });

  it.each(['GET', 'HEAD', 'DELETE'])('%s /mcp with a valid token: 405 with Allow: POST', async (method) => {
    const probe = await fetch(gateway.mcpUrl, { method, headers: { authorization: `Bearer ${user.accessToken}`, accept: 'text/event-stream' } });
    expect(probe.status).toBe(405);
    expect(probe.headers.get('allow')).toBe('POST');
  });

  it('OPTIONS from a configured origin is a CORS preflight naming the MCP headers', async () => {
    const preflight = await fetch(gateway.mcpUrl, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version, mcp-method, mcp-name',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')?.split(/, */)).toEqual(expect.arrayContaining(['POST', 'GET', 'DELETE']));
    const allowedHeaders = preflight.headers.get('access-control-allow-headers')?.toLowerCase().split(/, */) ?? [];
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'mcp-protocol-version', 'mcp-method', 'mcp-name']));
    expect(preflight.headers.get('vary')?.toLowerCase()).toContain('origin');
  });

  it('a browser client from a configured origin can read the answer and the challenge', async () => {
    const answer = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(answer.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('www-authenticate');
  });

  it('OPTIONS from any other origin gets no CORS grant', async () => {
    const preflight = await fetch(gateway.mcpUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });
});

describe('Accept is read liberally', () => {
  it.each([
    ['*/*', '*/*'],
    ['application/json alone', 'application/json'],
    ['no Accept header', undefined],
  ])('%s: tools/list answers JSON', async (_name, accept) => {
    const answer = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { accept, 'mcp-protocol-version': '2025-11-25' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(z.looseObject({ tools: z.array(z.unknown()) }).parse(answer.json?.['result']).tools.length).toBeGreaterThan(0);
  });

  it.each([
    ['*/*', '*/*'],
    ['no Accept header', undefined],
  ])('%s: a 2026-07-28 tools/call answers JSON', async (_name, accept) => {
    const answer = await post(modernRequest('tools/call', quoteCall), {
      accept,
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'get_quote',
    });
    expect(answer.status).toBe(200);
    expect(answer.json?.['result']).toMatchObject(QUOTE);
  });
});

describe('security review, item 8: /mcp answers that carry account data are never cached', () => {
  it('a tools/call answer says Cache-Control: no-store', async () => {
    const call = await post(
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'list_accounts', arguments: {} } },
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(call.status).toBe(200);
    expect(JSON.stringify(call.json)).toContain(user.accountId);
    expect(call.headers.get('cache-control')).toBe('no-store');
  });
});

describe('only Aries scopes reach Aries', () => {
  const CLIENT_SCOPES = 'account:information market:information claudeai offline_access openid profile';

  it('scopes the client adds (claudeai, offline_access, openid, profile) are dropped before the Aries sign-in page', async () => {
    const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`], scopes: [...ALL_TOOL_SCOPES] });
    const toAries = await visit(authorizeUrl(gateway.url, { clientId, scope: CLIENT_SCOPES }));
    expect(toAries.status).toBe(302);
    const ariesUrl = location(toAries);
    expect(ariesUrl.searchParams.get('scope')).toBe('account:information market:information');
    const page = await visit(ariesUrl.href);
    expect(page.status, 'the sandbox shows its sign-in page instead of refusing an unknown scope').toBe(200);
    expect(await page.text()).toContain('password');
  });

  it('the grant records what was requested, forwarded and granted, and lists the tools of the granted scopes', async () => {
    const { clientId } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      scopes: ['account:information', 'position:information'],
    });
    gateway.logs.clear();
    const back = await authorizeThroughGateway(gateway.url, { clientId, scope: CLIENT_SCOPES }, sandbox.sandbox.demo, 'api');
    const tokens = await exchangeCode(gateway.url, back.searchParams.get('code')!, clientId);
    expect(tokens.status).toBe(200);
    expect(tokens.body['scope']).toBe('account:information');
    const logged = gateway.logs.entries.find((entry) => entry['msg'] === 'token: scopes requested, forwarded and granted');
    expect(logged).toMatchObject({
      level: 20,
      requestedScopes: ['account:information', 'market:information', 'claudeai', 'offline_access', 'openid', 'profile'],
      forwardedScopes: ['account:information', 'market:information'],
      grantedScopes: ['account:information'],
      scopesAssumed: false,
    });
    const list = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${String(tokens.body['access_token'])}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    const names = (await readJsonAs(list, toolsListAnswer)).result.tools.map((tool) => tool.name);
    expect(names).toEqual(toolsAllowedBy(['account:information']));
  });

  it('a request naming no Aries scope at all asks Aries for the scopes the tools use', async () => {
    const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`], scopes: [...ALL_TOOL_SCOPES] });
    const toAries = await visit(authorizeUrl(gateway.url, { clientId, scope: 'openid offline_access claudeai' }));
    expect(location(toAries).searchParams.get('scope')).toBe(ALL_TOOL_SCOPES.join(' '));
  });
});

describe('a grant that Aries no longer accepts ends cleanly, once', () => {
  async function listAccounts(accessToken: string): Promise<Answer> {
    const res = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_accounts', arguments: {} } }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === '' ? undefined : parseJsonObject(text) };
  }

  it("the client deactivated in Client Center mid-session: the tool call answers 401, and the client's refresh gets invalid_grant", async () => {
    const ledger = new SecretLedger();
    const victim = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'deactivated' });
    expect((await listAccounts(victim.accessToken)).status).toBe(200);
    await fetch(`${sandbox.url}/client-center/clients/${encodeURIComponent(victim.clientId)}/deactivate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: sandbox.url },
    });
    await sandboxFaults(sandbox.url, { expireTokens: true });
    const refused = await listAccounts(victim.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await refreshUser(gateway.url, victim, ledger)).toBe(400);
  });

  it("Aries refusing a freshly renewed token revokes the grant: one 401, then invalid_grant at the client's refresh (no refresh loop)", async () => {
    const ledger = new SecretLedger();
    const victim = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'refused' });
    await sandboxFaults(sandbox.url, { status: 401, count: 2, pathPrefix: '/v1/users' });
    try {
      const refused = await listAccounts(victim.accessToken);
      expect(refused.status).toBe(401);
    } finally {
      await fetch(`${sandbox.url}/admin/faults`, { method: 'DELETE' });
    }
    const refresh = await fetch(`${gateway.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: victim.refreshToken, client_id: victim.clientId }),
    });
    expect(refresh.status).toBe(400);
    expect((await readJsonObject(refresh))['error']).toBe('invalid_grant');
    expect((await listAccounts(victim.accessToken)).status).toBe(401);
  });
});

describe("results fit the client's limit (RESULT_BUDGET_TOKENS)", () => {
  let small: RealGateway;
  let reader: GatewayUser;
  beforeAll(async () => {
    small = await startRealGateway({ sandboxUrl: sandbox.url, env: { RESULT_BUDGET_TOKENS: '1000' } });
    reader = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: small.url, publicUrl: small.publicUrl, ledger: new SecretLedger(), label: 'budget' });
  });
  afterAll(() => small?.close());

  it('a result above the token budget is cut to fit, with the marker saying how to narrow the request', async () => {
    const res = await fetch(small.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${reader.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_price_bars', arguments: { symbol: 'MSFT', timespan: 'day', from: '2024-01-01', to: '2025-12-31', limit: 5000 } },
      }),
    });
    const body = await readJsonAs(res, toolCallAnswer);
    expect(body.result.isError).toBeUndefined();
    const text = body.result.content[0]!.text;
    expect(Buffer.byteLength(text) / 4, 'estimated tokens of the answer').toBeLessThanOrEqual(1000);
    const marker = z.looseObject({ _truncated: z.looseObject({ omittedItems: z.number(), reason: z.string() }).optional() }).parse(JSON.parse(text))._truncated;
    expect(marker?.omittedItems).toBeGreaterThan(0);
    expect(marker?.reason).toMatch(/^Result exceeded about 1000 tokens; narrow the request \(use limit\/page\/from\/to or a more specific symbol\)\./);
  });
});
