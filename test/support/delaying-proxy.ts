/**
 * An HTTP pass-through in front of an upstream that can hold back the answer
 * to the next matching request: the upstream receives and processes the
 * request at once, only the response is late. This models "Aries placed the
 * order but the gateway stopped waiting", which a request-side latency fault
 * cannot (the upstream would never read a body its caller abandoned).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { boundPort } from '../../build/free-port.js';

export interface DelayingProxy {
  readonly url: string;
  /** Delays the response to the next `method path` request by `ms`. */
  delayNext(method: string, path: string, ms: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export async function startDelayingProxy(target: string): Promise<DelayingProxy> {
  const delays: { method: string; path: string; ms: number }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', target);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
      const upstream = await fetch(url, { method: req.method, headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
      const text = await upstream.text();
      const index = delays.findIndex((delay) => delay.method === req.method && delay.path === url.pathname);
      if (index >= 0) {
        const [delay] = delays.splice(index, 1);
        await new Promise((resolve) => setTimeout(resolve, delay.ms));
      }
      if (res.destroyed) return;
      const answer: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') answer[name] = value;
      });
      res.writeHead(upstream.status, answer);
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  return {
    url: `http://127.0.0.1:${port}`,
    delayNext: (method, path, ms) => delays.push({ method, path, ms }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
