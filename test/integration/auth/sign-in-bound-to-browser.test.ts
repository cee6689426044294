/**
 * Finding 4 (issue 12): the sign-in is bound to the browser that started it.
 * Before, /auth/callback completed for any browser presenting the state:
 * Aries skips consent after the first time, so a forwarded /authorize or
 * Aries link completed silently in the victim's browser and connected the
 * victim's app to the sender's Aries account. Each `CookieJar` here is one
 * browser; the real-browser side (SameSite, cookie prefixes) is in
 * test/e2e/browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../runtime/auth/pages/error-catalogue.js';
import {
  authorizeUrl,
  CLIENT_REDIRECT,
  CookieJar,
  createAriesClient,
  exchangeCode,
  location,
  rebase,
  signInAtAries,
  startGateway,
  startSandbox,
  visit,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';

let sandbox: RunningSandbox;
let gateway: RunningGateway;
let secure: RunningGateway;
let clientId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ sandboxUrl: sandbox.url });
  // Served behind TLS: the public URL is https, the test talks to the listening address.
  secure = await startGateway({ sandboxUrl: sandbox.url, publicUrl: 'https://mcp.aries.test' });
  ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`, `${secure.publicUrl}/auth/callback`] }));
});
afterAll(async () => {
  await gateway?.close();
  await secure?.close();
  await sandbox?.close();
});

/** Starts a sign-in in `starter`; returns the Aries sign-in URL the gateway sent that browser to, and the Set-Cookie it got. */
async function startSignIn(target: RunningGateway, starter: CookieJar, state: string): Promise<{ aries: URL; setCookie: string[] }> {
  const res = await visit(authorizeUrl(target.url, { clientId, state }), {}, starter);
  expect(res.status).toBe(302);
  return { aries: location(res), setCookie: res.headers.getSetCookie() };
}

/** Signs in at Aries and lands on the gateway's callback in `finisher`. */
async function finishSignIn(target: RunningGateway, aries: URL, finisher: CookieJar): Promise<Response> {
  const callback = await signInAtAries(aries.href, sandbox.sandbox.demo);
  return visit(rebase(callback, target.url), {}, finisher);
}

async function expectBrowserMismatchPage(res: Response): Promise<void> {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  const html = await res.text();
  expect(html).toContain(`<h1>${ERROR_CATALOGUE.browser_mismatch.title}</h1>`);
  expect(html).toContain('Start the connection again from Claude (or your MCP app)');
  expect(html).not.toContain('agw_ac_');
}

describe('the sign-in is bound to the browser that started it', () => {
  it('sets an HttpOnly, SameSite=Lax cookie scoped to /auth/callback on a loopback (http) gateway', async () => {
    const { setCookie } = await startSignIn(gateway, new CookieJar(), 'cookie-attributes');
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^agw-signin-[0-9a-f]{16}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/auth\/callback; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
  });

  it('sets a __Host- cookie (Secure, Path=/, no Domain) on an https gateway', async () => {
    const { setCookie } = await startSignIn(secure, new CookieJar(), 'host-cookie');
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^__Host-agw-signin-[0-9a-f]{16}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    expect(setCookie[0]).not.toMatch(/Domain=/i);
  });

  it.each([
    ['http', () => gateway],
    ['https', () => secure],
  ] as const)('the browser that started it finishes it (%s), and the cookie is cleared', async (_scheme, target) => {
    const browser = new CookieJar();
    const { aries } = await startSignIn(target(), browser, 'same-browser');
    expect(browser.names).toHaveLength(1);
    const back = await finishSignIn(target(), aries, browser);
    expect(back.status).toBe(302);
    const redirect = location(back);
    expect(redirect.origin + redirect.pathname).toBe(CLIENT_REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('same-browser');
    expect(browser.names).toEqual([]);
    expect((await exchangeCode(target().url, redirect.searchParams.get('code')!, clientId)).status).toBe(200);
  });

  it('a forwarded link finished in another browser gets the start-again page, and nothing reaches the app', async () => {
    const attacker = new CookieJar();
    const victim = new CookieJar();
    const { aries } = await startSignIn(gateway, attacker, 'forwarded');
    await expectBrowserMismatchPage(await finishSignIn(gateway, aries, victim));
    // The sign-in is used up: the starter cannot finish it afterwards either.
    const again = await finishSignIn(gateway, aries, attacker);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain(ERROR_CATALOGUE.invalid_state.title);
  });

  it('a cookie with the right name and a wrong value is refused', async () => {
    const browser = new CookieJar();
    const { aries, setCookie } = await startSignIn(gateway, browser, 'forged');
    const name = setCookie[0]!.slice(0, setCookie[0]!.indexOf('='));
    const callback = await signInAtAries(aries.href, sandbox.sandbox.demo);
    await expectBrowserMismatchPage(await fetch(rebase(callback, gateway.url), { redirect: 'manual', headers: { cookie: `${name}=${'A'.repeat(43)}` } }));
  });

  it("an Aries error for someone else's sign-in is not passed to the app either", async () => {
    const { aries } = await startSignIn(gateway, new CookieJar(), 'deny-elsewhere');
    const state = aries.searchParams.get('state')!;
    await expectBrowserMismatchPage(await visit(`${gateway.url}/auth/callback?state=${state}&error=access_denied`, {}, new CookieJar()));
  });

  it('two sign-ins started in one browser both finish (one cookie each)', async () => {
    const browser = new CookieJar();
    const first = await startSignIn(gateway, browser, 'tab-1');
    const second = await startSignIn(gateway, browser, 'tab-2');
    expect(browser.names).toHaveLength(2);
    for (const [started, state] of [
      [second, 'tab-2'],
      [first, 'tab-1'],
    ] as const) {
      const back = await finishSignIn(gateway, started.aries, browser);
      expect(back.status).toBe(302);
      expect(location(back).searchParams.get('state')).toBe(state);
    }
  });
});
