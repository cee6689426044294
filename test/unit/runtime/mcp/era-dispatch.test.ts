/**
 * era-dispatch.ts on its own: one authenticated POST reaches the right era
 * with its headers repaired and batches policed, on a bare Node server at
 * 127.0.0.1:0 whose per-request MCP `Server` has one tool. What a client
 * notices: a legacy (2025-x) request answered as one JSON body (no SSE), a
 * 2026-07-28 request answered by the modern handler, a refused grant turned
 * into the re-authorization answer, an oversized batch refused before any
 * handler runs, and eligible calls taken by the lean dispatcher when one is
 * configured.
 */
import { createServer, request, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Server } from '@modelcontextprotocol/server';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_MESSAGES } from '../../../../runtime/mcp/batch-policy.js';
import { createEraDispatcher, type EraDispatcher } from '../../../../runtime/mcp/era-dispatch.js';
import type { FastDispatcher } from '../../../../runtime/mcp/fast-dispatch.js';
import type { FastRoute } from '../../../../runtime/mcp/fast-route.js';
import type { RequestScope } from '../../../../runtime/mcp/server-factory.js';
import { closeServer } from '../../../../testkit/harness.js';

const MODERN = '2026-07-28';
const LEGACY = '2025-06-18';
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'unit', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

interface Running {
  readonly url: string;
  /** Requests whose `serve` has settled. */
  readonly settled: () => number;
  readonly fastRoutes: FastRoute[];
  readonly errors: Error[];
}

const running: { server: HttpServer; dispatcher: EraDispatcher }[] = [];
afterEach(async () => {
  for (const { server, dispatcher } of running.splice(0)) {
    await closeServer(server);
    await dispatcher.close();
  }
});

/** The per-request MCP server: one tool, `echo`, and `refused`, which finds the grant refused for good. */
function buildServer(scope: RequestScope): Server {
  const server = new Server({ name: 'unit', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] }));
  server.setRequestHandler('tools/call', (request) => {
    if (request.params.name === 'refused') scope.reauthorizationRequired = true;
    return { content: [{ type: 'text', text: `${request.params.name} for ${scope.grant.grantId}` }] };
  });
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Per-request servers built since the last `start` (a request that reached the SDK leg builds one). */
let serversBuilt = 0;

async function start(options: { fast?: boolean; serveAfterClientLeft?: boolean } = {}): Promise<Running> {
  serversBuilt = 0;
  const fastRoutes: FastRoute[] = [];
  const errors: Error[] = [];
  let settled = 0;
  const fastPath: FastDispatcher = {
    serve: async (res, route) => {
      fastRoutes.push(route);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: route.id, result: { content: [{ type: 'text', text: 'lean' }] } }));
    },
  };
  const dispatcher = createEraDispatcher({
    buildServer: (scope) => {
      serversBuilt++;
      return buildServer(scope);
    },
    maxBodyBytes: 100_000,
    onError: (error) => errors.push(error),
    onAdapterError: (error) => errors.push(error),
    reauthorizationResponse: () =>
      new Response(JSON.stringify({ error: 'invalid_token' }), {
        status: 401,
        headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' },
      }),
    ...(options.fast === true && { fastPath }),
  });
  const log = pino({ level: 'silent' });
  const server = createServer((req, res) => {
    void (async () => {
      const scope: RequestScope = {
        grant: {
          grantId: 'grant-1',
          scopes: ['market:information'],
          accessToken: async () => 'aries',
          refreshAccessToken: async () => 'aries',
          isStale: async () => false,
          revoke: async () => undefined,
        },
        requestId: 'req-1',
        log,
        reauthorizationRequired: false,
      };
      const body = await readJson(req);
      // The client disconnects between reading the body and dispatching (as it may while the SDK leg loads).
      if (options.serveAfterClientLeft === true) await new Promise((resolve) => res.once('close', resolve));
      await dispatcher.serve(req, res, body, scope);
    })()
      .catch((error: unknown) => {
        errors.push(error instanceof Error ? error : new Error(String(error)));
        res.writeHead(500).end();
      })
      .finally(() => settled++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ server, dispatcher });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return { url: `http://127.0.0.1:${address.port}/mcp`, settled: () => settled, fastRoutes, errors };
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; type: string; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), headers: res.headers };
}

const call = (name: string, meta?: object, id = 7) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {}, ...(meta !== undefined && { _meta: meta }) },
});
const modernHeaders = (name: string) => ({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name });

/** The result of a one-message JSON answer. */
function resultOf(text: string): Record<string, unknown> {
  const body: unknown = JSON.parse(text);
  const result: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'result') : undefined;
  if (typeof result !== 'object' || result === null) throw new Error(`no JSON-RPC result in ${text.slice(0, 200)}`);
  return Object.fromEntries(Object.entries(result));
}

