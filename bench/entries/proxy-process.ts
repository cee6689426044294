/**
 * Bench-only entry: the floor for "one more hop". A bare `node:http`
 * pass-through proxy on 127.0.0.1:0 that forwards every request to
 * BENCH_ARIES_URL over a keep-alive agent and streams the answer back: no
 * MCP, no auth, no validation, no logging. The gateway cannot cost less than
 * this, so its ratios to the direct call show how much of the gateway's
 * figure any extra process on the path would cost on this machine. Prints
 * one JSON ready line to stderr; stops on SIGTERM.
 */
import { Agent, createServer, request } from 'node:http';
import { boundPort } from '../../build/free-port.js';

const upstream = new URL(process.env.BENCH_ARIES_URL ?? 'http://127.0.0.1:4010');
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const headers = { ...req.headers, host: upstream.host };
  const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(forward);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
process.stderr.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${boundPort(server)}` })}\n`);
process.once('SIGTERM', () => {
  agent.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
