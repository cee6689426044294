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
 * What it does: takes the `Request` openapi-fetch built, sends its method,
 * URL, headers and body, reads the answer once as text and hands back a
 * `Response` over that text (openapi-fetch then parses it once). That
 * `Response` answers `text()` and `json()` from the text it holds
 * (`BufferedResponse`), not through a web stream over a copy of it: the
 * profile showed the stream plumbing (`consumeBody`, `fullyReadBody`) as a
 * visible share of a tool call, for a body that was already in memory. The
 * request's signal aborts the call (tool timeout and MCP cancellation); a
 * transport failure rejects with Node's error and its code (`ECONNRESET`,
 * `ECONNREFUSED`, ...), as `aries-client.ts` expects.
 * What it does not do: redirects (Aries does not redirect; a 3xx is an
 * answer), cookies, caching, or decompression (it asks for identity).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Statuses whose `Response` must have a null body (Fetch: null body status). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

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
    const url = new URL(input.url);
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = input.body === null ? undefined : Buffer.from(await input.arrayBuffer());
    if (body !== undefined) headers['content-length'] = String(body.length);
    const secure = url.protocol === 'https:';
    const options = { method: input.method, headers, agent: secure ? https : http, signal: input.signal };
    return new Promise<Response>((resolve, reject) => {
      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const item of value) answer.append(name, item);
            else if (value !== undefined) answer.set(name, value);
          }
          try {
            resolve(
              NULL_BODY_STATUSES.has(status)
                ? new Response(null, { status, headers: answer })
                : new (bufferedResponse ??= defineBufferedResponse())(Buffer.concat(chunks).toString('utf8'), status, answer),
            );
          } catch (error) {
            reject(error);
          }
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

/**
 * A `Response` over a body already read: `text()` and `json()` answer from the string, as the Fetch standard's body
 * mixin would (UTF-8 decoding drops a leading byte order mark; a body is read once, a second read is a TypeError).
 * `body`, `arrayBuffer()`, `blob()` and `clone()` still work on the same text through the standard `Response`.
 *
 * Defined on first use: `extends Response` reads the global `Response`, which loads Node's bundled undici, a visible
 * share of a cold start that nothing before the first upstream call needs.
 */
let bufferedResponse: ReturnType<typeof defineBufferedResponse> | undefined;

function defineBufferedResponse() {
  return class BufferedResponse extends Response {
    readonly #text: string;
    #read = false;

    constructor(text: string, status: number, headers: Headers) {
      super(text, { status, headers });
      this.#text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }

    override async text(): Promise<string> {
      this.#take();
      return this.#text;
    }

    override async json(): Promise<unknown> {
      this.#take();
      return JSON.parse(this.#text);
    }

    #take(): void {
      if (this.#read || this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
      this.#read = true;
    }
  };
}
