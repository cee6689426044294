/**
 * The `fetch` openapi-fetch calls Aries with: Node's own `http`/`https`
 * client on one keep-alive `Agent` per protocol, instead of the global
 * `fetch`.
 *
 * Why: the WHATWG fetch algorithm (Node's bundled undici `fetch`) costs
 * markedly more CPU per call than a plain `http.request` (web streams for
 * both bodies, the fetch controller, response bookkeeping); `npm run bench --
 * --only=upstream` measures the two on the same upstream. openapi-fetch keeps
 * typing the calls; only the transport underneath changes. Node's `http`
 * rather than the `undici` package's `request`: loading the `undici` package
 * installs its own agent as the process-wide dispatcher of the global `fetch`,
 * which then breaks requests the bundled `fetch` builds (an explicit
 * `Content-Length` is refused by the newer agent), a side effect no library
 * of ours may have.
 *
 * What it does: takes the `Request` openapi-fetch built (a `BufferedRequest`,
 * `buffered-messages.ts`, whose body is already text; any other `Request` is
 * read through its stream), sends its method, URL, headers and body, reads
 * the answer once as text and hands back a `BufferedResponse` over that text
 * (openapi-fetch then parses it once), with no web stream on either side.
 * The request's signal aborts the call (tool timeout and MCP cancellation); a
 * transport failure rejects with Node's error and its code (`ECONNRESET`,
 * `ECONNREFUSED`, ...), as `aries-client.ts` expects.
 * What it does not do: redirects (Aries does not redirect; a 3xx is an
 * answer), cookies, caching, or decompression (it asks for identity).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { bodyToSend, BufferedRequest, BufferedResponse } from './buffered-messages.js';

export interface KeepAliveFetch {
  readonly fetch: (input: Request) => Promise<Response>;
  /** Closes the idle kept-alive sockets. */
  close(): void;
}

/**
 * How long an idle socket is kept. Node's agent lets it go earlier when the
 * server announces a shorter `Keep-Alive: timeout` (minus a safety margin),
 * but only when this is set: without it an idle socket lives until the server
 * closes it, and a request sent at that moment fails with ECONNRESET.
 */
const IDLE_SOCKET_MS = 4_000;

export function createKeepAliveFetch(): KeepAliveFetch {
  const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' } as const;
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);

  async function send(input: Request): Promise<Response> {
    const url = input instanceof BufferedRequest ? input.target : new URL(input.url);
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await bodyToSend(input);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const secure = url.protocol === 'https:';
    const options = { method: input.method, headers, agent: secure ? https : http, signal: input.signal };
    return new Promise<Response>((resolve, reject) => {
      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const answer = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) answer.append(raw[i], raw[i + 1]);
          const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
          resolve(new BufferedResponse(text, { status: res.statusCode ?? 0, statusText: res.statusMessage, headers: answer, url: url.href }));
        });
      };
      const req = secure ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
      req.once('error', reject);
      req.end(body);
    });
  }

  return {
    fetch: send,
    close: () => {
      http.destroy();
      https.destroy();
    },
  };
}
