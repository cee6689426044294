/**
 * Hostile requests to `/mcp` below the tool level: malformed JSON-RPC
 * (garbage, wrong or missing `jsonrpc`, notifications, huge and odd ids,
 * nested params), batch abuse (1000 requests, empty batches, garbage
 * members), oversized bodies, wrong content types and Accept headers, hostile
 * Origin and Host headers, duplicated and mismatched `Mcp-Method`/`Mcp-Name`
 * headers, odd HTTP methods and bearer tokens, and a property over random
 * JSON bodies. Each answer is a 4xx/2xx JSON-RPC answer as listed (never a
 * 5xx), a tool call hidden in a notification never reaches Aries, and the
 * gateway keeps serving; no error-level log line and no secret in any line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { checkProperty } from './support/check-property.js';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { callTool, MCP_HEADERS, postMcp } from './support/mcp-wire.js';
import { rawHttp } from './support/raw-http.js';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'hostile', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const quote = (id: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_quote', arguments: { symbol: 'AAPL' } } });
const modernQuote = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_quote', arguments: { symbol: 'AAPL' }, _meta: MODERN_META } };
const modernHeaders = (method: string, name: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, 'mcp-name': name });

interface Want {
  readonly status: number;
  /** JSON-RPC error code, when the answer is an error. */
  readonly code?: number;
  /** How many upstream requests the answer may cause. */
  readonly upstream?: number;
}

