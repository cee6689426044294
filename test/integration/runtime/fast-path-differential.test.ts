/**
 * The lean dispatcher says exactly what the SDK says (issue 15).
 *
 * Every request of the corpus goes to two gateways that differ only in
 * `MCP_FAST_PATH` (on / off), each on its own fixture upstream; the two must
 * give the same HTTP status, the same headers (framing and connection headers
 * aside; a request id the client did not send compared by shape) and the same
 * JSON. The corpus: the requests of the dual-era tool-call tests (every
 * result and upstream error class, the 401 refresh and the re-authorization
 * 401, the duplicate window, the call limit, scopes), Claude's header/body
 * quirks, the HTTP edges (methods, Origin, Accept, Content-Type, body size),
 * hostile JSON-RPC (ids of every JSON type, notifications, batches, unknown
 * methods), and fast-check requests built from all of these parts.
 * Cases marked `lean` must really take the lean path (else the comparison
 * would prove nothing about it).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProperty } from '../../robustness/support/check-property.js';
import { startDifferentialPair, TOOL_TIMEOUT_MS, type DifferentialCase, type DifferentialPair, type WireRequest } from './support/differential-pair.js';

const V25 = '2025-11-25';
const V26 = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': V26,
  'io.modelcontextprotocol/clientInfo': { name: 'diff', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-request-id': 'diff-req' };
const ORDER = { account_id: 'ACC-1', symbol: 'MSFT', side: 'BUY', quantity: '37', order_type: 'LIMIT', limit_price: '401.25' };

type Era = 'legacy' | 'modern';
const ERAS: readonly Era[] = ['legacy', 'modern'];

function rpc(method: string, params?: Record<string, unknown>, id: unknown = 1): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) };
}

/** A spec-following request of `era`: headers and envelope as the SDK clients send them. */
function request(era: Era, method: 'tools/call' | 'tools/list', params: Record<string, unknown> = {}, id: unknown = 1): WireRequest {
  if (era === 'legacy') return { headers: { ...BASE, 'mcp-protocol-version': V25 }, body: rpc(method, params, id) };
  const name: Record<string, string> = typeof params['name'] === 'string' ? { 'mcp-name': params['name'] } : {};
  return { headers: { ...BASE, 'mcp-protocol-version': V26, 'mcp-method': method, ...name }, body: rpc(method, { ...params, _meta: META }, id) };
}

const call = (era: Era, name: string, args?: unknown): WireRequest => request(era, 'tools/call', { name, ...(args !== undefined && { arguments: args }) });

function perEra(name: string, build: (era: Era) => Omit<DifferentialCase, 'name'>): DifferentialCase[] {
  return ERAS.map((era) => ({ name: `${name} (${era})`, ...build(era) }));
}

