/**
 * A tiny load balancer for replica tests: it listens first (its address is
 * the replicas' GATEWAY_PUBLIC_URL), then forwards each request to the next
 * replica in turn, streaming both ways and keeping the Host header, as a
 * real load balancer would. A path can be pinned to one replica to force a
 * step onto a chosen replica; every forwarded request is logged with the
 * replica that served it.
 */
import { createServer, request } from 'node:http';
import { closeServer } from '../../../testkit/harness.js';
import { boundPort } from '../../../build/free-port.js';

export interface Served {
  readonly method: string;
  readonly path: string;
  readonly replica: string;
}

export interface RoundRobinProxy {
  readonly url: string;
  readonly served: Served[];
  /** The replicas, by name, in turn order. */
  setReplicas(replicas: Readonly<Record<string, string>>): void;
  /** Sends every request for `path` to `replica` (until `unpin`). */
  pin(path: string, replica: string): void;
  unpin(path?: string): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let replicas: [string, URL][] = [];
  const pins = new Map<string, string>();
  const served: Served[] = [];
  let turn = 0;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const pinned = pins.get(path);
    const entry = pinned === undefined ? replicas[turn++ % replicas.length] : replicas.find(([name]) => name === pinned);
    if (entry === undefined) {
      res.writeHead(502).end('no replica');
      return;
    }
    const [name, target] = entry;
    served.push({ method: req.method ?? 'GET', path, replica: name });
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);

  return {
    url: `http://127.0.0.1:${port}`,
    served,
    setReplicas: (named) => {
      replicas = Object.entries(named).map(([name, url]) => [name, new URL(url)]);
    },
    pin: (path, replica) => pins.set(path, replica),
    unpin: (path) => (path === undefined ? pins.clear() : pins.delete(path)),
    close: () => closeServer(server),
  };
}
