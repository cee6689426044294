/**
 * The customer guide's troubleshooting table must say what users really see:
 * every quoted page heading in docs/connect.md is a heading the gateway
 * renders, every page a customer can reach has a row, and the pages served by
 * a running gateway carry those headings.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorPageCode } from '../../runtime/auth/pages/error-catalogue.js';
import {
  authorizeUrl,
  createAriesClient,
  location,
  signInAtAries,
  startGateway,
  startSandbox,
  type RunningGateway,
  type RunningSandbox,
} from '../../testkit/harness.js';

const guide = readFileSync('docs/connect.md', 'utf8');
const troubleshooting = guide.slice(guide.indexOf('## Troubleshooting'));
const quotedHeadings = [...troubleshooting.matchAll(/^\| "([^"]+)"/gm)].map((match) => match[1]);

/** Pages a customer can reach while connecting (server_error and aries_error are generic fallbacks). */
const CUSTOMER_PAGES: readonly ErrorPageCode[] = [
  'redirect_uri_mismatch',
  'invalid_client',
  'access_denied',
  'invalid_scope',
  'invalid_grant',
  'invalid_state',
  'browser_mismatch',
  'missing_client_id',
  'hosted_client_id',
  'invalid_target',
  'redirect_uri_not_allowed',
  'temporarily_unavailable',
];

describe('docs/connect.md troubleshooting', () => {
  const titles = new Set(Object.values(ERROR_CATALOGUE).map((entry) => entry.title));

  it('quotes only headings the gateway renders', () => {
    expect(quotedHeadings.length).toBeGreaterThanOrEqual(CUSTOMER_PAGES.length);
    for (const heading of quotedHeadings) expect(titles, `"${heading}" is not a page heading`).toContain(heading);
  });

  it.each(CUSTOMER_PAGES)('has a row for the %s page', (code) => {
    expect(quotedHeadings).toContain(ERROR_CATALOGUE[code].title);
  });

  it('gives the exact redirect URI and connector URL, without trailing slashes', () => {
    expect(guide).toContain('`https://mcp.aries.com/auth/callback`');
    expect(guide).toContain('`https://mcp.aries.com/mcp`');
    expect(guide).not.toMatch(/mcp\.aries\.com\/(mcp|auth\/callback)\//);
  });
});

describe("the pages a running gateway serves carry the guide's headings", () => {
  let sandbox: RunningSandbox;
  let gateway: RunningGateway;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startGateway({ sandboxUrl: sandbox.url });
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  const pageHeading = async (path: string): Promise<string> => {
    const response = await fetch(`${gateway.url}${path}`, { redirect: 'manual' });
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const body = await response.text();
    return (/<h1>([^<]+)<\/h1>/.exec(body)?.[1] ?? '')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  };

  it('a sign-in finished in another browser (no binding cookie)', async () => {
    const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] });
    const started = await fetch(authorizeUrl(gateway.url, { clientId }), { redirect: 'manual' });
    const callback = await signInAtAries(location(started).href, sandbox.sandbox.demo);
    const heading = await pageHeading(`${callback.pathname}${callback.search}`);
    expect(heading).toBe(ERROR_CATALOGUE.browser_mismatch.title);
    expect(quotedHeadings).toContain(heading);
  });

  it.each([
    ['an expired or unknown sign-in at the callback', '/auth/callback?code=abc&state=not-a-real-state', 'invalid_state'],
    [
      'a connector without a Client ID',
      '/authorize?response_type=code&redirect_uri=https%3A%2F%2Fclaude.ai%2Fapi%2Fmcp%2Fauth_callback&code_challenge=x&code_challenge_method=S256',
      'missing_client_id',
    ],
    [
      'a hosted client identity (a URL as Client ID)',
      '/authorize?response_type=code&client_id=https%3A%2F%2Fclaude.ai%2Foauth%2Fmcp-oauth-client-metadata&redirect_uri=https%3A%2F%2Fclaude.ai%2Fapi%2Fmcp%2Fauth_callback&code_challenge=x&code_challenge_method=S256',
      'hosted_client_id',
    ],
    [
      "the desktop app's Code tab (a claude:// redirect URI)",
      '/authorize?response_type=code&client_id=abc&redirect_uri=claude%3A%2F%2Fclaude.ai%2Foauth%2Fcallback&code_challenge=x&code_challenge_method=S256',
      'redirect_uri_not_allowed',
    ],
    [
      'a redirect URI that is not allowed',
      '/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&code_challenge=x&code_challenge_method=S256',
      'redirect_uri_not_allowed',
    ],
  ] as const)('%s', async (_name, path, code) => {
    const heading = await pageHeading(path);
    expect(heading).toBe(ERROR_CATALOGUE[code].title);
    expect(quotedHeadings).toContain(heading);
  });
});
