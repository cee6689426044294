/**
 * The redirect URI of a desktop or command-line MCP client: a loopback HTTP
 * server that records each authorization response it receives and shows a
 * small "you can close this window" page, as Claude Code does.
 */
import { createServer } from 'node:http';
import { closeServer } from '../../../testkit/harness.js';
import { boundPort } from '../../../build/free-port.js';

export interface LoopbackCallback {
  /** `http://127.0.0.1:<port>/callback` */
  readonly redirectUri: string;
  /** Every authorization response received at /callback, newest last. */
  readonly received: URL[];
  close(): Promise<void>;
}

export async function startLoopbackCallback(): Promise<LoopbackCallback> {
  const received: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    received.push(url);
    const ok = url.searchParams.has('code');
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>MCP client</title><h1>${ok ? 'Connected to Aries' : 'Connection failed'}</h1><p>You can close this window.</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  return { redirectUri: `http://127.0.0.1:${port}/callback`, received, close: () => closeServer(server) };
}
