/**
 * The one shared openapi-fetch client and a single upstream call through it.
 *
 * The client types every call (openapi-fetch over the generated paths) and
 * sends it through Node's `http` client on a keep-alive agent
 * (`keep-alive-fetch.ts`): measured cheaper per call than the global `fetch`
 * (`npm run bench -- --only=upstream`). openapi-fetch builds each request as
 * a `BufferedRequest` and gets a `BufferedResponse` back
 * (`buffered-messages.ts`: bodies held as text, no web streams); the body is
 * read once, as text, and parsed once by openapi-fetch.
 *
 * `callUpstream` runs a generated `invoke` with the caller's bearer token and
 * a signal that fires on the tool timeout or when the MCP request is
 * cancelled, measures latency, and classifies the outcome: a 2xx body, an
 * HTTP error (status, parsed body, Retry-After), a timeout, a cancellation, a
 * transport failure (with its `ECONNRESET`-style code) or an unparseable body.
 * It never throws for upstream trouble and never retries: retry policy
 * (only the one 401 refresh) belongs to `call-tool.ts`.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { ToolArguments, ToolInvoke } from '../contract/tool-definition.js';
import type { UpstreamFailure } from './map-upstream-error.js';
import { BufferedRequest } from './buffered-messages.js';
import { createKeepAliveFetch } from './keep-alive-fetch.js';

export interface AriesClient<Paths extends object> {
  readonly client: Client<Paths>;
  /** Closes the kept-alive upstream connections. */
  close(): void;
}

export function createAriesClient<Paths extends object>(baseUrl: string): AriesClient<Paths> {
  const transport = createKeepAliveFetch();
  return { client: createClient<Paths>({ baseUrl, fetch: transport.fetch, Request: BufferedRequest }), close: transport.close };
}

export type UpstreamOutcome = ({ readonly kind: 'ok'; readonly status: number; readonly body: unknown } | UpstreamFailure) & {
  readonly latencyMs: number;
};

export interface UpstreamCall {
  readonly accessToken: string;
  readonly requestId: string;
  readonly timeoutMs: number;
  /** The MCP request's cancellation signal. */
  readonly signal: AbortSignal;
}

export async function callUpstream<C>(invoke: ToolInvoke<C>, client: C, args: ToolArguments, call: UpstreamCall): Promise<UpstreamOutcome> {
  // One controller fired by either the timeout or the MCP cancellation; `AbortSignal.any` does the same but costs several times more on Node 20.
  const upstream = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    upstream.abort(new DOMException('Upstream timeout', 'TimeoutError'));
  }, call.timeoutMs);
  const cancel = (): void => upstream.abort(call.signal.reason);
  if (call.signal.aborted) cancel();
  else call.signal.addEventListener('abort', cancel, { once: true });
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const result = await invoke(client, args, {
      signal: upstream.signal,
      headers: { Authorization: `Bearer ${call.accessToken}`, 'X-Request-Id': call.requestId },
    });
    const { status } = result.response;
    if (result.response.ok) return { kind: 'ok', status, body: result.data, latencyMs: elapsed() };
    return { kind: 'http', status, body: result.error, retryAfter: result.response.headers.get('retry-after'), latencyMs: elapsed() };
  } catch (error) {
    if (timedOut) return { kind: 'timeout', timeoutMs: call.timeoutMs, latencyMs: elapsed() };
    if (call.signal.aborted) return { kind: 'cancelled', latencyMs: elapsed() };
    if (error instanceof SyntaxError) return { kind: 'bad_response', latencyMs: elapsed() };
    return { kind: 'network', code: transportErrorCode(error), latencyMs: elapsed() };
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', cancel);
  }
}

/** The system code of a transport failure, also behind a `fetch failed` TypeError (`ECONNRESET`, `UND_ERR_SOCKET`, ...). */
function transportErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code: unknown = Reflect.get(current, 'code');
    if (typeof code === 'string') return code;
  }
  return undefined;
}
