/**
 * Test harness for the OAuth proxy: the real sandbox as Aries, a small
 * Express app with `mountOAuth` and a stand-in protected route at `/mcp`
 * (resolves the grant, calls the sandbox's `GET /v1/users/me/accounts` with
 * the Aries token, refreshes once after a 401), and helpers that drive the
 * Aries sign-in through its HTML forms or its JSON backend with fetch.
 * Every server listens on 127.0.0.1:0.
 */
import { createServer, IncomingMessage, type Server } from 'node:http';
import { Socket } from 'node:net';
import express from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { createSandbox, type Sandbox } from '../sandbox/app.js';
import { unauthorizedResponse } from '../runtime/auth/challenge.js';
import { mountOAuth, type MountedOAuth, type OAuthOptions } from '../runtime/auth/mount-oauth.js';
import { loadOAuthConfig } from '../runtime/auth/oauth-config.js';
import { computeS256Challenge } from '../runtime/auth/pkce.js';
import { GrantRevokedError } from '../runtime/mcp/grant.js';
import type { Store } from '../runtime/store/store.js';
import type { AriesOAuthClient } from '../runtime/upstream/aries-oauth.js';
import { boundPort } from '../build/free-port.js';
import { parseJsonObject, readJsonAs, readJsonObject } from './json-body.js';

export const TOOL_SCOPES = ['account:information', 'market:information', 'order:execution', 'order:information', 'position:information'];
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/callback';

export interface RunningSandbox {
  readonly sandbox: Sandbox;
  readonly url: string;
  close(): Promise<void>;
}

export async function startSandbox(options: Parameters<typeof createSandbox>[0] = {}): Promise<RunningSandbox> {
  const sandbox = createSandbox({ tickIntervalMs: 0, ...options });
  const listening = await sandbox.listen(0);
  return { sandbox, url: listening.url, close: () => listening.close() };
}

/** Registers an OAuth client at the sandbox whose redirect URI is the gateway's callback. */
export async function createAriesClient(
  sandboxUrl: string,
  body: { redirect_uris: string[]; scopes?: string[]; public?: boolean; name?: string },
): Promise<{ clientId: string; clientSecret: string | null }> {
  const res = await fetch(`${sandboxUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: body.name ?? 'Claude MCP',
      scopes: body.scopes ?? TOOL_SCOPES,
      redirect_uris: body.redirect_uris,
      public: body.public ?? true,
    }),
  });
  if (res.status !== 201) throw new Error(`admin/clients: ${res.status} ${await res.text()}`);
  const json = await readJsonAs(res, z.looseObject({ client_id: z.string(), client_secret: z.string().nullable() }));
  return { clientId: json.client_id, clientSecret: json.client_secret };
}

export interface GatewayOptions {
  readonly sandboxUrl: string;
  readonly store?: Store;
  readonly now?: () => number;
  readonly env?: Readonly<Record<string, string>>;
  /** Wraps the real Aries client (to count or fail calls). */
  readonly wrapAries?: (real: AriesOAuthClient) => AriesOAuthClient;
  /** Public URL override (replicas behind one address); default the listening address. */
  readonly publicUrl?: string;
  readonly refreshWindowSeconds?: number;
  /** Where the OAuth proxy logs (default: silent). */
  readonly log?: Logger;
}

export interface RunningGateway {
  readonly url: string;
  readonly publicUrl: string;
  readonly oauth: MountedOAuth;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? url;
  const config = loadOAuthConfig({ GATEWAY_PUBLIC_URL: publicUrl, GATEWAY_ENCRYPTION_KEY: TEST_KEY, ...options.env }, { port, sandboxUrl: options.sandboxUrl });
  const app = express();
  let aries: AriesOAuthClient | undefined;
  if (options.wrapAries) {
    const { createAriesOAuthClient } = await import('../runtime/upstream/aries-oauth.js');
    aries = options.wrapAries(createAriesOAuthClient({ authorizeUrl: config.ariesAuthorizeUrl, tokenUrl: config.ariesTokenUrl }));
  }
  const mountOptions: OAuthOptions = {
    config,
    scopes: TOOL_SCOPES,
    store: options.store,
    now: options.now,
    aries,
    refreshWindowSeconds: options.refreshWindowSeconds,
    log: options.log,
  };
  const oauth = mountOAuth(app, mountOptions);
  app.all('/mcp', async (req, res) => {
    const grant = await oauth.grantResolver.resolve(req);
    if (grant === undefined) return unauthorizedResponse(res, publicUrl, TOOL_SCOPES);
    try {
      let token = await grant.accessToken();
      let upstream = await callAccounts(options.sandboxUrl, token);
      if (upstream.status === 401) {
        token = await grant.refreshAccessToken();
        upstream = await callAccounts(options.sandboxUrl, token);
      }
      res.json({ grantId: grant.grantId, scopes: grant.scopes, upstreamStatus: upstream.status, upstream: await upstream.json() });
    } catch (error) {
      if (error instanceof GrantRevokedError) return unauthorizedResponse(res, publicUrl, TOOL_SCOPES, 'invalid_token');
      res.status(502).json({ error: String(error) });
    }
  });
  server.on('request', app);
  return {
    url,
    publicUrl,
    oauth,
    close: async () => {
      await oauth.close();
      await closeServer(server);
    },
  };
}

function callAccounts(sandboxUrl: string, token: string): Promise<Response> {
  return fetch(`${sandboxUrl}/v1/users/me/accounts`, { headers: { authorization: `Bearer ${token}` } });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// ---- driving the flow -----------------------------------------------------------

export interface ClientRequest {
  readonly clientId: string;
  readonly redirectUri?: string;
  readonly state?: string;
  readonly verifier?: string;
  readonly scope?: string;
  readonly resource?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

export const VERIFIER = 'test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';

export function authorizeUrl(gatewayUrl: string, request: ClientRequest): string {
  const url = new URL(`${gatewayUrl}/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri ?? CLIENT_REDIRECT);
  url.searchParams.set('state', request.state ?? 'client-state-1');
  url.searchParams.set('code_challenge', computeS256Challenge(request.verifier ?? VERIFIER));
  url.searchParams.set('code_challenge_method', 'S256');
  if (request.scope !== undefined) url.searchParams.set('scope', request.scope);
  if (request.resource !== undefined) url.searchParams.set('resource', request.resource);
  for (const [name, value] of Object.entries(request.extra ?? {})) url.searchParams.set(name, value);
  return url.href;
}

