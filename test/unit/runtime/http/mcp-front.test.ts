/**
 * The HTTP front (`runtime/http/mcp-front.ts`): which requests it serves
 * itself, straight from Node's `http` request, and which it passes to Express
 * with the body unread; and that a body it reads reaches the endpoint once,
 * parsed as `express.json({ strict: true })` would. The answers themselves are
 * compared with the Express path in `fast-path-differential.test.ts`.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpFront } from '../../../../runtime/http/mcp-front.js';
import type { BodyRead, McpEndpoint } from '../../../../runtime/mcp/handler.js';

const MAX_BODY_BYTES = 1024;
const JSON_TYPE = { 'content-type': 'application/json' };

interface Sent {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly chunked?: boolean;
}

interface Seen {
  readonly servedBy: string;
  readonly body: unknown;
  readonly securityHeader: string | undefined;
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const endpoint: McpEndpoint = {
    async serve(_req, res, readBody) {
      const read: BodyRead = await readBody();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ servedBy: 'front', body: read }));
    },
  };
  const front = createMcpFront(
    {
      endpoint,
      maxBodyBytes: MAX_BODY_BYTES,
      securityHeaders: (_req, res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
      onError: (_error, res) => res.writeHead(500).end(),
    },
    (req, res) => {
      // The fallback (Express) must find the body still unread.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(JSON.stringify({ servedBy: 'express', body: Buffer.concat(chunks).toString('utf8') })));
    },
  );
  server = createServer(front);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function send(sent: Sent): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(sent.path ?? '/mcp', baseUrl),
      { method: sent.method ?? 'POST', headers: sent.headers ?? JSON_TYPE, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const servedBy = typeof answer === 'object' && answer !== null ? Reflect.get(answer, 'servedBy') : undefined;
          resolve({
            servedBy: String(servedBy),
            body: typeof answer === 'object' && answer !== null ? Reflect.get(answer, 'body') : undefined,
            securityHeader: typeof res.headers['x-content-type-options'] === 'string' ? res.headers['x-content-type-options'] : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    if (sent.chunked === true && sent.body !== undefined) {
      req.write(sent.body.slice(0, 3));
      req.end(sent.body.slice(3));
    } else req.end(sent.body);
  });
}

const LIST = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';

describe('the HTTP front takes exactly the requests whose body it reads like express.json', () => {
  const cases: readonly [string, Sent, 'front' | 'express'][] = [
    ['POST /mcp, application/json, Content-Length', { body: LIST }, 'front'],
    ['POST /mcp/', { path: '/mcp/', body: LIST }, 'front'],
    ['POST /mcp?x=1', { path: '/mcp?x=1', body: LIST }, 'front'],
    ['charset=utf-8', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: LIST }, 'front'],
    ['charset="UTF-8", type in capitals', { headers: { 'content-type': 'Application/JSON;charset="UTF-8"' }, body: LIST }, 'front'],
    ['Content-Encoding identity', { headers: { ...JSON_TYPE, 'content-encoding': 'identity' }, body: LIST }, 'front'],
    ['body exactly at the limit', { body: `${LIST}${' '.repeat(MAX_BODY_BYTES - LIST.length)}` }, 'front'],
    ['body one byte over the limit', { body: `${LIST}${' '.repeat(MAX_BODY_BYTES - LIST.length + 1)}` }, 'express'],
    ['chunked body', { body: LIST, chunked: true }, 'express'],
    ['empty body', { body: '' }, 'express'],
    ['Content-Encoding gzip', { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: LIST }, 'express'],
    ['charset latin1', { headers: { 'content-type': 'application/json; charset=latin1' }, body: LIST }, 'express'],
    ['text/plain', { headers: { 'content-type': 'text/plain' }, body: LIST }, 'express'],
    ['application/vnd.api+json', { headers: { 'content-type': 'application/vnd.api+json' }, body: LIST }, 'express'],
    ['no Content-Type', { headers: {}, body: LIST }, 'express'],
    ['GET /mcp', { method: 'GET', headers: {} }, 'express'],
    ['OPTIONS /mcp', { method: 'OPTIONS', headers: { origin: 'https://a.example' } }, 'express'],
    ['PUT /mcp with JSON', { method: 'PUT', body: LIST }, 'express'],
    ['POST /MCP', { path: '/MCP', body: LIST }, 'express'],
    ['POST /mcp//', { path: '/mcp//', body: LIST }, 'express'],
    ['POST /token', { path: '/token', body: LIST }, 'express'],
  ];
  it.each(cases)('%s -> %s', async (_name, sent, expected) => {
    const seen = await send(sent);
    expect(seen.servedBy).toBe(expected);
    // Express (here the fallback) passes the body on unread; the front adds the security headers Express would.
    if (expected === 'express') expect(seen.body).toBe(sent.body ?? '');
    else expect(seen.securityHeader).toBe('nosniff');
  });
});

describe('a body the front takes is parsed as express.json({ strict: true }) parses it', () => {
  const cases: readonly [string, string, BodyRead][] = [
    ['an object', LIST, { ok: true, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }],
    ['an array (a batch)', `[${LIST}]`, { ok: true, body: [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }] }],
    ['surrounding whitespace', ` \r\n${LIST}\t `, { ok: true, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }],
    ['a leading byte order mark', `\uFEFF${LIST}`, { ok: true, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }],
    ['multi-byte UTF-8', '{"name":"Zürich €"}', { ok: true, body: { name: 'Zürich €' } }],
    ['invalid JSON', '{"jsonrpc":', { ok: false, status: 400 }],
    ['two documents', '{}{}', { ok: false, status: 400 }],
    ['null (strict mode)', 'null', { ok: false, status: 400 }],
    ['a number (strict mode)', '42', { ok: false, status: 400 }],
    ['a string (strict mode)', '"tools/list"', { ok: false, status: 400 }],
    ['whitespace only', '   ', { ok: false, status: 400 }],
  ];
  it.each(cases)('%s', async (_name, body, expected) => {
    const seen = await send({ body });
    expect(seen.servedBy).toBe('front');
    expect(seen.body).toEqual(expected);
  });
});
