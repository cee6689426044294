/**
 * Garbage at every OAuth endpoint of the gateway, property-based (50 runs
 * per endpoint and body kind): `/authorize` (GET query and POST form),
 * `/auth/callback` (random and real pending states, Aries errors, codes),
 * `/token` and `/revoke` (form, JSON, repeated parameters, hostile HTTP
 * Basic, wrong content types; and a real code exchange with one parameter
 * replaced or repeated), `/register`, the discovery documents, with random
 * methods, and the connection page's form (`POST /auth/callback`) around a
 * real page in its own browser: each field (amounts with exponents, signs,
 * unicode digits, NaN, huge; unknown order types, sides and instruments)
 * replaced, repeated or left out, and oversized or non-form bodies; there
 * the answer must also be what the form means (`readGuardrailsForm`): the
 * page again naming each field, or the app's code with exactly those
 * guardrails stored (read back from the next connection page). Every answer:
 * - is not a 5xx (the store is memory, so 503 cannot be right either);
 * - is JSON with an `error` string, a page, a redirect or a document;
 * - at an OAuth route, is that route's own answer, so a deleted or
 *   mis-mounted route fails: never the app's 404, a JSON error only with an
 *   OAuth error code, and `/authorize` and `/auth/callback` (browser
 *   routes) answer with a page or a redirect, never JSON;
 * - carries a `Location` without CR/LF and only to an allowed redirect URI
 *   or to Aries;
 * - as HTML, carries a Content-Security-Policy with `frame-ancestors 'none'`;
 * - with the security-headers middleware applied in front of the app (as
 *   the one line in app.ts would), carries nosniff and no-referrer.
 * (A 431 for a request head over Node's 16 KiB comes from Node's parser
 * before any application code, so only its status is checked.)
 * Then: the gateway still completes a real sign-in; no error-level log line;
 * no secret in any log line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../generated/index.js';
import { readGuardrailsForm } from '../../runtime/guardrails/guardrails-form.js';
import { guardrailPolicy } from '../../runtime/guardrails/guardrails.js';
import {
  authorizeThroughGateway,
  authorizeUrl,
  CLIENT_REDIRECT,
  connectionPageFields,
  CookieJar,
  location,
  rebase,
  signInViaAriesApi,
  startSandbox,
  visit,
  type RunningSandbox,
} from '../../testkit/harness.js';
import { checkProperty } from './support/check-property.js';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { INJECTION, PROTOTYPE_KEYS, TRAVERSAL } from './support/hostile-values.js';
import { ALL_TOOL_SCOPES, startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';
import { readJsonObject } from '../../testkit/json-body.js';
import { isJsonObject } from '../../runtime/json-object.js';

const RUNS = 50;
const OAUTH_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'resource',
  'code',
  'code_verifier',
  'grant_type',
  'refresh_token',
  'client_secret',
  'token',
  'token_type_hint',
  'error',
  'error_description',
  'iss',
];

const hostileValue = fc.oneof(
  fc.constantFrom(
    ...TRAVERSAL,
    ...INJECTION,
    ...PROTOTYPE_KEYS,
    'code',
    'S256',
    'plain',
    'authorization_code',
    'refresh_token',
    CLIENT_REDIRECT,
    'https://claude.ai/api/mcp/auth_callback',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://127.0.0.1:1/cb#frag',
    'http://user:pw@127.0.0.1/cb',
    'https://evil.example/cb',
    '<script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    'agw_at_x',
    'agw_rt_x',
    'agw_code_x',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  fc.integer({ min: 300, max: 20_000 }).map((length) => 'x'.repeat(length)),
);
const paramName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...OAUTH_PARAMS) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'a[b]', 'a[]', '__proto__[x]') },
);
/** Parameter lists: names may repeat (`a=1&a=2`). */
const paramList = fc.array(fc.tuple(paramName, hostileValue), { maxLength: 8 });
/** Raw query fragments URLSearchParams would never produce. */
const rawQuerySuffix = fc.constantFrom(
  '',
  '&%zz=1',
  '&a=%E0%A4%A',
  '&%00=%00',
  '&=',
  '&&&',
  '&a[__proto__][x]=1',
  '&redirect_uri=http%3A%2F%2F127.0.0.1%0D%0ALocation:%20https://evil.example',
);

