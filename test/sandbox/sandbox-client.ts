/**
 * Test helpers that drive a sandbox over HTTP the way a client would: start
 * it on 127.0.0.1:0, walk the browser authorization pages (fetch with
 * `redirect: 'manual'`, forms read from the HTML), call the JSON backend,
 * exchange codes and call the API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSandbox, type ListeningSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/app.js';
import { z } from 'zod';
import { readJsonObject } from '../../testkit/json-body.js';

/** An Aries 400: `codes` lists the fields refused (the tests read `field`). */
export const errorCodes = z.looseObject({ codes: z.array(z.looseObject({ field: z.string() })) });
/** A client created with POST /admin/clients (confidential: it has a secret). */
export const createdClient = z.looseObject({ client_id: z.string(), client_secret: z.string() });

export interface RunningSandbox {
  readonly sandbox: Sandbox;
  readonly server: ListeningSandbox;
  readonly url: string;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = createSandbox({ tickIntervalMs: 0, ...options });
  const server = await sandbox.listen(0, '127.0.0.1');
  return { sandbox, server, url: server.url };
}

export function pkcePair(method: 'S256' | 'plain' = 'S256'): { verifier: string; challenge: string; method: 'S256' | 'plain' } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return { verifier, challenge, method };
}

export interface HtmlForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

/** The first form of a page: its action and hidden/filled inputs. */
export function readForm(html: string): HtmlForm {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name && !/type="checkbox"/.test(input[0])) fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { action: form[1] ?? '', fields };
}

export async function postForm(baseUrl: string, form: HtmlForm, extra: Record<string, string>): Promise<Response> {
  return fetch(new URL(form.action, baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...extra }).toString(),
  });
}

export interface AuthorizeParams {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope?: string;
  readonly state?: string;
  readonly challenge?: { challenge: string; method: string };
}

export function authorizeUrl(baseUrl: string, p: AuthorizeParams, extra: Record<string, string> = {}): string {
  const url = new URL('/oauth2/authorize', baseUrl);
  const params: Record<string, string> = { response_type: 'code', client_id: p.clientId, redirect_uri: p.redirectUri, ...extra };
  if (p.scope !== undefined) params.scope = p.scope;
  if (p.state !== undefined) params.state = p.state;
  if (p.challenge) {
    params.code_challenge = p.challenge.challenge;
    params.code_challenge_method = p.challenge.method;
  }
  url.search = new URLSearchParams(params).toString();
  return url.toString();
}

export interface PageWalk {
  /** Pages seen, in order: 'sign-in' | 'mfa' | 'consent'. */
  readonly pages: string[];
  /** The final redirect to the client. */
  readonly location: URL;
}

/** Walks sign-in (and MFA and consent when shown) and returns the redirect to the client. */
export async function walkAuthorization(
  baseUrl: string,
  params: AuthorizeParams,
  credentials: { email: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<PageWalk> {
  const pages: string[] = [];
  const start = await fetch(authorizeUrl(baseUrl, params), { redirect: 'manual' });
  if (start.status !== 200) throw new Error(`authorize answered ${start.status}: ${await start.text()}`);
  pages.push('sign-in');
  let response = await postForm(baseUrl, readForm(await start.text()), credentials);
  for (let step = 0; step < 3 && response.status === 200; step += 1) {
    const html = await response.text();
    const form = readForm(html);
    if (form.action === '/oauth2/mfa') {
      pages.push('mfa');
      response = await postForm(baseUrl, form, { verification_code: '123456' });
    } else {
      pages.push('consent');
      response = await postForm(baseUrl, form, { decision });
    }
  }
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`expected a redirect, got ${response.status}: ${await response.text()}`);
  return { pages, location: new URL(location) };
}

export async function postToken(baseUrl: string, body: Record<string, string>, as: 'json' | 'form' = 'json', headers: Record<string, string> = {}) {
  const response = await fetch(new URL('/v1/oauth2/token', baseUrl), {
    method: 'POST',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  return { status: response.status, headers: response.headers, body: await readJsonObject(response) };
}

export async function postJson(baseUrl: string, path: string, body: unknown, token?: string) {
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await readJsonObject(response) };
}

export async function callApi(baseUrl: string, token: string | undefined, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A fresh access token for the demo client (confidential, through the JSON backend); the demo user unless `user` is given. */
export async function demoToken(
  running: RunningSandbox,
  scope?: string,
  user?: { email: string; password: string },
): Promise<{ accessToken: string; refreshToken: string; scope: string }> {
  const { demo } = running.sandbox;
  const redirectUri = demo.redirectUris[0] as string;
  const start = await postJson(running.url, '/v1/oauth2/authorize', {
    client_id: demo.clientId,
    email: user?.email ?? demo.email,
    password: user?.password ?? demo.password,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: scope ?? demo.scopes.join(' '),
  });
  const confirm = await postJson(running.url, '/v1/oauth2/authorize/confirm', { next_step_auth_id: start.body.next_step_auth_id });
  const token = await postToken(running.url, {
    grant_type: 'authorization_code',
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
    code: String(confirm.body.code),
    redirect_uri: redirectUri,
  });
  if (token.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(token.body)}`);
  return { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token), scope: String(token.body.scope) };
}

export async function admin(baseUrl: string, method: string, path: string, body?: unknown) {
  return callApi(baseUrl, undefined, method, path, body);
}