describe('routing by era', () => {
  const eras: [string, { body: unknown; headers: Record<string, string>; modern: boolean }][] = [
    ['2025-06-18 (legacy)', { body: call('echo'), headers: { 'mcp-protocol-version': LEGACY }, modern: false }],
    ['2025-03-26 (legacy)', { body: call('echo'), headers: { 'mcp-protocol-version': '2025-03-26' }, modern: false }],
    ['2026-07-28 with the _meta envelope (modern)', { body: call('echo', MODERN_META), headers: modernHeaders('echo'), modern: true }],
    [
      'the 2026-07-28 envelope without any protocol header (headers filled in from the body, modern)',
      { body: call('echo', MODERN_META), headers: {}, modern: true },
    ],
    [
      '2026-07-28 header on a body without the envelope (repaired to legacy)',
      { body: call('echo'), headers: { 'mcp-protocol-version': MODERN }, modern: false },
    ],
  ];
  it.each(eras)('%s: one JSON answer from the right handler', async (_name, { body, headers, modern }) => {
    const { url, errors } = await start();
    const res = await post(url, body, headers);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    const result = resultOf(res.text);
    expect(result['content']).toEqual([{ type: 'text', text: 'echo for grant-1' }]);
    // The 2026-07-28 handler marks complete results and names the server in _meta; the legacy transport does neither.
    expect(result['resultType']).toBe(modern ? 'complete' : undefined);
    expect(errors).toEqual([]);
  });

  it('a legacy client sending Accept: */* is still answered (Accept read liberally)', async () => {
    const { url } = await start();
    const res = await post(url, call('echo'), { 'mcp-protocol-version': LEGACY, accept: '*/*' });
    expect(res.status).toBe(200);
    expect(resultOf(res.text)['content']).toEqual([{ type: 'text', text: 'echo for grant-1' }]);
  });
});

describe('a grant refused for good during the call', () => {
  it.each([
    ['legacy', call('refused'), { 'mcp-protocol-version': LEGACY }],
    ['modern', call('refused', MODERN_META), modernHeaders('refused')],
  ] as const)('%s: the answer is the re-authorization response, not the tool result', async (_era, body, headers) => {
    const { url } = await start();
    const res = await post(url, body, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(res.text).not.toContain('refused for grant-1');
  });
});

describe('batches', () => {
  it.each([
    ['2025-06-18, which has no batches', LEGACY, 2],
    ['2026-07-28, which has no batches', MODERN, 1],
    [`2025-03-26 over ${MAX_BATCH_MESSAGES} messages`, '2025-03-26', MAX_BATCH_MESSAGES + 1],
  ] as const)('%s: refused with -32600 before any tool runs', async (_name, version, size) => {
    const { url } = await start();
    const res = await post(
      url,
      Array.from({ length: size }, (_, id) => call('refused', undefined, id)),
      { 'mcp-protocol-version': version },
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('2025-03-26 within the limit: every message is answered', async () => {
    const { url } = await start();
    const res = await post(url, [call('echo', undefined, 1), call('echo', undefined, 2)], { 'mcp-protocol-version': '2025-03-26' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"id":1');
    expect(res.text).toContain('"id":2');
  });
});

describe('the lean dispatcher (MCP_FAST_PATH)', () => {
  it('takes an eligible tools/call when configured, with its era, name and arguments', async () => {
    const { url, fastRoutes } = await start({ fast: true });
    const res = await post(url, call('echo'), { 'mcp-protocol-version': LEGACY });
    expect(resultOf(res.text)['content']).toEqual([{ type: 'text', text: 'lean' }]);
    expect(fastRoutes).toEqual([{ era: 'legacy', method: 'tools/call', id: 7, name: 'echo', rawArgs: {} }]);
  });

  it('leaves everything to the SDK when not configured, and what it does not take when configured', async () => {
    const plain = await start();
    expect(resultOf((await post(plain.url, call('echo'), { 'mcp-protocol-version': LEGACY })).text)['content']).toEqual([
      { type: 'text', text: 'echo for grant-1' },
    ]);
    const lean = await start({ fast: true });
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'unit', version: '1' } },
    };
    const res = await post(lean.url, initialize, { 'mcp-protocol-version': LEGACY });
    expect(resultOf(res.text)).toMatchObject({ protocolVersion: LEGACY, serverInfo: { name: 'unit' } });
    expect(lean.fastRoutes).toEqual([]);
  });
});

describe('a client that left before the SDK leg took its request', () => {
  it('builds no server for it, so its call never runs, and answers nothing', async () => {
    const { url, settled, errors } = await start({ serveAfterClientLeft: true });
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': LEGACY } });
      req.once('error', () => resolve());
      req.once('response', () => resolve());
      req.end(JSON.stringify(call('echo')), () => setTimeout(() => req.destroy(), 50));
    });
    for (let waited = 0; settled() === 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled()).toBe(1);
    expect(serversBuilt).toBe(0);
    expect(errors).toEqual([]);
  });
});