/**
 * A browser's cookies, as far as the sign-in needs them (the gateway's
 * browser-binding cookie): scoped to the host (ports ignored, as browsers
 * do) and to a path prefix; `Max-Age=0` or a past `Expires` deletes.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { readonly host: string; readonly path: string; readonly value: string }>();

  store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const attribute = (key: string) => attributes.find((entry) => entry.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') ?? '/';
      const expired = attribute('max-age') === '0' || Date.parse(attribute('expires') ?? '') <= Date.now();
      const key = `${name}@${url.hostname}${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { host: url.hostname, path, value: pair.slice(separator + 1) });
    }
  }

  header(url: URL): string | undefined {
    const sent = [...this.cookies]
      .filter(([, cookie]) => cookie.host === url.hostname && url.pathname.startsWith(cookie.path))
      .map(([key, cookie]) => `${key.slice(0, key.indexOf('@'))}=${cookie.value}`);
    return sent.length === 0 ? undefined : sent.join('; ');
  }

  /** Names of the cookies held (tests). */
  get names(): string[] {
    return [...this.cookies.keys()].map((key) => key.slice(0, key.indexOf('@')));
  }
}

/** The browser every `visit` plays unless told otherwise (one per test file). */
export const defaultBrowser = new CookieJar();

/** GET (or `init`) without following redirects, carrying and keeping cookies like one browser (`jar`). */
export async function visit(url: string, init: RequestInit = {}, jar: CookieJar = defaultBrowser): Promise<Response> {
  const target = new URL(url);
  const cookie = jar.header(target);
  const headers = new Headers(init.headers);
  if (cookie !== undefined) headers.set('cookie', cookie);
  const res = await fetch(url, { redirect: 'manual', ...init, headers });
  jar.store(target, res);
  return res;
}

export function location(res: Response): URL {
  const value = res.headers.get('location');
  if (value === null) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value);
}

/**
 * Follows Aries' browser pages from its authorize URL: sign-in form, then consent (allow or deny).
 * Returns where Aries redirects the browser (the gateway's /auth/callback with code or error).
 */