const TOOL_CALLS: DifferentialCase[] = [
  ...perEra('tools/list, full scopes', (era) => ({ steps: [request(era, 'tools/list')], lean: true })),
  ...perEra('tools/list, read-only grant', (era) => ({ steps: [request(era, 'tools/list')], grant: 'read-only', lean: true })),
  ...perEra('tools/call success, array wrapped', (era) => ({ steps: [call(era, 'list_accounts', {})], lean: true })),
  ...perEra('tools/call without arguments', (era) => ({ steps: [call(era, 'list_accounts')], lean: true })),
  ...perEra('schema defaults applied', (era) => ({ steps: [call(era, 'get_bars', { symbol: 'AAPL' })], lean: true })),
  ...perEra('unknown tool', (era) => ({ steps: [call(era, 'get_everything', {})], lean: true })),
  ...perEra('invalid arguments', (era) => ({ steps: [call(era, 'place_order', { ...ORDER, side: 'HOLD', quantity: 10, foo: 1 })], lean: true })),
  ...perEra('JSON-string argument, good and bad', (era) => ({
    steps: [call(era, 'preview_order', { ...ORDER, legs: '[{"symbol":"AAPL"}]' }), call(era, 'preview_order', { ...ORDER, legs: '[{"symbol":' })],
    lean: true,
  })),
  ...perEra('dot segment as a path argument', (era) => ({ steps: [call(era, 'get_positions', { account_id: '..' })], lean: true })),
  ...perEra('missing scope', (era) => ({ steps: [call(era, 'place_order', ORDER)], grant: 'read-only', lean: true })),
  ...perEra('upstream 404', (era) => ({ steps: [call(era, 'get_positions', { account_id: 'ACC-9' })], lean: true })),
  ...perEra('upstream 400 field error', (era) => ({ steps: [call(era, 'place_order', { ...ORDER, quantity: '0' })], lean: true })),
  ...perEra('upstream 429 with Retry-After', (era) => ({
    steps: [call(era, 'get_quote', { symbols: 'AAPL' })],
    faults: [{ status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '7' } }],
    lean: true,
  })),
  ...perEra('upstream 503 text body', (era) => ({
    steps: [call(era, 'get_quote', { symbols: 'AAPL' })],
    faults: [{ status: 503, text: 'maintenance' }],
    lean: true,
  })),
  ...perEra('upstream connection reset', (era) => ({ steps: [call(era, 'list_accounts', {})], faults: [{ reset: true }], lean: true })),
  ...perEra('upstream timeout on a read', (era) => ({ steps: [call(era, 'list_accounts', {})], faults: [{ delayMs: TOOL_TIMEOUT_MS + 500 }], lean: true })),
  ...perEra('upstream timeout on placement (unknown outcome)', (era) => ({
    steps: [call(era, 'place_order', ORDER)],
    faults: [{ path: '/v1/orders', delayMs: TOOL_TIMEOUT_MS + 500 }],
    lean: true,
  })),
  ...perEra('upstream answer off schema', (era) => ({
    steps: [call(era, 'list_accounts', {})],
    faults: [{ status: 200, body: { unexpected: true } }],
    lean: true,
  })),
  ...perEra('upstream 401, refresh, retry', (era) => ({ steps: [call(era, 'list_accounts', {})], grant: 'stale-token', lean: true })),
  ...perEra('upstream 401 and the grant revoked: re-authorization 401', (era) => ({ steps: [call(era, 'list_accounts', {})], grant: 'revoked', lean: true })),
  ...perEra('duplicate placement refused, then confirmed', (era) => ({
    steps: [
      call(era, 'place_order', ORDER),
      call(era, 'place_order', ORDER),
      call(era, 'place_order', { ...ORDER, confirm_duplicate: true }),
      call(era, 'list_open_orders', { account_id: 'ACC-1' }),
    ],
    lean: true,
  })),
  ...perEra('call limit (5 per minute) reached', (era) => ({ steps: Array.from({ length: 7 }, () => call(era, 'list_accounts', {})), lean: true })),
  ...perEra('a method body that throws (grant store broken)', (era) => ({
    steps: [request(era, 'tools/list'), call(era, 'list_accounts', {})],
    grant: 'exploding',
    lean: true,
  })),
  ...perEra('ids: string, zero, negative, large safe integer', (era) => ({
    steps: ['abc', 0, -5, Number.MAX_SAFE_INTEGER].map((id) => request(era, 'tools/call', { name: 'list_accounts', arguments: {} }, id)),
    lean: true,
  })),
];

const modernWith = (headers: Record<string, string | undefined>, body: unknown): WireRequest => ({
  headers: definedOnly({ ...BASE, 'mcp-protocol-version': V26, 'mcp-method': 'tools/call', 'mcp-name': 'get_quote', ...headers }),
  body,
});
const QUOTE_PARAMS = { name: 'get_quote', arguments: { symbols: 'MSFT' } };