/**
 * The error codes an OAuth route answers with (RFC 6749 §4.1.2.1 and §5.2, RFC 7009 §2.2.1, RFC 7591
 * §3.2.2, RFC 8707 §2, and the gateway's own rate-limit code). The app's 404 fallback (`not_found`)
 * is not one of them.
 */
const OAUTH_ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'unsupported_token_type',
  'invalid_client_metadata',
  'invalid_target',
  'too_many_requests',
]);
/** Probes whose path is one OAuth route; `misc` also tries paths that do not exist. */
const BROWSER_ROUTES = new Set(['authorize', 'authorize-near', 'authorize-post', 'callback']);

function errorCodeOf(text: string): unknown {
  const body: unknown = JSON.parse(text);
  return typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
}

function encode(params: readonly [string, string][]): string {
  const search = new URLSearchParams();
  for (const [name, value] of params) search.append(name, value);
  return search.toString();
}

describe('hostile input at every OAuth endpoint', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  let gateway: RobustGateway;
  let clientId: string;
  let confidential: GatewayUser;
  const seen = new Map<string, number>();

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, securityHeaders: true, env: { OAUTH_RATE_LIMIT_PER_MINUTE: '100000' } });
    confidential = await connectUser({
      sandboxUrl: sandbox.url,
      gatewayUrl: gateway.url,
      publicUrl: gateway.publicUrl,
      ledger,
      confidential: true,
      label: 'oauth',
    });
    clientId = confidential.clientId;
  });

  afterAll(async () => {
    console.info(
      `OAuth answers by status: ${[...seen]
        .sort()
        .map(([key, count]) => `${key} x${count}`)
        .join(', ')}`,
    );
    await gateway?.close();
    await sandbox?.close();
  });

  /** Sends a request and checks the answer; throws for fast-check. */
  async function probe(label: string, path: string, init: RequestInit): Promise<Response> {
    return judge(label, path, init, await fetch(`${gateway.url}${path}`, { redirect: 'manual', ...init }));
  }

  /** Checks an answer (see the header); throws for fast-check. */
  async function judge(label: string, path: string, init: RequestInit, res: Response): Promise<Response> {
    const text = await res.clone().text();
    const type = res.headers.get('content-type') ?? '';
    seen.set(`${label} ${res.status}`, (seen.get(`${label} ${res.status}`) ?? 0) + 1);
    const fail = (why: string) => {
      throw new Error(`${label} ${init.method ?? 'GET'} ${path.slice(0, 200)} -> HTTP ${res.status}: ${why}\n${text.slice(0, 300)}`);
    };
    if (res.status >= 500) fail('5xx');
    // Node's HTTP parser answers an oversized request head itself (empty body, no app code ran).
    if (res.status === 431 && text === '') return res;
    if (res.headers.get('x-powered-by') !== null) fail('X-Powered-By present');
    if (res.headers.get('x-content-type-options') !== 'nosniff') fail('no X-Content-Type-Options: nosniff');
    if (res.headers.get('referrer-policy') !== 'no-referrer') fail('no Referrer-Policy: no-referrer');
    if (type.startsWith('text/html') && !/frame-ancestors 'none'/.test(res.headers.get('content-security-policy') ?? ''))
      fail("HTML without CSP frame-ancestors 'none'");
    if (type.startsWith('application/json') && res.status >= 400) {
      const body: unknown = JSON.parse(text);
      if (!isJsonObject(body) || typeof body['error'] !== 'string') fail('JSON error without an error code');
    }
    if (label !== 'misc') {
      if (res.status === 404) fail('404: the route did not answer (deleted, or mounted elsewhere)');
      if (type.startsWith('application/json') && res.status >= 400 && !OAUTH_ERROR_CODES.has(String(errorCodeOf(text))))
        fail('JSON error whose code is not an OAuth error code');
      if (BROWSER_ROUTES.has(label) && !(type.startsWith('text/html') || (res.status >= 300 && res.status < 400))) fail('neither a page nor a redirect');
    }
    if (res.status >= 300 && res.status < 400) {
      const target = res.headers.get('location') ?? '';
      if (/[\r\n]/.test(target)) fail('CR/LF in Location');
      const url = new URL(target, gateway.url);
      const allowed =
        url.href.startsWith(`${sandbox.url}/oauth2/authorize?`) ||
        (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) ||
        url.href.startsWith('https://claude.ai/api/mcp/auth_callback') ||
        url.href.startsWith('https://claude.com/api/mcp/auth_callback');
      if (!allowed) fail(`redirect to ${url.href.slice(0, 200)}`);
    }
    return res;
  }

  it('GET /authorize with random parameters', async () => {
    await checkProperty(
      fc.asyncProperty(paramList, rawQuerySuffix, fc.boolean(), async (params, suffix, html) => {
        await probe('authorize', `/authorize?${encode(params)}${suffix}`, { headers: html ? { accept: 'text/html' } : {} });
      }),
      { numRuns: RUNS, seed: 1 },
    );
  }, 60_000);

  it('GET /authorize around a valid request (one parameter replaced or repeated)', async () => {
    const valid = Object.fromEntries(new URL(authorizeUrl(gateway.url, { clientId, state: 'fuzz' })).searchParams);
    await checkProperty(
      fc.asyncProperty(fc.constantFrom(...Object.keys(valid)), hostileValue, fc.boolean(), fc.boolean(), async (name, value, repeat, html) => {
        const params = Object.entries(valid).map(([key, current]) => [key, key === name && !repeat ? value : current] as [string, string]);
        if (repeat) params.push([name, value]);
        await probe('authorize-near', `/authorize?${encode(params)}`, { headers: html ? { accept: 'text/html' } : {} });
      }),
      { numRuns: RUNS, seed: 2 },
    );
  }, 60_000);

  it('POST /authorize with random form bodies and content types', async () => {
    await checkProperty(
      fc.asyncProperty(
        paramList,
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'),
        async (params, type) => {
          await probe('authorize-post', '/authorize', {
            method: 'POST',
            headers: { 'content-type': type },
            body: type === 'application/json' ? JSON.stringify(Object.fromEntries(params)) : encode(params),
          });
        },
      ),
      { numRuns: RUNS, seed: 3 },
    );
  }, 60_000);

  it('GET /auth/callback with random, real and replayed states', async () => {
    const pendingState = async (): Promise<string> => {
      const toAries = await fetch(authorizeUrl(gateway.url, { clientId, state: 'cb-fuzz' }), { redirect: 'manual' });
      return location(toAries).searchParams.get('state') ?? '';
    };
    await checkProperty(
      fc.asyncProperty(paramList, fc.constantFrom('random', 'real', 'real-error'), async (params, kind) => {
        const extra: [string, string][] = kind === 'random' ? [] : [['state', await pendingState()]];
        if (kind === 'real-error') extra.push(['error', params[0]?.[1] ?? 'access_denied']);
        await probe('callback', `/auth/callback?${encode([...extra, ...params])}`, {});
      }),
      { numRuns: RUNS, seed: 4 },
    );
  }, 60_000);

  for (const endpoint of ['/token', '/revoke'] as const) {
    it(`POST ${endpoint} with random form and JSON bodies, repeated parameters and hostile Basic credentials`, async () => {
      const basic = fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(
          'Basic',
          'Basic !!!',
          'Basic ' + Buffer.from(':').toString('base64'),
          'Basic ' + Buffer.from('%zz:%zz').toString('base64'),
          'Basic ' + Buffer.from(`${clientId}:`).toString('base64'),
          'Bearer x',
          'Basic ' + 'A'.repeat(5_000),
        ),
        fc.string({ unit: 'binary', maxLength: 30 }).map((value) => `Basic ${Buffer.from(value).toString('base64')}`),
      );
      const jsonBody = fc.oneof(fc.jsonValue(), fc.dictionary(paramName, fc.oneof(hostileValue, fc.jsonValue()), { maxKeys: 6 }));
      await checkProperty(
        fc.asyncProperty(paramList, jsonBody, fc.constantFrom('form', 'json', 'bad-json', 'text', 'huge'), basic, async (params, json, kind, authorization) => {
          const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
          let body: string;
          if (kind === 'form') [headers['content-type'], body] = ['application/x-www-form-urlencoded', encode(params)];
          else if (kind === 'json') [headers['content-type'], body] = ['application/json', JSON.stringify(json) ?? 'null'];
          else if (kind === 'bad-json') [headers['content-type'], body] = ['application/json', '{"grant_type":'];
          else if (kind === 'huge')
            [headers['content-type'], body] = ['application/x-www-form-urlencoded', `grant_type=authorization_code&code=${'c'.repeat(40_000)}`];
          else [headers['content-type'], body] = ['text/plain', encode(params)];
          await probe(endpoint, endpoint, { method: 'POST', headers, body });
        }),
        { numRuns: RUNS, seed: endpoint.length },
      );
    }, 60_000);
  }

  it('POST /token around a real code exchange (one parameter replaced, repeated or sent as JSON)', async () => {
    await checkProperty(
      fc.asyncProperty(
        fc.constantFrom('grant_type', 'code', 'client_id', 'redirect_uri', 'code_verifier', 'client_secret', 'resource'),
        hostileValue,
        fc.constantFrom('replace', 'repeat', 'json'),
        async (name, value, how) => {
          const verifier = `verifier-${'v'.repeat(43)}`;
          const back = await authorizeThroughGateway(gateway.url, { clientId: confidential.clientId, verifier, state: 'near' }, confidential, 'api');
          const valid: [string, string][] = [
            ['grant_type', 'authorization_code'],
            ['code', back.searchParams.get('code') ?? ''],
            ['client_id', confidential.clientId],
            ['redirect_uri', CLIENT_REDIRECT],
            ['code_verifier', verifier],
            ['client_secret', confidential.clientSecret ?? ''],
            ['resource', `${gateway.publicUrl}/mcp`],
          ];
          // A secret the client typed must never show up in a log line, valid or not.
          if (name === 'client_secret') ledger.remember('client secret', value);
          const params = valid.map(([key, current]): [string, string] => [key, key === name && how !== 'repeat' ? value : current]);
          if (how === 'repeat') params.push([name, value]);
          const res = await probe(
            'token-near',
            '/token',
            how === 'json'
              ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(params)) }
              : { method: 'POST', body: new URLSearchParams(params) },
          );
          if (res.status === 200) ledger.remember('gateway access token', String((await readJsonObject(res.clone()))['access_token']));
        },
      ),
      { numRuns: RUNS, seed: 6 },
    );
  }, 60_000);

  it('/register, the discovery documents and odd methods on every endpoint', async () => {
    const paths = [
      '/register',
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-authorization-server/mcp',
      '/.well-known/openid-configuration',
      '/token',
      '/revoke',
      '/authorize',
      '/auth/callback',
      '/.well-known/../token',
      '/%2e%2e/token',
      '/auth/callback/../../authorize',
    ];
    await checkProperty(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        paramList,
        async (path, method, params) => {
          const body = method === 'GET' || method === 'OPTIONS' ? undefined : encode(params);
          await probe('misc', `${path}?${encode(params)}`, {
            method,
            body,
            headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
          });
        },
      ),
      { numRuns: RUNS * 2, seed: 5 },
    );
  }, 60_000);

  describe("the connection page's form (POST /auth/callback), around a real page in its own browser", () => {
    const policy = guardrailPolicy(tools.map((tool) => tool.definition));
    const GUARDRAIL_FIELDS = ['access', 'max_order_usd', 'max_daily_usd', 'order_types', 'sides', 'instruments'] as const;
    /** What a person, a broken client or an attacker types into an amount. */
    const amount = fc.oneof(
      fc.constantFrom(
        '1e3',
        '1E3',
        '1e400',
        '-5',
        '-0',
        '+1000',
        '0',
        '0.001',
        '.5',
        '1000.',
        '1,00',
        '1,0000',
        '1_000',
        '0x3E8',
        'NaN',
        'Infinity',
        '-Infinity',
        '',
        ' ',
        '99999999999999999999',
        '10,000,000.01',
        '10000000',
        '$ 1,000.50',
        '１０００',
        '١٠٠٠',
        '१०००',
        '1000\u0000',
        '1000\u202e',
        '<script>alert(1)</script>',
        '"><svg onload=alert(1)>',
        '1'.repeat(65),
      ),
      fc.integer({ min: -10, max: 20_000_000 }).map(String),
      // Valid amounts in every accepted spelling, so stored values are checked too.
      {
        weight: 8,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('plain', 'commas', 'dollar', 'cents'))
          .map(([dollars, cents, spelling]) =>
            spelling === 'plain'
              ? String(dollars)
              : spelling === 'commas'
                ? dollars.toLocaleString('en-US')
                : spelling === 'dollar'
                  ? `$${dollars}`
                  : `${dollars}.${String(cents).padStart(2, '0')}`,
          ),
      },
      hostileValue,
    );
    /** Per choice field, what the page offers; near misses and garbage for any. */
    const OFFERED = new Map<string, readonly string[]>([
      ['access', ['trade', 'read_only']],
      ['order_types', policy?.orderTypes ?? []],
      ['sides', policy?.sides ?? []],
      ['instruments', ['equity', 'option']],
    ]);
    const choiceFor = (field: string) =>
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...(OFFERED.get(field) ?? ['connect'])) },
        fc.constantFrom(
          'limit',
          'LIMIT ',
          'IOC',
          'FOK',
          'MARKET_ON_CLOSE',
          'SELL SHORT',
          'futures',
          'crypto',
          'Options',
          'READ_ONLY',
          'admin',
          ...PROTOTYPE_KEYS,
        ),
        hostileValue,
      );
    const mutation = fc
      .oneof(
        { weight: 8, arbitrary: fc.constantFrom<string>(...GUARDRAIL_FIELDS) },
        { weight: 1, arbitrary: fc.constantFrom('action', 'connection', 'max_order_usd[x]', '__proto__') },
      )
      .chain((field) =>
        fc.record({
          field: fc.constant(field),
          how: fc.constantFrom('replace', 'replace', 'repeat', 'remove'),
          value: field.startsWith('max_') ? amount : choiceFor(field),
        }),
      );

    /** A fresh browser, signed in at Aries (its JSON backend), on the connection page: its jar and HTML. */
    async function freshPage(state: string): Promise<{ jar: CookieJar; html: string }> {
      const jar = new CookieJar();
      const start = await visit(authorizeUrl(gateway.url, { clientId, state, scope: ALL_TOOL_SCOPES.join(' ') }), {}, jar);
      const callback = await signInViaAriesApi(location(start).href, confidential);
      const page = await visit(rebase(callback, gateway.url), {}, jar);
      const html = await page.text();
      if (page.status !== 200) throw new Error(`expected the connection page, got ${page.status}: ${html.slice(0, 300)}`);
      return { jar, html };
    }

    /** As Express parses a form without nesting: a string, or an array for a repeated field. */
    function parsed(body: URLSearchParams): Record<string, string | string[]> {
      const fields = new Map<string, string[]>();
      for (const [name, value] of body) fields.set(name, [...(fields.get(name) ?? []), value]);
      return Object.fromEntries([...fields].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? '') : values]));
    }

    it('every field replaced, repeated or left out: the page again naming each field, or exactly the meant guardrails stored; never a 5xx', async () => {
      if (policy === undefined) throw new Error('the generated tools declare no guardrails');
      let run = 0;
      await checkProperty(
        fc.asyncProperty(
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.constantFrom('form', 'form', 'form', 'form', 'huge', 'json', 'text'),
          async (mutations, kind) => {
            const state = `page-fuzz-${run++}`;
            const { jar, html } = await freshPage(state);
            // The page's token, and a valid trading answer to mutate (not the page's current values: a stored read-only would stick).
            const { connection } = connectionPageFields(html);
            const chosen = new Map<string, string[]>([
              ['connection', [connection]],
              ['access', ['trade']],
              ['max_order_usd', ['1,000']],
              ['max_daily_usd', ['5,000']],
              ['order_types', ['LIMIT']],
              ['sides', ['BUY', 'SELL']],
              ['instruments', ['equity']],
              ['action', ['connect']],
            ]);
            for (const { field, how, value } of mutations) {
              if (how === 'remove') chosen.delete(field);
              else chosen.set(field, how === 'replace' ? [value] : [...(chosen.get(field) ?? []), value]);
            }
            const body = new URLSearchParams();
            for (const [name, values] of chosen) for (const value of values) body.append(name, value);
            const init: RequestInit =
              kind === 'huge'
                ? { method: 'POST', body: `${body.toString()}&filler=${'f'.repeat(20_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
                : kind === 'json'
                  ? { method: 'POST', body: JSON.stringify(Object.fromEntries(chosen)), headers: { 'content-type': 'application/json' } }
                  : kind === 'text'
                    ? { method: 'POST', body: body.toString(), headers: { 'content-type': 'text/plain' } }
                    : { method: 'POST', body };
            const answer = await judge('connect-page', '/auth/callback', init, await visit(`${gateway.url}/auth/callback`, init, jar));
            const text = await answer.clone().text();
            const fail = (why: string): never => {
              throw new Error(`${kind} ${body.toString().slice(0, 300)} -> HTTP ${answer.status}: ${why}\n${text.slice(0, 400)}`);
            };
            if (/<script>alert|<svg onload/.test(text)) fail('markup echoed unescaped');
            const submitted = parsed(body);
            // Over the gateway's 16 KiB body limit (a long hostile value does it too): refused before the form is read.
            const oversized = Buffer.byteLength(body.toString()) > 16 * 1024;
            const intact = kind === 'form' && !oversized && JSON.stringify(chosen.get('connection')) === JSON.stringify([connection]);
            const action = chosen.get('action');
            if (!intact || action?.length !== 1 || (action[0] !== 'connect' && action[0] !== 'cancel')) {
              // Not an answer this page can take: an error page or JSON error, never a redirect.
              if (answer.status < 400 || answer.headers.get('location') !== null) fail('accepted a body that is not a submitted page');
              return;
            }
            if (action[0] === 'cancel') {
              if (answer.status !== 303 || location(answer).searchParams.get('error') !== 'access_denied') fail('Cancel did not send access_denied');
              return;
            }
            const meant = readGuardrailsForm(submitted, policy);
            if (!meant.ok) {
              if (answer.status !== 400 || !text.includes('Please correct') || answer.headers.get('location') !== null)
                fail(`expected the page again for ${meant.problems.map((problem) => problem.field).join(', ')}`);
              return;
            }
            if (answer.status !== 303 || location(answer).searchParams.get('code') === null) fail('a valid form did not connect');
            // What is stored is what the form meant: the next connection page shows exactly it.
            const next = connectionPageFields((await freshPage(`${state}-again`)).html).fields;
            const shown = readGuardrailsForm(
              Object.fromEntries([...next].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? '') : values])),
              policy,
            );
            expect(shown).toEqual(meant);
          },
        ),
        { numRuns: 60, seed: 17 },
      );
    }, 180_000);
  });

  it('still completes a real sign-in afterwards; no error-level log line; no secret in any log line', async () => {
    const user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'after' });
    expect(user.accessToken).toMatch(/^agw_at_/);
    expect(
      gateway.logs.entries
        .filter((entry) => Number(entry['level']) >= 50)
        .map((entry) => `${String(entry['msg'])} ${JSON.stringify(entry['err'] ?? '').slice(0, 200)}`),
    ).toEqual([]);
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});
