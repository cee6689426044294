/**
 * The upstream transport under openapi-fetch (`keep-alive-fetch.ts`):
 * what Aries receives, what the caller gets back, connection reuse,
 * cancellation, and transport failures with the codes `aries-client.ts`
 * classifies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../build/free-port.js';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../../../runtime/upstream/keep-alive-fetch.js';
import { boundPort } from '../../../../build/free-port.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let base: string;
let transport: KeepAliveFetch;
let connections = 0;
const seen: Seen[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000);
  if (req.url === '/empty') return void res.writeHead(204).end();
  if (req.url === '/bom') return void res.writeHead(200, { 'content-type': 'application/json' }).end('\uFEFF{"bom":true}');
  if (req.url === '/broken') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":');
  if (req.url === '/limited') return void res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"error":"slow down"}');
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-multi': ['a', 'b'] }).end(JSON.stringify({ ok: true, text: 'Ünïcode ✓' }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${boundPort(server)}`;
  transport = createKeepAliveFetch();
});

afterAll(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('keep-alive transport', () => {
  it('sends method, path, query, headers and body as built, and returns status, headers and the body read once', async () => {
    const response = await transport.fetch(
      new Request(`${base}/v1/orders?dry=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json', 'x-request-id': 'r-1' },
        body: '{"qty":"1 ✓"}',
      }),
    );
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/orders?dry=1',
      body: '{"qty":"1 ✓"}',
      headers: { authorization: 'Bearer t', 'x-request-id': 'r-1', 'content-length': String(Buffer.byteLength('{"qty":"1 ✓"}')) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-multi')).toBe('a, b');
    expect(await response.json()).toEqual({ ok: true, text: 'Ünïcode ✓' });
  });

  it.each([
    ['an error status keeps its body and Retry-After', '/limited', { status: 429, retryAfter: '7', text: '{"error":"slow down"}' }],
    ['204 has no body', '/empty', { status: 204, retryAfter: null, text: '' }],
  ])('%s', async (_name, path, want) => {
    const response = await transport.fetch(new Request(`${base}${path}`));
    expect({ status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() }).toEqual(want);
  });

  it.each([
    ['text() drops a leading byte order mark, as Fetch decoding does', '/bom', (response: Response) => response.text(), '{"bom":true}'],
    ['json() parses past a leading byte order mark', '/bom', (response: Response) => response.json(), { bom: true }],
  ])('the body read from memory: %s', async (_name, path, read, want) => {
    const ours = await transport.fetch(new Request(`${base}${path}`));
    const standard = await fetch(`${base}${path}`);
    expect(await read(ours)).toEqual(want);
    expect(await read(standard)).toEqual(want);
  });

  it('a body is read once: a second read rejects like a standard Response', async () => {
    const response = await transport.fetch(new Request(`${base}/ok`));
    await response.json();
    await expect(response.text()).rejects.toThrow(TypeError);
    const fresh = await transport.fetch(new Request(`${base}/ok`));
    const copy = fresh.clone();
    expect(await copy.json()).toEqual(await fresh.json());
    expect(() => fresh.clone()).toThrow(TypeError);
  });

  it('invalid JSON rejects with a SyntaxError (aries-client.ts calls that a bad response)', async () => {
    const response = await transport.fetch(new Request(`${base}/broken`));
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('reuses one connection for sequential calls', async () => {
    await transport.fetch(new Request(`${base}/warm`));
    const before = connections;
    for (let i = 0; i < 5; i++) await (await transport.fetch(new Request(`${base}/again`))).text();
    expect(connections).toBe(before);
  });

  it('an aborted signal rejects at once and closes the request', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = transport.fetch(new Request(`${base}/slow`, { signal: controller.signal }));
    setTimeout(() => controller.abort(new DOMException('Upstream timeout', 'TimeoutError')), 50);
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('a refused connection rejects with ECONNREFUSED', async () => {
    const closedPort = await freePort();
    await expect(transport.fetch(new Request(`http://127.0.0.1:${closedPort}/x`))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