const CLAUDE_AND_HEADERS: DifferentialCase[] = [
  {
    name: 'Claude: 2026 header without an envelope (served as legacy)',
    steps: [{ headers: { ...BASE, 'mcp-protocol-version': V26 }, body: rpc('tools/call', QUOTE_PARAMS) }],
    lean: true,
  },
  {
    name: 'Claude: 2026 header without an envelope, tools/list',
    steps: [{ headers: { ...BASE, 'mcp-protocol-version': V26 }, body: rpc('tools/list', {}) }],
    lean: true,
  },
  ...[V25, '2025-06-18', undefined].map((header) => ({
    name: `Claude: ${header ?? 'no'} version header with a full envelope`,
    steps: [
      { headers: definedOnly({ ...BASE, 'mcp-protocol-version': header }), body: rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }) },
      { headers: definedOnly({ ...BASE, 'mcp-protocol-version': header }), body: rpc('tools/list', { _meta: META }) },
    ],
    lean: true,
  })),
  { name: 'no version header, no envelope (2025-03-26 default)', steps: [{ headers: BASE, body: rpc('tools/call', QUOTE_PARAMS) }], lean: true },
  { name: 'Mcp-Method naming another method', steps: [modernWith({ 'mcp-method': 'tools/list' }, rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }))] },
  { name: 'Mcp-Name naming another tool', steps: [modernWith({ 'mcp-name': 'get_positions' }, rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }))] },
  { name: 'Mcp-Name missing on a modern call', steps: [modernWith({ 'mcp-name': undefined }, rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }))] },
  { name: 'Mcp-Method missing on a modern call', steps: [modernWith({ 'mcp-method': undefined }, rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }))] },
  {
    name: 'Mcp-Name as a Base64 sentinel',
    steps: [modernWith({ 'mcp-name': '=?base64?Z2V0X3F1b3Rl?=' }, rpc('tools/call', { ...QUOTE_PARAMS, _meta: META }))],
  },
  {
    name: 'version header naming a revision nobody serves',
    steps: [{ headers: { ...BASE, 'mcp-protocol-version': '2099-01-01' }, body: rpc('tools/call', QUOTE_PARAMS) }],
  },
  {
    name: 'envelope naming a revision nobody serves',
    steps: [modernWith({}, rpc('tools/call', { ...QUOTE_PARAMS, _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }))],
  },
  { name: 'incomplete envelope', steps: [modernWith({}, rpc('tools/call', { ...QUOTE_PARAMS, _meta: { 'io.modelcontextprotocol/protocolVersion': V26 } }))] },
  {
    name: 'envelope with a log level',
    steps: [modernWith({}, rpc('tools/call', { ...QUOTE_PARAMS, _meta: { ...META, 'io.modelcontextprotocol/logLevel': 'debug' } }))],
  },
  {
    name: 'legacy call with a progress token',
    steps: [{ headers: { ...BASE, 'mcp-protocol-version': V25 }, body: rpc('tools/call', { ...QUOTE_PARAMS, _meta: { progressToken: 'p1' } }) }],
  },
  {
    name: 'version header with surrounding spaces',
    steps: [{ headers: { ...BASE, 'mcp-protocol-version': ` ${V25} ` }, body: rpc('tools/call', QUOTE_PARAMS) }],
  },
  ...['*/*', 'application/json', 'text/event-stream', 'text/html', undefined].map((accept) => ({
    name: `Accept: ${accept ?? 'none'}`,
    steps: [{ headers: definedOnly({ ...BASE, accept, 'mcp-protocol-version': V25 }), body: rpc('tools/call', QUOTE_PARAMS) }],
  })),
  ...['application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined].map((contentType) => ({
    name: `Content-Type: ${contentType ?? 'none'}`,
    steps: [{ headers: definedOnly({ ...BASE, 'content-type': contentType, 'mcp-protocol-version': V25 }), body: rpc('tools/list', {}) }],
  })),
  {
    name: 'request id not sent (random by design)',
    steps: [{ headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: rpc('tools/list') }],
    lean: true,
  },
  { name: 'trailing slash', steps: [{ path: '/mcp/', headers: { ...BASE, 'mcp-protocol-version': V25 }, body: rpc('tools/list') }], lean: true },
];