describe('hostile JSON-RPC and HTTP at /mcp', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  let proxy: RecordingProxy;
  let gateway: RobustGateway;
  let user: GatewayUser;

  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await startRecordingProxy(sandbox.url);
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, apiBase: proxy.url, ledger });
    user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'rpc' });
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await sandbox?.close();
  });

  const bearer = () => ({ authorization: `Bearer ${user.accessToken}` });
  const errorCode = (json: unknown): number | undefined => {
    const body = Array.isArray(json) ? json[0] : json;
    const error = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
    return typeof error === 'object' && error !== null ? Number(Reflect.get(error, 'code')) : undefined;
  };

  const cases: [string, { given: () => { body: string | object; headers?: Record<string, string> }; want: Want }][] = [
    ['garbage body', { given: () => ({ body: '}{ not json' }), want: { status: 400, code: -32700 } }],
    ['a JSON scalar', { given: () => ({ body: '42' }), want: { status: 400, code: -32700 } }],
    ['jsonrpc "1.0"', { given: () => ({ body: { ...quote(1), jsonrpc: '1.0' } }), want: { status: 400, code: -32600 } }],
    ['no jsonrpc member', { given: () => ({ body: { id: 1, method: 'tools/list' } }), want: { status: 400, code: -32600 } }],
    [
      'a place_order hidden in a notification (no id)',
      {
        given: () => ({
          body: {
            jsonrpc: '2.0',
            method: 'tools/call',
            params: {
              name: 'place_order',
              arguments: { account_id: user.accountId, symbol: 'MSFT', side: 'BUY', type: 'MARKET', qty: '1', timeInForce: 'DAY' },
            },
          },
        }),
        want: { status: 202, upstream: 0 },
      },
    ],
    ['id 1e308', { given: () => ({ body: quote(1e308) }), want: { status: 400, code: -32600 } }],
    ['id 1.5', { given: () => ({ body: quote(1.5) }), want: { status: 400, code: -32600 } }],
    ['id null', { given: () => ({ body: quote(null) }), want: { status: 400, code: -32600 } }],
    ['id an object', { given: () => ({ body: quote({ $gt: '' }) }), want: { status: 400, code: -32600 } }],
    ['id a 100 000-character string', { given: () => ({ body: quote('i'.repeat(100_000)) }), want: { status: 200, upstream: 1 } }],
    [
      'params nested 40 levels in tools/list',
      {
        given: () => ({ body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) } }),
        want: { status: 200 },
      },
    ],
    [
      'params an array',
      { given: () => ({ body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: ['get_quote'] } }), want: { status: 400, code: -32600 } },
    ],
    ['unknown method', { given: () => ({ body: { jsonrpc: '2.0', id: 1, method: 'admin/shutdown' } }), want: { status: 200, code: -32601 } }],
    ['method "__proto__"', { given: () => ({ body: { jsonrpc: '2.0', id: 1, method: '__proto__' } }), want: { status: 200, code: -32601 } }],
    ['empty batch', { given: () => ({ body: [] }), want: { status: 400, code: -32600 } }],
    [
      'batch of 1000 tools/call',
      { given: () => ({ body: Array.from({ length: 1000 }, (_, i) => quote(i + 1)) }), want: { status: 400, code: -32600, upstream: 0 } },
    ],
    [
      'batch of 1000 tools/list',
      {
        given: () => ({ body: Array.from({ length: 1000 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/list' })) }),
        want: { status: 400, code: -32600 },
      },
    ],
    ['batch of garbage members', { given: () => ({ body: [1, 'x', null] }), want: { status: 400, code: -32600 } }],
    // MCP 2025-06-18 removed batching: refused before anything runs; 2025-03-26 keeps it, capped.
    ['batch of 3 calls on 2025-06-18', { given: () => ({ body: [quote(1), quote(2), quote(3)] }), want: { status: 400, code: -32600, upstream: 0 } }],
    [
      'batch of 3 calls on 2025-03-26',
      { given: () => ({ body: [quote(1), quote(2), quote(3)], headers: { 'mcp-protocol-version': '2025-03-26' } }), want: { status: 200, upstream: 3 } },
    ],
    [
      'batch of 11 calls on 2025-03-26',
      {
        given: () => ({ body: Array.from({ length: 11 }, (_, i) => quote(i + 1)), headers: { 'mcp-protocol-version': '2025-03-26' } }),
        want: { status: 400, code: -32600, upstream: 0 },
      },
    ],
    ['body over MAX_BODY_BYTES', { given: () => ({ body: { ...quote(1), pad: 'x'.repeat(1_100_000) } }), want: { status: 413, code: -32000 } }],
    ['Content-Type text/plain', { given: () => ({ body: JSON.stringify(quote(1)), headers: { 'content-type': 'text/plain' } }), want: { status: 415 } }],
    [
      'Content-Type form',
      { given: () => ({ body: 'jsonrpc=2.0&method=tools/list', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), want: { status: 415 } },
    ],
    ['no Content-Type', { given: () => ({ body: JSON.stringify(quote(1)), headers: { 'content-type': '' } }), want: { status: 415 } }],
    [
      'JSON in charset latin1',
      { given: () => ({ body: JSON.stringify(quote(1)), headers: { 'content-type': 'application/json; charset=latin1' } }), want: { status: 415 } },
    ],
    ['Accept text/html', { given: () => ({ body: quote(1), headers: { accept: 'text/html' } }), want: { status: 406, code: -32000, upstream: 0 } }],
    [
      'Origin of another site',
      { given: () => ({ body: quote(1), headers: { origin: 'https://evil.example' } }), want: { status: 403, code: -32000, upstream: 0 } },
    ],
    ['Origin "null" (sandboxed frame)', { given: () => ({ body: quote(1), headers: { origin: 'null' } }), want: { status: 403, code: -32000 } }],
    [
      'Origin 10 000 characters',
      { given: () => ({ body: quote(1), headers: { origin: `https://${'a'.repeat(10_000)}.example` } }), want: { status: 403, code: -32000 } },
    ],
    [
      'MCP-Protocol-Version 2099-01-01',
      { given: () => ({ body: quote(1), headers: { 'mcp-protocol-version': '2099-01-01' } }), want: { status: 400, upstream: 0 } },
    ],
    [
      'modern call whose Mcp-Name disagrees with the body',
      { given: () => ({ body: modernQuote, headers: modernHeaders('tools/call', 'place_order') }), want: { status: 400, code: -32020, upstream: 0 } },
    ],
    [
      'modern call whose Mcp-Method disagrees with the body',
      { given: () => ({ body: modernQuote, headers: modernHeaders('tools/list', 'get_quote') }), want: { status: 400, code: -32020, upstream: 0 } },
    ],
    [
      'modern call with matching headers',
      { given: () => ({ body: modernQuote, headers: modernHeaders('tools/call', 'get_quote') }), want: { status: 200, upstream: 1 } },
    ],
    [
      'modern call inside a batch',
      { given: () => ({ body: [modernQuote], headers: modernHeaders('tools/call', 'get_quote') }), want: { status: 400, code: -32600, upstream: 0 } },
    ],
  ];

  it.each(cases)('%s', async (_name, { given, want }) => {
    const { body, headers } = given();
    const before = proxy.requests.length;
    const answer = await postMcp(gateway.mcpUrl, body, { ...bearer(), ...headers });
    expect({ status: answer.status, code: want.code === undefined ? undefined : errorCode(answer.json) }, answer.text.slice(0, 300)).toEqual({
      status: want.status,
      code: want.code,
    });
    if (want.status !== 202) expect(answer.json, 'a JSON body').toBeDefined();
    if (want.upstream !== undefined) expect(proxy.requests.length - before).toBe(want.upstream);
  });

  it('a loopback Origin with a forged Host (DNS rebinding) is refused; a forged Host without Origin is a server-side client', async () => {
    const headers = (extra: [string, string][]) =>
      [
        ['content-type', 'application/json'],
        ['accept', MCP_HEADERS.accept],
        ['mcp-protocol-version', '2025-06-18'],
        ['authorization', `Bearer ${user.accessToken}`],
        ...extra,
      ] as const;
    const body = JSON.stringify(quote(1));
    const port = new URL(gateway.url).port;
    expect(
      (
        await rawHttp(gateway.mcpUrl, {
          headers: headers([
            ['host', 'rebind.evil.example'],
            ['origin', `http://localhost:${port}`],
          ]),
          body,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await rawHttp(gateway.mcpUrl, {
          headers: headers([
            ['host', `localhost:${port}`],
            ['origin', 'http://localhost:6274'],
          ]),
          body,
        })
      ).status,
    ).toBe(200);
    expect((await rawHttp(gateway.mcpUrl, { headers: headers([['host', 'evil.example']]), body })).status).toBe(200);
    // No Host at all: Node refuses the request itself.
    expect((await rawHttp(gateway.mcpUrl, { headers: headers([]), body })).status).toBe(400);
  });

  it('duplicated Mcp-Method / Mcp-Name headers on a modern call are a 400, never a 5xx', async () => {
    const base: [string, string][] = [
      ['host', new URL(gateway.url).host],
      ['content-type', 'application/json'],
      ['accept', MCP_HEADERS.accept],
      ['mcp-protocol-version', '2026-07-28'],
      ['authorization', `Bearer ${user.accessToken}`],
    ];
    const body = JSON.stringify(modernQuote);
    for (const extra of [
      [
        ['mcp-method', 'tools/call'],
        ['mcp-method', 'tools/call'],
        ['mcp-name', 'get_quote'],
      ],
      [
        ['mcp-method', 'tools/call'],
        ['mcp-name', 'get_quote'],
        ['mcp-name', 'place_order'],
      ],
      [
        ['mcp-method', 'tools/call'],
        ['mcp-method', 'tools/list'],
        ['mcp-name', 'get_quote'],
        ['mcp-name', 'get_quote'],
      ],
    ] as [string, string][][]) {
      const before = proxy.requests.length;
      const answer = await rawHttp(gateway.mcpUrl, { headers: [...base, ...extra], body });
      expect(answer.status, answer.text.slice(0, 200)).toBe(400);
      expect(proxy.requests.length).toBe(before);
    }
  });

  it('other HTTP methods get 405 with Allow: POST; odd bearer tokens get 401 with a challenge', async () => {
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH']) {
      const res = await fetch(gateway.mcpUrl, { method, headers: bearer() });
      expect({ method, status: res.status, allow: res.headers.get('allow') }).toEqual({ method, status: 405, allow: 'POST' });
    }
    for (const token of [
      '',
      'x',
      'agw_at_',
      `agw_at_${'A'.repeat(4_000)}`,
      user.accessToken.toUpperCase(),
      `${user.accessToken} ${user.accessToken}`,
      'agw_at_../../admin',
      '%00',
    ]) {
      const res = await postMcp(gateway.mcpUrl, quote(1), { authorization: `Bearer ${token}` });
      expect(res.status, token.slice(0, 40)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    const huge = await rawHttp(gateway.mcpUrl, {
      headers: [
        ['host', new URL(gateway.url).host],
        ['content-type', 'application/json'],
        ['authorization', `Bearer ${'A'.repeat(64 * 1024)}`],
      ],
      body: '{}',
    });
    expect(huge.status).toBe(431);
  });

  it('random JSON bodies and header values never cause a 5xx (200 runs)', async () => {
    const headerValue = fc.oneof(
      fc.constantFrom('2025-06-18', '2026-07-28', '2025-03-26', '', 'tools/call', 'initialize', '__proto__'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).filter((value) => !/[\r\n]/.test(value)),
    );
    const message = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          jsonrpc: fc.constantFrom('2.0', '1.0', 2),
          id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double()),
          method: fc.constantFrom('tools/call', 'tools/list', 'initialize', 'server/discover', 'ping', 'notifications/initialized', 'resources/list'),
          params: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await checkProperty(
      fc.asyncProperty(fc.oneof(message, fc.array(message, { maxLength: 5 })), headerValue, headerValue, headerValue, async (body, version, method, name) => {
        const headers: Record<string, string> = { ...bearer() };
        if (version !== '') headers['mcp-protocol-version'] = version;
        if (method !== '') headers['mcp-method'] = method;
        if (name !== '') headers['mcp-name'] = name;
        const before = proxy.requests.length;
        const answer = await postMcp(gateway.mcpUrl, JSON.stringify(body) ?? 'null', headers);
        if (answer.status >= 500) throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
        if (errorCode(answer.json) === -32603) throw new Error(`-32603: ${answer.text.slice(0, 300)}`);
        if (proxy.requests.length - before > 5) throw new Error(`${proxy.requests.length - before} upstream requests for one HTTP request`);
      }),
      { numRuns: 200, seed: 42 },
    );
  }, 60_000);

  it('keeps serving: a healthy call succeeds; no error-level log line; no secret in any log line', async () => {
    const healthy = await callTool(gateway.mcpUrl, user.accessToken, 'get_balances', { account_id: user.accountId });
    expect(healthy.status).toBe(200);
    expect(healthy.result?.isError, healthy.resultText).toBeFalsy();
    expect(gateway.logs.entries.filter((entry) => Number(entry['level']) >= 50).map((entry) => entry['msg'])).toEqual([]);
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});
