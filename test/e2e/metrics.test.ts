/**
 * Issue 13: `/metrics` (Prometheus text, prom-client) on the gateway's port
 * behind METRICS_TOKEN, and `/readyz`. During a short load through the real
 * gateway (sandbox as Aries) the counters move; the scrape holds no user,
 * grant, token, account or order value (scanned for every value the run
 * used); without the token it is refused, and without METRICS_TOKEN it does
 * not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { limitBuy } from '../robustness/support/call-mix.js';
import { connectUser, refreshUser, type GatewayUser } from '../robustness/support/gateway-users.js';
import { callTool } from '../robustness/support/mcp-wire.js';
import { startRobustGateway, type RobustGateway } from '../robustness/support/robust-gateway.js';
import { SecretLedger } from '../robustness/support/secret-ledger.js';

const METRICS_TOKEN = 'metrics-token-e2e-0123456789abcdef';

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics and /readyz', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  let gateway: RobustGateway;
  let users: GatewayUser[];

  const scrape = async (token: string | null = METRICS_TOKEN) =>
    fetch(`${gateway.url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, env: { METRICS_TOKEN } });
    await fetch(`${sandbox.url}/admin/market/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MSFT: '420.00' }),
    });
    users = await Promise.all(
      [0, 1].map((i) =>
        connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, confidential: i === 0, label: `metrics${i}` }),
      ),
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it('counters move during a short load, and the scrape holds none of the values the run used', async () => {
    const before = await (await scrape()).text();
    const orderIds: string[] = [];
    for (const user of users) {
      for (let i = 0; i < 3; i++) expect((await callTool(gateway.mcpUrl, user.accessToken, 'list_accounts', {})).result?.isError).toBeFalsy();
      await callTool(gateway.mcpUrl, user.accessToken, 'get_balances', { account_id: user.accountId });
      const args = limitBuy(user.accountId, 42, 1);
      const placed = await callTool(gateway.mcpUrl, user.accessToken, 'place_order', args);
      orderIds.push(String(placed.result?.structuredContent?.['clOrdId']));
      expect((await callTool(gateway.mcpUrl, user.accessToken, 'place_order', args)).resultText).toMatch(/^Refused as a probable duplicate/);
      await callTool(gateway.mcpUrl, user.accessToken, `no_such_tool_${user.accountId}`, {});
      expect(await refreshUser(gateway.url, user, ledger)).toBe(200);
    }
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await response.text();

    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('agw_tool_calls_total{tool="list_accounts",outcome="ok"}')).toBe(6);
    expect(moved('agw_tool_calls_total{tool="place_order",outcome="ok"}')).toBe(2);
    expect(moved('agw_tool_calls_total{tool="place_order",outcome="refused_duplicate"}')).toBe(2);
    expect(moved('agw_tool_calls_total{tool="unknown",outcome="tool_error"}')).toBe(2);
    expect(moved('agw_upstream_duration_seconds_count{tool="get_balances"}')).toBe(2);
    expect(moved('agw_oauth_requests_total{endpoint="/token",status="200"}')).toBe(2);
    expect(sample(after, 'agw_oauth_requests_total{endpoint="/authorize",status="302"}')).toBeGreaterThanOrEqual(2);
    expect(moved('agw_store_operation_duration_seconds_count{operation="increment"}')).toBeGreaterThanOrEqual(12);
    expect(sample(after, 'agw_grants_active')).toBe(2);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);

    const grantIds = [...new Set(gateway.logs.entries.map((entry) => entry['grantId']).filter((id): id is string => typeof id === 'string'))];
    expect(grantIds.length).toBeGreaterThanOrEqual(2);
    const values = [
      ...grantIds,
      ...orderIds,
      METRICS_TOKEN,
      ...users.flatMap((user) => [user.email, user.accountId, user.clientId, user.accessToken, user.refreshToken]),
    ];
    for (const value of values) expect(after.includes(value), `the scrape contains ${value.slice(0, 12)}...`).toBe(false);
    expect(ledger.findIn([after])).toEqual([]);
  });

  it('is refused without its token, with a wrong one, or as a query parameter', async () => {
    for (const [name, token] of [
      ['none', null],
      ['wrong', 'metrics-token-e2e-0123456789abcdeX'],
      ['empty', ''],
    ] as const) {
      const response = await scrape(token);
      expect(response.status, name).toBe(401);
      expect(response.headers.get('www-authenticate'), name).toBe('Bearer realm="metrics"');
      expect(await response.text(), name).not.toContain('agw_');
    }
    expect((await fetch(`${gateway.url}/metrics?token=${METRICS_TOKEN}`)).status).toBe(401);
  });

  it('does not exist on a gateway without METRICS_TOKEN', async () => {
    const plain = await startRobustGateway({ sandboxUrl: sandbox.url, ledger });
    try {
      const response = await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(404);
      expect((await fetch(`${plain.url}/readyz`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('/readyz answers 200 with the store and tools ready; /healthz stays a liveness check', async () => {
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