const NOT_LEAN_BODIES: [string, unknown][] = [
  ['initialize', rpc('initialize', { protocolVersion: V25, capabilities: {}, clientInfo: { name: 'raw', version: '1' } })],
  ['ping', rpc('ping')],
  ['server/discover', rpc('server/discover', { _meta: META })],
  ['unknown method', rpc('resources/list')],
  ['notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
  ['tools/call hidden in a notification', { jsonrpc: '2.0', method: 'tools/call', params: QUOTE_PARAMS }],
  ['batch of two calls', [rpc('tools/call', QUOTE_PARAMS, 1), rpc('tools/list', {}, 2)]],
  ['empty batch', []],
  ['jsonrpc 1.0', { ...rpc('tools/list'), jsonrpc: '1.0' }],
  ['an extra top-level member', { ...rpc('tools/list'), extra: true }],
  ['params an array', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: [] }],
  ['params null', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: null }],
  ['arguments an array', rpc('tools/call', { name: 'get_quote', arguments: ['AAPL'] })],
  ['arguments null', rpc('tools/call', { name: 'get_quote', arguments: null })],
  ['name a number', rpc('tools/call', { name: 5 })],
  ['name missing', rpc('tools/call', { arguments: {} })],
  ['name with spaces', rpc('tools/call', { name: 'get quote', arguments: {} })],
  ['an extra params member', rpc('tools/call', { ...QUOTE_PARAMS, task: { ttl: 1 } })],
  ['tools/list with a cursor', rpc('tools/list', { cursor: 'abc' })],
  ['id null', rpc('tools/list', {}, null)],
  ['id a fraction', rpc('tools/list', {}, 1.5)],
  ['id true', rpc('tools/list', {}, true)],
  ['id an object', rpc('tools/list', {}, { a: 1 })],
  ['id an array', rpc('tools/list', {}, [1])],
  ['id 2^60', rpc('tools/list', {}, 2 ** 60)],
  ['invalid JSON', '{"jsonrpc":"2.0",'],
  ['JSON nested too deep', `${'['.repeat(100)}${']'.repeat(100)}`],
  ['a string body', '"tools/list"'],
  ['oversized body', rpc('tools/call', { name: 'get_quote', arguments: { symbols: 'A'.repeat(5000) } })],
];

const EDGES: DifferentialCase[] = [
  ...NOT_LEAN_BODIES.flatMap(([name, body]) =>
    [V25, '2025-03-26', V26].map((version) => ({
      name: `${name} (header ${version})`,
      steps: [{ headers: { ...BASE, 'mcp-protocol-version': version }, body }],
    })),
  ),
  { name: 'no bearer token', steps: [{ ...call('legacy', 'list_accounts', {}), token: null }] },
  { name: 'GET with a token', steps: [{ httpMethod: 'GET', headers: { accept: 'text/event-stream' } }] },
  { name: 'a foreign Origin', steps: [{ ...call('legacy', 'list_accounts', {}), headers: { ...BASE, origin: 'https://evil.example' } }] },
];

const LEGACY = { ...BASE, 'mcp-protocol-version': V25 };
const LIST_TEXT = JSON.stringify(rpc('tools/list'));

/**
 * What the HTTP front (`runtime/http/mcp-front.ts`) decides before Express: which requests it takes, and how it reads
 * their bodies. Each must get the answer Express and `express.json` give on the SDK-only gateway.
 */
