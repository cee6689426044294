/**
 * One HTTP/1.1 request with full control over the header list (a forged
 * `Host`, no `Host` at all, the same header twice), which `fetch` does not
 * allow. Resolves with the status, headers and body text; a connection the
 * server drops resolves with status 0.
 */
import { request } from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export function rawHttp(url: string, options: { method?: string; headers: readonly (readonly [string, string])[]; body?: string }): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'POST',
        path: `${target.pathname}${target.search}`,
        setHost: false,
        headers: options.headers.flat(),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 0, headers: {}, text: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, headers: {}, text: '' }));
    req.end(options.body);
  });
}
