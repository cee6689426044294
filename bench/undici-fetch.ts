/**
 * A `fetch` for openapi-fetch over undici's `request` on a keep-alive
 * `Agent`: the third candidate of the upstream-transport measurement (issue
 * 15 item 3), beside the global `fetch` and the gateway's `node:http`
 * keep-alive transport (`runtime/upstream/keep-alive-fetch.ts`), built the
 * same way (the `BufferedRequest` openapi-fetch makes in, a `BufferedResponse`
 * over the whole body out, `runtime/upstream/buffered-messages.ts`) so only
 * the transport differs.
 * Bench-only: the gateway keeps whichever the measurement finds cheaper.
 */
import { Agent, request } from 'undici';
import { bodyToSend, BufferedResponse } from '../runtime/upstream/buffered-messages.js';

export interface UndiciFetch {
  readonly fetch: (input: Request) => Promise<Response>;
  close(): Promise<void>;
}

export function createUndiciFetch(): UndiciFetch {
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  async function send(input: Request): Promise<Response> {
    const headers: Record<string, string> = {};
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await bodyToSend(input);
    const answer = await request(input.url, { method: input.method, headers, body, dispatcher: agent, signal: input.signal });
    const text = await answer.body.text();
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.set(name, value);
    }
    return new BufferedResponse(text, { status: answer.statusCode, headers: responseHeaders, url: input.url });
  }
  return { fetch: send, close: () => agent.close() };
}