const FRONT: DifferentialCase[] = [
  { name: 'front: chunked body (Express reads it)', steps: [{ headers: LEGACY, body: rpc('tools/list'), chunked: true }], lean: true },
  { name: 'front: chunked invalid JSON', steps: [{ headers: LEGACY, body: '{"jsonrpc":', chunked: true }] },
  { name: 'front: body with a UTF-8 byte order mark', steps: [{ headers: LEGACY, body: `\uFEFF${LIST_TEXT}` }], lean: true },
  { name: 'front: body padded with whitespace', steps: [{ headers: LEGACY, body: ` \r\n\t${LIST_TEXT}\n ` }], lean: true },
  { name: 'front: query string on /mcp', steps: [{ path: '/mcp?probe=1', headers: LEGACY, body: rpc('tools/list') }], lean: true },
  { name: 'front: /MCP in capitals (Express matches it)', steps: [{ path: '/MCP', headers: LEGACY, body: rpc('tools/list') }], lean: true },
  { name: 'front: /mcp//', steps: [{ path: '/mcp//', headers: LEGACY, body: rpc('tools/list') }] },
  { name: 'front: Content-Encoding identity', steps: [{ headers: { ...LEGACY, 'content-encoding': 'identity' }, body: rpc('tools/list') }], lean: true },
  { name: 'front: Content-Encoding gzip on plain JSON', steps: [{ headers: { ...LEGACY, 'content-encoding': 'gzip' }, body: rpc('tools/list') }] },
  {
    name: 'front: an unknown bearer token',
    steps: [{ ...call('legacy', 'list_accounts', {}), token: null, headers: { ...LEGACY, authorization: 'Bearer not-a-token' } }],
  },
  { name: 'front: empty body', steps: [{ headers: LEGACY, body: '' }] },
  ...['null', '123', '"tools/list"', 'true', '   ', '{"jsonrpc":"2.0"} trailing', '{"a":1}{"b":2}', '\uFEFF\uFEFF{}'].map((body) => ({
    name: `front: body ${JSON.stringify(body)}`,
    steps: [{ headers: LEGACY, body }],
  })),
  ...[
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'Application/JSON',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/jsonx',
    'application/vnd.api+json',
  ].map((contentType) => ({
    name: `front: Content-Type ${contentType}`,
    steps: [{ headers: { ...LEGACY, 'content-type': contentType }, body: rpc('tools/list') }],
  })),
  ...['HEAD', 'OPTIONS', 'DELETE', 'PUT', 'PATCH'].map((httpMethod) => ({
    name: `front: ${httpMethod} /mcp with a JSON body`,
    steps: [{ httpMethod, headers: LEGACY, body: rpc('tools/list') }],
  })),
  {
    name: 'front: OPTIONS preflight from a foreign Origin',
    steps: [{ httpMethod: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }],
  },
  { name: 'front: a 4,000-byte body (under the limit) nested too deep', steps: [{ headers: LEGACY, body: `${'['.repeat(2000)}${']'.repeat(2000)}` }] },
];

let pair: DifferentialPair;

beforeAll(async () => {
  pair = await startDifferentialPair();
  // Compile every validator and the SDK's schemas before the first compared case, so no case pays a cold start on one side only.
  const warm = TOOL_CALLS.filter((testCase) => testCase.faults === undefined && testCase.grant === undefined).slice(0, 12);
  for (const testCase of warm) await pair.exchange(testCase);
}, 60_000);

afterAll(async () => {
  await pair?.close();
});

async function expectSameAnswers(testCase: DifferentialCase): Promise<void> {
  const { fast, sdk } = await pair.exchange(testCase);
  expect(fast.map(({ lean: _lean, ...answer }) => answer)).toEqual(sdk.map(({ lean: _lean, ...answer }) => answer));
  if (testCase.lean === true) {
    expect(fast.map((answer) => answer.lean)).toEqual(fast.map(() => true));
    expect(sdk.map((answer) => answer.lean)).toEqual(sdk.map(() => false));
  }
}

describe('the lean path answers exactly like the SDK', () => {
  it.each(TOOL_CALLS.map((testCase) => [testCase.name, testCase] as const))('tool calls: %s', async (_name, testCase) => expectSameAnswers(testCase));
  it.each(CLAUDE_AND_HEADERS.map((testCase) => [testCase.name, testCase] as const))('quirks and headers: %s', async (_name, testCase) =>
    expectSameAnswers(testCase),
  );
  it.each(EDGES.map((testCase) => [testCase.name, testCase] as const))('edges: %s', async (_name, testCase) => expectSameAnswers(testCase));
  it.each(FRONT.map((testCase) => [testCase.name, testCase] as const))('HTTP front: %s', async (_name, testCase) => expectSameAnswers(testCase));
});

