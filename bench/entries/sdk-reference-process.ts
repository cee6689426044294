/**
 * Bench-only entry: the SDK-only reference server. What an MCP server built
 * straight on the official SDK costs when its one tool does nothing but one
 * fetch: `McpServer` with `get_quote {symbol}` (zod input schema), served by
 * `createMcpHandler(factory, { legacy: 'stateless' })` through
 * `toNodeHandler` on a bare `node:http` server, calling
 * `GET /v1/stocks/last-quote` on BENCH_ARIES_URL with the static Aries token
 * BENCH_ARIES_TOKEN. No auth, no validation beyond the SDK's, no logging, no
 * shaping: the gateway should cost less per call than this. Prints one JSON
 * ready line to stderr; stops on SIGTERM.
 */
import { createServer } from 'node:http';
import { boundPort } from '../../build/free-port.js';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const upstream = process.env.BENCH_ARIES_URL ?? 'http://127.0.0.1:4010';
const token = process.env.BENCH_ARIES_TOKEN ?? '';

function buildServer(): McpServer {
  const server = new McpServer({ name: 'sdk-reference', version: '1.0.0' });
  server.registerTool('get_quote', { description: 'Last quote for a symbol.', inputSchema: z.object({ symbol: z.string() }) }, async ({ symbol }) => {
    const answer = await fetch(`${upstream}/v1/stocks/last-quote?ticker=${encodeURIComponent(symbol)}`, { headers: { authorization: `Bearer ${token}` } });
    const body: unknown = await answer.json();
    return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: !answer.ok };
  });
  return server;
}

const handler = toNodeHandler(createMcpHandler(buildServer, { legacy: 'stateless' }));
const server = createServer((req, res) => {
  handler(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
process.stderr.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${boundPort(server)}/mcp` })}\n`);
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
