/**
 * `BufferedRequest` / `BufferedResponse` (`buffered-messages.ts`): the
 * request openapi-fetch builds must reach Aries exactly as the standard
 * `Request` would send it, and the response must read as a standard
 * `Response` reads. Each case runs both classes and compares.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPort } from '../../../../build/free-port.js';
import { BufferedRequest, BufferedResponse } from '../../../../runtime/upstream/buffered-messages.js';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../../../runtime/upstream/keep-alive-fetch.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

let server: Server;
let base: string;
let transport: KeepAliveFetch;
const seen: Seen[] = [];

/** The request as the server saw it, without the per-connection headers. */
function record(req: IncomingMessage, body: string): Seen {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (name !== 'connection' && name !== 'host') headers[name] = String(value);
  return { method: req.method ?? '', url: req.url ?? '', headers, body };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push(record(req, body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${boundPort(server)}`;
  transport = createKeepAliveFetch();
});

afterAll(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The operations the cases call, typed as openapi-typescript would emit them. */
interface Operation {
  parameters: { query?: Record<string, string | string[]>; header?: Record<string, string>; path?: Record<string, string>; cookie?: never };
  requestBody?: { content: { 'application/json': Record<string, unknown> } };
  responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': { ok: boolean } } } };
}
interface Paths {
  '/v1/quotes': { get: Operation };
  '/v1/orders': { post: Operation };
  '/v1/orders/{id}': { get: Operation; delete: Operation; patch: Operation };
  '/oauth/token': { post: Operation };
}
type LooseCall = (client: ReturnType<typeof createClient<Paths>>) => Promise<unknown>;

const CALLS: readonly (readonly [string, LooseCall])[] = [
  [
    'GET with a query (array, unicode, reserved characters)',
    (c) => c.GET('/v1/quotes', { params: { query: { symbols: ['AAPL', 'BRK.B'], note: 'a&b=ü ✓' } } }),
  ],
  ['GET with a path parameter that needs encoding', (c) => c.GET('/v1/orders/{id}', { params: { path: { id: 'a b/c?d' } } })],
  ['POST with a JSON body', (c) => c.POST('/v1/orders', { body: { symbol: 'AAPL', qty: 1, note: 'Ünïcode ✓' } })],
  ['DELETE with a header parameter', (c) => c.DELETE('/v1/orders/{id}', { params: { path: { id: '42' }, header: { 'X-Account': 'acc-1' } } })],
  ['PATCH written in lower case by the caller', (c) => c.request('patch', '/v1/orders/{id}', { params: { path: { id: '7' } }, body: { qty: 2 } })],
  [
    'a form body (encoded by the standard class)',
    (c) =>
      c.POST('/oauth/token', {
        body: { grant_type: 'refresh_token', refresh_token: 'r t' },
        bodySerializer: (body: Record<string, unknown> | undefined) =>
          new URLSearchParams(Object.entries(body ?? {}).map(([name, value]) => [name, String(value)])),
      }),
  ],
];

function headerList(headers: Headers): string[] {
  const list: string[] = [];
  headers.forEach((value, name) => list.push(`${name}: ${value}`));
  return list;
}

describe('openapi-fetch with BufferedRequest sends what the standard Request sends', () => {
  it.each(CALLS)('%s', async (_name, call) => {
    const standard = createClient<Paths>({ baseUrl: base, fetch: transport.fetch, headers: { Authorization: 'Bearer t' } });
    const buffered = createClient<Paths>({ baseUrl: base, fetch: transport.fetch, headers: { Authorization: 'Bearer t' }, Request: BufferedRequest });
    await call(standard);
    const want = seen.at(-1);
    await call(buffered);
    const got = seen.at(-1);
    expect(got).toEqual(want);
    expect(got).not.toBe(want);
  });
});

describe('BufferedRequest', () => {
  it('keeps the fields a standard Request has', () => {
    const signal = new AbortController().signal;
    const init = { method: 'post', headers: { 'X-A': '1' }, body: '{"a":1}', signal } as const;
    const ours = new BufferedRequest('http://127.0.0.1/a b?q=1#frag', init);
    const standard = new Request('http://127.0.0.1/a b?q=1#frag', init);
    const fields = (request: Request): unknown => ({
      url: request.url,
      method: request.method,
      headers: headerList(request.headers),
      redirect: request.redirect,
      aborted: request.signal.aborted,
    });
    expect(fields(ours)).toEqual(fields(standard));
  });

  it("aborting the caller's signal aborts the request's signal", () => {
    const controller = new AbortController();
    const request = new BufferedRequest('http://127.0.0.1/', { signal: controller.signal });
    controller.abort(new Error('stop'));
    expect(request.signal.aborted).toBe(true);
  });

  it.each([
    [
      'a GET with a body',
      () => new BufferedRequest('http://127.0.0.1/', { method: 'GET', body: 'x' }),
      () => new Request('http://127.0.0.1/', { method: 'GET', body: 'x' }),
    ],
    ['an invalid URL', () => new BufferedRequest('not a url'), () => new Request('not a url')],
  ])('refuses %s with a TypeError, as the standard class does', (_name, ours, standard) => {
    expect(standard).toThrow(TypeError);
    expect(ours).toThrow(TypeError);
  });

  it('reads its text body through the standard readers too', async () => {
    const request = new BufferedRequest('http://127.0.0.1/', { method: 'POST', body: '{"a":1}' });
    expect(await request.clone().json()).toEqual({ a: 1 });
    expect(await request.text()).toBe('{"a":1}');
    expect(request.bodyUsed).toBe(true);
  });
});

async function settle(read: Promise<string>): Promise<{ value: string } | { error: string }> {
  return read.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error.name : String(error) }),
  );
}

describe('BufferedResponse reads as a standard Response', () => {
  const cases: readonly (readonly [string, string, number])[] = [
    ['JSON with a byte order mark', '\uFEFF{"bom":true}', 200],
    ['an error body', '{"error":"slow down"}', 429],
    ['a null-body status', '', 204],
    ['a 299 edge of ok', '{}', 299],
  ];

  it.each(cases)('%s', async (_name, text, status) => {
    const make = (): [Response, Response] => [
      new BufferedResponse(text, { status, headers: new Headers({ 'content-type': 'application/json' }), url: 'http://127.0.0.1/' }),
      new Response(status === 204 ? null : text, { status, headers: { 'content-type': 'application/json' } }),
    ];
    const [ours, standard] = make();
    expect([ours.ok, ours.status, ours.headers.get('content-type')]).toEqual([standard.ok, standard.status, standard.headers.get('content-type')]);
    expect(await ours.text()).toBe(await standard.text());
    // A second read: a TypeError once a body was used up; a null body answers '' again.
    expect(await settle(ours.text())).toEqual(await settle(standard.text()));
    const [streamed, streamedStandard] = make();
    expect(new Uint8Array(await streamed.arrayBuffer())).toEqual(new Uint8Array(await streamedStandard.arrayBuffer()));
  });

  it('json() rejects invalid JSON with a SyntaxError', async () => {
    const response = new BufferedResponse('{"ok":', { status: 200, headers: new Headers(), url: 'http://127.0.0.1/' });
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });
});