describe('property: generated requests', () => {
  const toolNames = ['list_accounts', 'get_quote', 'get_bars', 'get_positions', 'preview_order', 'place_order', 'nope'];
  const id = fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 12 }),
    fc.double(),
    fc.constant(null),
    fc.boolean(),
    fc.constant({}),
    fc.constant([]),
    fc.constant(2 ** 60),
  );
  const args = fc.oneof(
    fc.constant(undefined),
    fc.constant({}),
    fc.constant({ symbols: 'AAPL' }),
    fc.constant({ symbol: 'AAPL', limit: 3 }),
    fc.constant({ account_id: 'ACC-1' }),
    fc.constant(ORDER),
    fc.constant({ symbols: 'A'.repeat(5000) }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const meta = fc.oneof(
    fc.constant(undefined),
    fc.constant(META),
    fc.constant({ progressToken: 1 }),
    fc.constant({ 'io.modelcontextprotocol/protocolVersion': V26 }),
    fc.constant({ ...META, 'io.modelcontextprotocol/protocolVersion': V25 }),
    fc.constant({ ...META, traceparent: 'x' }),
  );
  const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
  /** Mostly the value a spec-following client sends, sometimes something else: so both paths get plenty of traffic. */
  const usually = <T>(good: fc.Arbitrary<T>, other: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: other });
  const method = usually(fc.constantFrom('tools/call', 'tools/list'), fc.constantFrom('ping', 'initialize', 'server/discover', 'nope'));
  const wire = fc
    .record({
      method,
      id: usually(fc.oneof(fc.integer(), fc.string({ maxLength: 12 })), fc.option(id, { nil: undefined })),
      name: usually(fc.constantFrom(...toolNames), fc.oneof(fc.constantFrom('', 'a b', 'x'.repeat(200)), fc.integer())),
      args: usually(fc.constantFrom(undefined, {}, { symbols: 'AAPL' }, { symbol: 'AAPL', limit: 3 }, ORDER), args),
      meta: usually(fc.constantFrom(undefined, META), meta),
      extraMember: usually(fc.constant(false), fc.constant(true)),
      version: usually(fc.constantFrom(V25, V26, undefined), optional(fc.constantFrom('2025-03-26', '2025-06-18', '1999-01-01', ` ${V26}`))),
      methodHeader: usually(fc.constantFrom('same', undefined), optional(fc.constantFrom('tools/call', 'tools/list', 'ping'))),
      nameHeader: usually(fc.constantFrom('same', undefined), optional(fc.constantFrom('get_quote', 'list_accounts'))),
      accept: usually(fc.constant('application/json, text/event-stream'), optional(fc.constantFrom('*/*', 'application/json', 'text/html'))),
      contentType: usually(fc.constant('application/json'), optional(fc.constantFrom('application/json; charset=utf-8', 'text/plain'))),
    })
    .map((parts): WireRequest => {
      const params: Record<string, unknown> = {
        ...(parts.method === 'tools/call' && { name: parts.name }),
        ...(parts.args !== undefined && { arguments: parts.args }),
        ...(parts.meta !== undefined && { _meta: parts.meta }),
      };
      const body: Record<string, unknown> = {
        jsonrpc: '2.0',
        ...(parts.id !== undefined && { id: parts.id }),
        method: parts.method,
        params,
        ...(parts.extraMember && { extra: 1 }),
      };
      return {
        headers: definedOnly({
          'x-request-id': 'prop',
          accept: parts.accept,
          'content-type': parts.contentType,
          'mcp-protocol-version': parts.version,
          'mcp-method': parts.methodHeader === 'same' ? parts.method : parts.methodHeader,
          'mcp-name': parts.nameHeader === 'same' ? String(parts.name) : parts.nameHeader,
        }),
        body,
      };
    });

  it('every generated request gets the same answer from both paths', async () => {
    let lean = 0;
    await checkProperty(
      fc.asyncProperty(wire, async (step) => {
        const { fast, sdk } = await pair.exchange({ name: 'property', steps: [step] });
        const strip = ({ lean: _lean, ...answer }: (typeof fast)[number]) => answer;
        expect(strip(fast[0])).toEqual(strip(sdk[0]));
        if (fast[0].lean && fast[0].status === 200) lean++;
      }),
      { numRuns: 250, seed: 15 },
    );
    // The generator must reach the lean path often enough for the property to say something about it.
    expect(lean).toBeGreaterThan(40);
  }, 120_000);
});

function definedOnly(headers: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) kept[name] = value;
  return kept;
}
