/**
 * Faults on demand, each observed from a client: latency, 5xx statuses with a
 * count, 429 with Retry-After, a dropped connection, expiring every access
 * token, a path prefix, and that OAuth and admin routes are never affected.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, callApi, demoToken, postToken, startSandbox, type RunningSandbox } from './sandbox-client.js';

let running: RunningSandbox;
let token: string;

beforeEach(async () => {
  running = await startSandbox();
  token = (await demoToken(running)).accessToken;
});
afterEach(async () => {
  await running.server.close();
});

const quote = () => callApi(running.url, token, 'GET', '/v1/stocks/last-quote?ticker=AAPL');
const setFault = async (fault: unknown) => expect((await admin(running.url, 'POST', '/admin/faults', fault)).status).toBe(200);

describe('faults', () => {
  it('latencyMs delays the response and then serves it', async () => {
    await setFault({ latencyMs: 400, count: 1 });
    const started = performance.now();
    expect((await quote()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    const next = performance.now();
    await quote();
    expect(performance.now() - next).toBeLessThan(350);
  });

  it.each([500, 502, 503])('status %i for `count` requests, then normal again', async (status) => {
    await setFault({ status, count: 2 });
    expect((await quote()).status).toBe(status);
    const second = await quote();
    expect(second.status).toBe(status);
    expect(second.body).toMatchObject({ error: expect.any(String) });
    expect((await quote()).status).toBe(200);
  });

  it('without count a fault lasts until DELETE /admin/faults', async () => {
    await setFault({ status: 503 });
    for (let i = 0; i < 3; i += 1) expect((await quote()).status).toBe(503);
    expect((await admin(running.url, 'DELETE', '/admin/faults')).status).toBe(200);
    expect((await quote()).status).toBe(200);
  });

  it('rateLimit answers 429 with Retry-After', async () => {
    await setFault({ rateLimit: { retryAfterSeconds: 7 }, count: 1 });
    const limited = await quote();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await quote()).status).toBe(200);
  });

  it('reset destroys the connection without a response', async () => {
    await setFault({ reset: true, count: 1 });
    await expect(quote()).rejects.toThrow();
    expect((await quote()).status).toBe(200);
  });

  it('expireTokens expires every access token now; refresh still works', async () => {
    const { refreshToken } = await demoToken(running);
    await setFault({ expireTokens: true });
    const expired = await quote();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const { demo } = running.sandbox;
    const refreshed = await postToken(running.url, {
      grant_type: 'refresh_token',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
      refresh_token: refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect((await callApi(running.url, String(refreshed.body.access_token), 'GET', '/v1/stocks/last-quote?ticker=AAPL')).status).toBe(200);
  });

  it('pathPrefix limits the fault to matching API paths', async () => {
    await setFault({ status: 500, pathPrefix: '/v1/orders' });
    expect((await quote()).status).toBe(200);
    const order = {
      tradingAccountId: running.sandbox.demo.accountId,
      symbol: 'MSFT',
      side: 'BUY',
      type: 'LIMIT',
      qty: '1',
      price: '400.00',
      timeInForce: 'DAY',
    };
    expect((await callApi(running.url, token, 'POST', '/v1/orders', order)).status).toBe(500);
    expect((await callApi(running.url, token, 'POST', '/v1/orders/preview', order)).status).toBe(500);
  });

  it('never touches OAuth or admin routes', async () => {
    await setFault({ status: 503 });
    expect((await admin(running.url, 'GET', '/admin/market')).status).toBe(200);
    expect((await demoToken(running)).accessToken).toEqual(expect.any(String));
    expect((await fetch(new URL('/client-center', running.url))).status).toBe(200);
  });

  it('rejects a malformed fault', async () => {
    expect((await admin(running.url, 'POST', '/admin/faults', { status: 404 })).status).toBe(400);
    expect((await admin(running.url, 'POST', '/admin/faults', { latencyMs: -1 })).status).toBe(400);
  });
});
