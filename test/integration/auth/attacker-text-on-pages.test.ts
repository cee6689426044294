/**
 * Finding 7 (issue 12): attacker-chosen text on gateway-branded pages.
 * A link to /auth/callback may carry any `error`, and a link to /authorize
 * any redirect URI. The pages they lead to (under the gateway's name) show
 * known Aries codes with the catalogue's text, one fixed text for any other
 * code, and at most a short prefix of a refused redirect URI.
 * The connection page (issue 17) names the app by where it sends the
 * browser back, never by the Aries client's name (anyone can name a client
 * in Client Center), and echoes a typed amount only when it is short, and
 * escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, MAX_ECHOED_URI } from '../../../runtime/auth/pages/error-catalogue.js';
import { startRealGateway, ALL_TOOL_SCOPES, type RealGateway } from '../../e2e/support/real-gateway.js';
import {
  answerConnectionPage,
  authorizeUrl,
  createAriesClient,
  location,
  signInAtAries,
  startGateway,
  startSandbox,
  visit,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';

const SCAM = 'Your_account_is_locked._Call_+1-555-0100_to_unlock';

let sandbox: RunningSandbox;
let gateway: RunningGateway;
let clientId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ sandboxUrl: sandbox.url });
  ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] }));
});
afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

async function page(res: Response): Promise<{ status: number; heading: string; html: string }> {
  const html = await res.text();
  return { status: res.status, heading: /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '', html };
}

describe('attacker-chosen text on gateway pages', () => {
  it('an unknown error code at the callback is never echoed', async () => {
    const shown = await page(await visit(`${gateway.url}/auth/callback?state=whatever&error=${SCAM}`));
    expect(shown.status).toBe(400);
    expect(shown.heading).toBe(ERROR_CATALOGUE.aries_error.title);
    expect(shown.html).toContain(ERROR_CATALOGUE.aries_error.whatHappened);
    expect(shown.html).not.toContain('555-0100');
    expect(shown.html).toContain('Error code: <span class="code">server_error</span>');
  });

  it('an unknown error code for a real pending sign-in reaches the app as server_error, with fixed text', async () => {
    const toAries = location(await visit(authorizeUrl(gateway.url, { clientId, state: 'st-scam' })));
    const state = toAries.searchParams.get('state')!;
    const shown = await page(await visit(`${gateway.url}/auth/callback?state=${state}&error=${SCAM}`));
    expect(shown.status).toBe(400);
    expect(shown.html).not.toContain('555-0100');
    const returnUrl = new URL(/href="([^"]+)"/.exec(shown.html)![1]!.replaceAll('&amp;', '&'));
    expect(returnUrl.searchParams.get('error')).toBe('server_error');
    expect(returnUrl.searchParams.get('state')).toBe('st-scam');
    expect(returnUrl.searchParams.get('error_description')).not.toContain('555');
  });

  it('a known code keeps its own page and name', async () => {
    const shown = await page(await visit(`${gateway.url}/auth/callback?error=unauthorized_client`));
    expect(shown.heading).toBe(ERROR_CATALOGUE.aries_error.title);
    expect(shown.html).toContain('Error code: <span class="code">unauthorized_client</span>');
  });

  it('a refused redirect URI is echoed cut short', async () => {
    const redirectUri = `https://evil.example/cb?${'Your-account-is-locked-call-555-0100-'.repeat(100)}`;
    const shown = await page(await visit(authorizeUrl(gateway.url, { clientId, redirectUri })));
    expect(shown.status).toBe(400);
    expect(shown.heading).toBe(ERROR_CATALOGUE.redirect_uri_not_allowed.title);
    expect(shown.html).toContain(`This app asked for ${redirectUri.slice(0, MAX_ECHOED_URI - 3)}....`);
    expect(shown.html.split('555-0100').length - 1).toBeLessThanOrEqual(2);
    expect(shown.html.length).toBeLessThan(5_000);
  });
});

describe('attacker-chosen text on the connection page', () => {
  let withTools: RealGateway;
  let scamClientId: string;

  beforeAll(async () => {
    withTools = await startRealGateway({ sandboxUrl: sandbox.url });
    // A client anyone could register in Client Center, named to look like a warning from Aries.
    ({ clientId: scamClientId } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${withTools.publicUrl}/auth/callback`],
      scopes: [...ALL_TOOL_SCOPES],
      name: SCAM.replaceAll('_', ' '),
    }));
  });
  afterAll(async () => {
    await withTools?.close();
  });

  async function connectionPage(state: string): Promise<Response> {
    const start = await visit(authorizeUrl(withTools.url, { clientId: scamClientId, state, scope: ALL_TOOL_SCOPES.join(' ') }));
    const callback = await signInAtAries(location(start).href, sandbox.sandbox.demo);
    return visit(`${withTools.url}${callback.pathname}${callback.search}`);
  }

  it("names the app by its redirect target, never by the Aries client's name", async () => {
    const shown = await page(await connectionPage('st-named'));
    expect(shown.status).toBe(200);
    expect(shown.heading).toBe('Connect a desktop or command-line app on this computer to your Aries account');
    expect(shown.html).not.toContain('555-0100');
  });

  it.each([
    ['a long scam text', `${SCAM}_${SCAM}`, (html: string) => expect(html).not.toContain('555-0100')],
    ['short markup', '"><b>1</b>', (html: string) => expect(html).toContain('value="&quot;&gt;&lt;b&gt;1&lt;/b&gt;"')],
  ])('an amount with %s: the page again, the text not echoed or only escaped', async (_name, typed, check) => {
    const refused = await answerConnectionPage(await connectionPage('st-typed'), withTools.url, { max_order_usd: typed });
    const shown = await page(refused);
    expect(shown.status).toBe(400);
    expect(shown.html).toContain('Please correct');
    expect(shown.html).not.toContain('<b>1</b>');
    check(shown.html);
  });
});
