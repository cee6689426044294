/**
 * The HTTP front of the gateway: takes the `/mcp` POSTs whose body it can read
 * exactly as `express.json` would, straight from Node's `http` request, and
 * passes every other request to Express untouched (body unread).
 *
 * Taken (all must hold; checked on headers alone, before a byte is read):
 * - `POST` to `/mcp` or `/mcp/` (a query string allowed), written exactly so
 *   (Express would also match `/MCP`; it still serves those);
 * - `Content-Type` `application/json`, optionally `; charset=utf-8` (what
 *   `express.json` parses without a charset conversion, and what the SDK's
 *   `isJsonContentType` accepts);
 * - a `Content-Length` from 1 to `maxBodyBytes`, no `Transfer-Encoding` and no
 *   `Content-Encoding` other than `identity` (chunked, compressed, empty and
 *   oversized bodies are `express.json`'s to answer: 413, inflation, `{}`).
 * A taken request is served by the same endpoint as the Express route
 * (`createMcpEndpoint` in `runtime/mcp/handler.ts`: request id, Origin, CORS,
 * grant, method, body, JSON depth, then the era dispatcher and its lean path),
 * with the security headers Express would have added first. Its body is read
 * once, as `express.json({ strict: true })` reads it: UTF-8 with a leading BOM
 * dropped, `JSON.parse`, and only an object or an array accepted (anything
 * else is the endpoint's 400 parse error, as body-parser's strict mode).
 * A failure the endpoint does not answer itself goes to `onError` (the app's
 * 500 answer), as Express's error handler would.
 *
 * What it does not do: decide anything about MCP, or serve any other route.
 * It exists because Express's own request handling (prototype swaps, the
 * router walk, body-parser's stream plumbing) was a measurable part of a tool
 * call (`docs/fast-path.md`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { BodyRead, McpEndpoint } from '../mcp/handler.js';

export interface McpFrontOptions {
  readonly endpoint: McpEndpoint;
  readonly maxBodyBytes: number;
  /** Sets the headers every answer carries (`security-headers.ts`), as the Express app's first middleware does. */
  readonly securityHeaders: (req: IncomingMessage, res: ServerResponse) => void;
  /** Answers a failure the endpoint threw (the app's Express error handler). */
  readonly onError: (error: unknown, res: ServerResponse) => void;
}

const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;
const UTF8_BOM = 0xfeff;

/** A request listener: the front first, `fallback` (the Express app) for everything it does not take. */
export function createMcpFront(options: McpFrontOptions, fallback: RequestListener): RequestListener {
  return (req, res) => {
    const length = takenLength(req, options.maxBodyBytes);
    if (length === undefined) {
      fallback(req, res);
      return;
    }
    options.securityHeaders(req, res);
    options.endpoint
      .serve(req, res, () => readJsonBody(req, length))
      .catch((error: unknown) => {
        options.onError(error, res);
      });
  };
}

/** The declared body length when the front takes the request, else `undefined`. */
export function takenLength(req: IncomingMessage, maxBodyBytes: number): number | undefined {
  if (req.method !== 'POST' || !isMcpPath(req.url)) return undefined;
  const { headers } = req;
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const type = headers['content-type'];
  if (type === undefined || !JSON_CONTENT_TYPE.test(type)) return undefined;
  const declared = headers['content-length'];
  if (declared === undefined || !/^[0-9]{1,15}$/.test(declared)) return undefined;
  const length = Number(declared);
  return length >= 1 && length <= maxBodyBytes ? length : undefined;
}

function isMcpPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path === '/mcp' || path === '/mcp/';
}

/** Reads the body once (Node already holds it to `Content-Length`) and parses it as `express.json({ strict: true })` does. */
function readJsonBody(req: IncomingMessage, length: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (received !== length) {
        resolve({ ok: false, status: 400 });
        return;
      }
      resolve(parseStrict(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, received)));
    });
    // An aborted or broken request: body-parser answers 400 (nobody is left to read it).
    req.once('error', () => resolve({ ok: false, status: 400 }));
  });
}

function parseStrict(raw: Buffer): BodyRead {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === UTF8_BOM) text = text.slice(1);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: 400 };
  }
  // body-parser's strict mode: the JSON text must start with `{` or `[`.
  return typeof body === 'object' && body !== null ? { ok: true, body } : { ok: false, status: 400 };
}
