/**
 * The `Request` and `Response` openapi-fetch exchanges with the upstream
 * transport (`keep-alive-fetch.ts`), holding their bodies as strings instead
 * of web streams.
 *
 * Why: openapi-fetch builds one `Request` per call (its `Request` option
 * exists for a custom class) and the transport hands back one `Response`.
 * Node's own classes set up a `ReadableStream` for each body, a dependent
 * `AbortSignal` for each request and a transferable wrapper for each; the
 * bench profile put that at about a sixth of the gateway's CPU per tool
 * call (`npm run bench -- --profile`, layer "web streams, AbortSignal"),
 * for bodies that are a JSON string already in memory. These classes keep
 * the parts a call uses as plain fields and create the standard object
 * only when something asks for a stream (`body`, `clone()`, `blob()`, ...).
 *
 * What they keep of the Fetch standard: the method is normalized
 * (`get` → `GET`), headers are copied into a `Headers`, the signal is the
 * caller's own (aborting it aborts the call), a body is read once
 * (a second read is a TypeError), UTF-8 decoding drops a leading byte order
 * mark, `ok` is 200–299, and null-body statuses have an empty body.
 * What they do not do: take a `Request` as input, or bodies other than text
 * (`BufferedRequest` passes any other body, such as `FormData`, to the
 * standard `Request` it wraps, and the transport reads it from there).
 */

const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

/** A `Request` over a URL and an optional text body (what openapi-fetch builds for a JSON API). */
export class BufferedRequest implements Request {
  readonly url: string;
  /** The parsed URL, so the transport does not parse `url` again. */
  readonly target: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly redirect: RequestRedirect;
  readonly cache: RequestCache = 'default';
  readonly credentials: RequestCredentials = 'same-origin';
  readonly destination: RequestDestination = '';
  readonly integrity: string = '';
  readonly keepalive: boolean = false;
  readonly mode: RequestMode = 'cors';
  readonly referrer: string = 'about:client';
  readonly referrerPolicy: ReferrerPolicy = '';
  /** The body as text, sent as is; `undefined` without a body or when it is not text (then `standard()` holds it). */
  readonly textBody: string | undefined;
  /** The body is not text: the transport reads it from `standard()`. */
  readonly encodedByStandard: boolean;
  #standard: Request | undefined;
  readonly #init: RequestInit;

  constructor(input: RequestInfo | URL, init: RequestInit = {}) {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('BufferedRequest takes a URL, not a Request');
    this.target = new URL(input);
    this.url = this.target.href;
    const method = init.method ?? 'GET';
    const upper = method.toUpperCase();
    this.method = NORMALIZED_METHODS.has(upper) ? upper : method;
    this.headers = new Headers(init.headers);
    this.signal = init.signal ?? new AbortController().signal;
    this.redirect = init.redirect ?? 'follow';
    this.#init = init;
    const body = init.body;
    this.textBody = typeof body === 'string' ? body : undefined;
    this.encodedByStandard = body !== undefined && body !== null && typeof body !== 'string';
    if (typeof body === 'string') {
      if (this.method === 'GET' || this.method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      if (!this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
    } else if (this.encodedByStandard) {
      // FormData, URLSearchParams, Blob, streams: the standard class encodes them and sets their Content-Type.
      this.standard().headers.forEach((value, name) => this.headers.set(name, value));
    }
  }

  /** The standard `Request` with the same URL, method, headers, body and signal, made on first use. */
  standard(): Request {
    this.#standard ??= new Request(this.url, { ...this.#init, method: this.method, headers: this.headers, signal: this.signal, redirect: this.redirect });
    return this.#standard;
  }

  get duplex(): 'half' {
    return 'half';
  }
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.standard().body;
  }
  get bodyUsed(): boolean {
    return this.#standard?.bodyUsed ?? false;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.standard().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.standard().blob();
  }
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.standard().bytes();
  }
  formData(): Promise<FormData> {
    return this.standard().formData();
  }
  json(): Promise<unknown> {
    return this.standard().json();
  }
  text(): Promise<string> {
    return this.standard().text();
  }
  clone(): Request {
    return this.standard().clone();
  }
}

/** The body a transport sends for `input`: a `BufferedRequest`'s text as it is, else the bytes of the standard body. */
export async function bodyToSend(input: Request): Promise<string | Buffer | undefined> {
  if (input instanceof BufferedRequest && !input.encodedByStandard) return input.textBody;
  const source = input instanceof BufferedRequest ? input.standard() : input;
  return source.body === null ? undefined : Buffer.from(await source.arrayBuffer());
}

/** Statuses whose `Response` has a null body (Fetch: null body status). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/** A `Response` over a body already read as text. */
export class BufferedResponse implements Response {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly type: ResponseType = 'basic';
  readonly redirected: boolean = false;
  /** The body as received, for the stream-based readers. */
  readonly #raw: string;
  /** The body decoded as UTF-8 is (a leading byte order mark dropped). */
  readonly #text: string;
  #used = false;
  #standard: Response | undefined;

  constructor(text: string, init: { status: number; statusText?: string; headers: Headers; url: string }) {
    this.status = init.status;
    this.statusText = init.statusText ?? '';
    this.headers = init.headers;
    this.url = init.url;
    this.#raw = NULL_BODY_STATUSES.has(init.status) ? '' : text;
    this.#text = this.#raw.charCodeAt(0) === 0xfeff ? this.#raw.slice(1) : this.#raw;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  get bodyUsed(): boolean {
    return this.#used || (this.#standard?.bodyUsed ?? false);
  }
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#standardResponse().body;
  }

  async text(): Promise<string> {
    this.#take();
    return this.#text;
  }
  async json(): Promise<unknown> {
    this.#take();
    return JSON.parse(this.#text);
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#standardResponse().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.#standardResponse().blob();
  }
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#standardResponse().bytes();
  }
  formData(): Promise<FormData> {
    return this.#standardResponse().formData();
  }
  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#raw, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers), url: this.url });
  }

  #take(): void {
    // A null body is never used up: every read answers the empty string (Fetch: "consume body" on a null body).
    if (NULL_BODY_STATUSES.has(this.status)) return;
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
  }

  /** The standard `Response` over the same text, for the stream-based readers; reading it uses this body up. */
  #standardResponse(): Response {
    if (this.#standard === undefined) {
      if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
      this.#standard = new Response(NULL_BODY_STATUSES.has(this.status) ? null : this.#raw, {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
      });
    }
    return this.#standard;
  }
}
