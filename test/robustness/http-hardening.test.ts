/**
 * HTTP hardening, with `runtime/http/security-headers.ts` applied in front
 * of the app exactly as the one line in app.ts would (`app.use(...)` before
 * every route; here the test server calls it before the Express app):
 * - every answer (API JSON, pages, redirects, 4xx, 404) carries
 *   `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, a
 *   `Content-Security-Policy` with `frame-ancestors 'none'` and
 *   `X-Frame-Options: DENY`, and no `X-Powered-By`;
 * - `Strict-Transport-Security` only when the public URL is https;
 * - every HTML page the gateway serves (error pages of /authorize and
 *   /auth/callback, the rate-limit page, Express' redirect body) forbids
 *   framing, scripts and loads;
 * Rate limits, per client address (all of Claude's users arrive from a few
 * shared addresses):
 * - 300 legitimate /token refreshes and 300 /mcp calls from one address
 *   within a minute all succeed;
 * - a flood far above the limit (1500 /token requests, 1000 /authorize page
 *   loads) gets 429 with Retry-After, as JSON or as a page;
 * - /mcp under a flood never answers 5xx (it has no per-address limit; its
 *   limit is per grant, TOOL_CALLS_PER_MINUTE, tested in
 *   test/integration/runtime/call-limit.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CSP, HSTS } from '../../runtime/http/security-headers.js';
import { authorizeUrl, postForm, startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { connectUser, refreshUser, type GatewayUser } from './support/gateway-users.js';
import { callTool, postMcp } from './support/mcp-wire.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';
import { awayFromMinuteBoundary } from '../support/minute-window.js';

describe('HTTP hardening', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  const gateways: RobustGateway[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await sandbox?.close();
  });

  const start = async (options: { publicUrl?: string } = {}): Promise<RobustGateway> => {
    const gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, securityHeaders: true, ...options });
    gateways.push(gateway);
    return gateway;
  };

  describe('security headers on every answer', () => {
    let gateway: RobustGateway;
    let user: GatewayUser;
    beforeAll(async () => {
      gateway = await start();
      user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'headers' });
    });

    const requests = (): [string, () => Promise<Response>][] => [
      ['GET /healthz', () => fetch(`${gateway.url}/healthz`)],
      [
        'POST /mcp tools/call (200)',
        () =>
          fetch(gateway.mcpUrl, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${user.accessToken}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              'mcp-protocol-version': '2025-06-18',
            },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
          }),
      ],
      ['POST /mcp without a token (401)', () => fetch(gateway.mcpUrl, { method: 'POST' })],
      ['GET /mcp (405)', () => fetch(gateway.mcpUrl, { headers: { authorization: `Bearer ${user.accessToken}` } })],
      [
        'POST /mcp from another origin (403)',
        () => fetch(gateway.mcpUrl, { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${user.accessToken}` } }),
      ],
      [
        'POST /mcp garbage (400)',
        () =>
          fetch(gateway.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' }, body: '{' }),
      ],
      ['POST /token (400)', () => fetch(`${gateway.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) })],
      ['OPTIONS /token (204)', () => fetch(`${gateway.url}/token`, { method: 'OPTIONS' })],
      ['POST /revoke (400)', () => fetch(`${gateway.url}/revoke`, { method: 'POST' })],
      ['POST /register (400)', () => fetch(`${gateway.url}/register`, { method: 'POST' })],
      ['GET authorization-server metadata', () => fetch(`${gateway.url}/.well-known/oauth-authorization-server`)],
      ['GET protected-resource metadata', () => fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp`)],
      [
        'GET /authorize redirect to Aries (302, HTML body)',
        () => fetch(authorizeUrl(gateway.url, { clientId: user.clientId }), { redirect: 'manual', headers: { accept: 'text/html' } }),
      ],
      ['GET /authorize without client_id (page)', () => fetch(`${gateway.url}/authorize`)],
      [
        'GET /authorize with a foreign redirect_uri (page)',
        () => fetch(authorizeUrl(gateway.url, { clientId: user.clientId, redirectUri: 'https://evil.example/cb' })),
      ],
      ['GET /auth/callback with an unknown state (page)', () => fetch(`${gateway.url}/auth/callback?state=nope&code=x`)],
      ['GET /nowhere (404)', () => fetch(`${gateway.url}/nowhere`)],
    ];

    it('nosniff, no-referrer, a frame-forbidding CSP and no framework fingerprint on every answer; no HSTS over http', async () => {
      for (const [name, send] of requests()) {
        const res = await send();
        await res.arrayBuffer();
        expect(
          {
            name,
            nosniff: res.headers.get('x-content-type-options'),
            referrer: res.headers.get('referrer-policy'),
            frameAncestors: /frame-ancestors 'none'/.test(res.headers.get('content-security-policy') ?? ''),
            frameOptions: res.headers.get('x-frame-options'),
            poweredBy: res.headers.get('x-powered-by'),
            hsts: res.headers.get('strict-transport-security'),
          },
          `HTTP ${res.status}`,
        ).toEqual({ name, nosniff: 'nosniff', referrer: 'no-referrer', frameAncestors: true, frameOptions: 'DENY', poweredBy: null, hsts: null });
      }
    });

    it("every HTML page allows no script, no load and no framing (the pages' own CSP, or the default)", async () => {
      const pages = [
        `${gateway.url}/authorize`,
        authorizeUrl(gateway.url, { clientId: user.clientId, redirectUri: 'https://evil.example/cb' }),
        `${gateway.url}/auth/callback?state=nope&code=x`,
        `${gateway.url}/auth/callback`,
      ];
      for (const url of pages) {
        const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
        const html = await res.text();
        expect(res.headers.get('content-type'), url).toMatch(/^text\/html/);
        expect(html).not.toMatch(/<script/i);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/(^|; )default-src 'none'(;|$)/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toMatch(/script-src|unsafe-eval/);
      }
      const redirect = await fetch(authorizeUrl(gateway.url, { clientId: user.clientId }), { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('content-type')).toMatch(/^text\/html/);
      expect(redirect.headers.get('content-security-policy')).toBe(DEFAULT_CSP);
    });

    it('HSTS on every answer when the public URL is https', async () => {
      const secure = await start({ publicUrl: 'https://mcp.example.test' });
      for (const path of ['/healthz', '/.well-known/oauth-authorization-server', '/mcp', '/token', '/nowhere']) {
        const res = await fetch(`${secure.url}${path}`, { method: path === '/mcp' || path === '/token' ? 'POST' : 'GET' });
        await res.arrayBuffer();
        expect(res.headers.get('strict-transport-security'), path).toBe(HSTS);
      }
    });
  });

  describe('rate limits per client address', () => {
    it('300 legitimate /token refreshes and 300 /mcp calls from one address within a minute all succeed', async () => {
      const gateway = await start();
      const users = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: `rl${i}` }),
        ),
      );
      const started = Date.now();
      const statuses = await Promise.all(
        users.map(async (user) => {
          const seen: number[] = [];
          for (let i = 0; i < 15; i++) {
            seen.push(await refreshUser(gateway.url, user, ledger));
            const answer = await callTool(gateway.mcpUrl, user.accessToken, i % 2 === 0 ? 'list_accounts' : 'get_quote', i % 2 === 0 ? {} : { symbol: 'AAPL' });
            seen.push(answer.status === 200 && answer.result?.isError !== true ? 200 : answer.status);
          }
          return seen;
        }),
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      const all = statuses.flat();
      expect(all).toHaveLength(600);
      expect(all.filter((status) => status !== 200)).toEqual([]);
    }, 90_000);

    it('a /token flood far above the limit gets 429 with Retry-After; /mcp keeps serving the same address', async () => {
      // Limits count in clock-aligned minutes: a flood straddling two would get the limit twice.
      await awayFromMinuteBoundary(30);
      const gateway = await start();
      const user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'flood' });
      const answers: { status: number; retryAfter: string | null; error: unknown }[] = [];
      for (let wave = 0; wave < 15; wave++) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 100 }, async () => {
              const res = await postForm(`${gateway.url}/token`, { grant_type: 'refresh_token', refresh_token: 'agw_rt_flood', client_id: 'flood' });
              return { status: res.status, retryAfter: res.headers.get('retry-after'), error: res.body['error'] };
            }),
          )),
        );
      }
      const limited = answers.filter((answer) => answer.status === 429);
      expect(answers.filter((answer) => answer.status !== 429 && answer.status !== 400)).toEqual([]);
      expect(limited.length).toBeGreaterThanOrEqual(1500 - 600);
      for (const answer of limited) {
        expect(answer.error).toBe('too_many_requests');
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
      }
      const mcp = await callTool(gateway.mcpUrl, user.accessToken, 'list_accounts', {});
      expect(mcp.result?.isError, mcp.resultText).toBeFalsy();
    }, 60_000);

    it('an /authorize flood gets 429 pages with Retry-After that forbid framing', async () => {
      await awayFromMinuteBoundary(30);
      const gateway = await start();
      let limited: Response | undefined;
      for (let wave = 0; wave < 10 && limited === undefined; wave++) {
        const answers = await Promise.all(Array.from({ length: 100 }, () => fetch(`${gateway.url}/authorize?client_id=flood`, { redirect: 'manual' })));
        for (const res of answers) {
          if (res.status === 429 && limited === undefined) limited = res;
          else await res.arrayBuffer();
          expect(res.status).toBeLessThan(500);
        }
      }
      expect(limited, 'no 429 after 1000 page loads').toBeDefined();
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited?.headers.get('content-type')).toMatch(/^text\/html/);
      expect(limited?.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await limited?.text()).toContain('busy');
    }, 60_000);

    it('an /mcp flood from one address never answers 5xx (and a limit, if any, is 429 with Retry-After)', async () => {
      const gateway = await start();
      const user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label: 'mcpflood' });
      const statuses = new Map<number, number>();
      for (let wave = 0; wave < 10; wave++) {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () =>
            postMcp(gateway.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${user.accessToken}` }),
          ),
        );
        for (const answer of answers) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 429) expect(answer.headers.get('retry-after')).not.toBeNull();
        }
      }
      expect([...statuses.keys()].filter((status) => status !== 200 && status !== 429)).toEqual([]);
    }, 60_000);
  });

  it('no log line of any gateway holds a password, secret, verifier or token', () => {
    expect(ledger.findIn(gateways.flatMap((gateway) => gateway.logs.lines))).toEqual([]);
  });
});