export async function signInAtAries(
  ariesAuthorizeUrl: string,
  credentials: { email: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<URL> {
  const page = await visit(ariesAuthorizeUrl);
  if (page.status !== 200) throw new Error(`Aries authorize page: ${page.status} ${await page.text()}`);
  const origin = new URL(ariesAuthorizeUrl).origin;
  const txn = hiddenField(await page.text(), 'txn');
  const signedIn = await visit(`${origin}/oauth2/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ txn, email: credentials.email, password: credentials.password }),
  });
  if (signedIn.status === 302 || signedIn.status === 303) return location(signedIn);
  const consent = await signedIn.text();
  const stepId = hiddenField(consent, 'next_step_auth_id');
  const decided = await visit(`${origin}/oauth2/consent`, { method: 'POST', body: new URLSearchParams({ next_step_auth_id: stepId, decision }) });
  return location(decided);
}

/** The same through Aries' JSON backend (`POST /v1/oauth2/authorize` + `/confirm`). */
export async function signInViaAriesApi(ariesAuthorizeUrl: string, credentials: { email: string; password: string }): Promise<URL> {
  const authorize = new URL(ariesAuthorizeUrl);
  const params = Object.fromEntries(authorize.searchParams);
  const post = async <T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
    const res = await fetch(`${authorize.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return readJsonAs(res, schema);
  };
  const step = await post(
    '/v1/oauth2/authorize',
    { ...params, email: credentials.email, password: credentials.password },
    z.looseObject({ next_step_auth_id: z.string() }),
  );
  const confirmed = await post(
    '/v1/oauth2/authorize/confirm',
    { next_step_auth_id: step.next_step_auth_id },
    z.looseObject({ redirect_uri: z.string(), code: z.string() }),
  );
  const callback = new URL(confirmed.redirect_uri);
  callback.searchParams.set('code', confirmed.code);
  if (params['state'] !== undefined) callback.searchParams.set('state', params['state']);
  return callback;
}

function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no hidden field ${name} in page`);
  return match[1];
}

/** How a test answers the connection page: keep what it shows, allow everything (suites that test other things), or these fields on top of what it shows. */
export type ConnectionChoice = 'shown' | 'permissive' | Readonly<Record<string, string | readonly string[]>>;

/** The connection page's fields as the browser would send them (hidden, filled, checked). */
export function connectionPageFields(page: string): { connection: string; fields: Map<string, string[]>; choices: Map<string, string[]> } {
  const fields = new Map<string, string[]>();
  const choices = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, name: string, value: string) => map.set(name, [...(map.get(name) ?? []), value]);
  for (const match of page.matchAll(/<input type="(hidden|text|radio|checkbox)"(?: inputmode="decimal")? name="([a-z_]+)" value="([^"]*)"([^>]*)>/g)) {
    const [, type, name = '', value = '', rest = ''] = match;
    if (type === 'checkbox' || type === 'radio') add(choices, name, value);
    if (type === 'hidden' || type === 'text' || rest.includes(' checked')) add(fields, name, value.replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
  }
  return { connection: fields.get('connection')?.[0] ?? '', fields, choices };
}

/** Submits the connection page shown at /auth/callback (`page` is its response) and returns the gateway's answer. */
export async function answerConnectionPage(
  page: Response,
  gatewayUrl: string,
  choice: ConnectionChoice = 'shown',
  action: 'connect' | 'cancel' = 'connect',
  jar: CookieJar = defaultBrowser,
): Promise<Response> {
  const { fields, choices } = connectionPageFields(await page.text());
  if (choice === 'permissive') {
    for (const name of ['order_types', 'sides', 'instruments']) fields.set(name, choices.get(name) ?? []);
    fields.set('max_order_usd', ['10000000']);
    fields.set('max_daily_usd', ['10000000']);
    fields.set('access', ['trade']);
  } else if (choice !== 'shown') {
    for (const [name, value] of Object.entries(choice)) fields.set(name, typeof value === 'string' ? [value] : [...value]);
  }
  const body = new URLSearchParams();
  for (const [name, values] of fields) for (const value of values) body.append(name, value);
  body.set('action', action);
  return visit(`${gatewayUrl}/auth/callback`, { method: 'POST', body }, jar);
}

/** The whole browser leg: gateway /authorize -> Aries sign-in/consent -> gateway /auth/callback (-> the connection page, allowing everything) -> redirect to the client. */
export async function authorizeThroughGateway(
  gatewayUrl: string,
  request: ClientRequest,
  credentials: { email: string; password: string },
  via: 'pages' | 'api' = 'pages',
  guardrails: ConnectionChoice = 'permissive',
): Promise<URL> {
  const start = await visit(authorizeUrl(gatewayUrl, request));
  if (start.status !== 302) throw new Error(`gateway /authorize: ${start.status} ${await start.text()}`);
  const callback = via === 'pages' ? await signInAtAries(location(start).href, credentials) : await signInViaAriesApi(location(start).href, credentials);
  let back = await visit(rebase(callback, gatewayUrl));
  if (back.status === 200) back = await answerConnectionPage(back, gatewayUrl, guardrails);
  if (back.status !== 302 && back.status !== 303) throw new Error(`gateway /auth/callback: ${back.status} ${await back.text()}`);
  return location(back);
}

/** The same path and query on another origin (a replica behind the same public URL). */
export function rebase(url: URL, origin: string): string {
  return `${origin}${url.pathname}${url.search}`;
}

export async function postForm(
  url: string,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) body.set(name, value);
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : parseJsonObject(text), headers: res.headers };
}

export async function exchangeCode(gatewayUrl: string, code: string, clientId: string, overrides: Record<string, string | undefined> = {}) {
  return postForm(`${gatewayUrl}/token`, {
    grant_type: 'authorization_code',
    code,
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    code_verifier: VERIFIER,
    ...overrides,
  });
}

export async function callMcp(
  gatewayUrl: string,
  accessToken: string | undefined,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${gatewayUrl}/mcp`, { headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, body: await readJsonObject(res), headers: res.headers };
}

/** A bare request carrying only an Authorization header (for calling `GrantResolver.resolve` directly). */
export function requestWithBearer(token: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers.authorization = `Bearer ${token}`;
  return req;
}
