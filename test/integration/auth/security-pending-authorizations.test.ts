/**
 * Issue 12, finding 1: pending authorizations grew without bound
 * (anonymous memory exhaustion). Measured on the store the gateway writes:
 * - a `state` over 512 bytes is refused and stores nothing (the review
 *   stored 300 records of 15 KB each);
 * - a `scope` over 1024 characters is refused (invalid_scope);
 * - the largest request that is accepted stores a bounded record;
 * - a global cap (OAUTH_PENDING_AUTHORIZATIONS_MAX) answers 503 with a page
 *   and Retry-After once reached, and the store holds no more than the cap;
 * - GET and POST /authorize share one per-address limiter.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import { awayFromMinuteBoundary } from '../../support/minute-window.js';
import { startRobustGateway, type RobustGateway } from '../../robustness/support/robust-gateway.js';
import { SecretLedger } from '../../robustness/support/secret-ledger.js';
import { authorizeUrl, CLIENT_REDIRECT, startSandbox, type RunningSandbox } from '../../../testkit/harness.js';

/** A memory store that knows how many bytes its live `pending:` records hold. */
class MeasuredStore extends MemoryStore {
  private readonly pending = new Map<string, number>();
  override async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (key.startsWith('pending:')) this.pending.set(key, Buffer.byteLength(key) + Buffer.byteLength(value));
    return super.set(key, value, ttlSeconds);
  }
  async pendingRecords(): Promise<{ count: number; bytes: number }> {
    let count = 0;
    let bytes = 0;
    for (const [key, size] of this.pending) {
      if ((await this.get(key)) === undefined) continue;
      count += 1;
      bytes += size;
    }
    return { count, bytes };
  }
}

let sandbox: RunningSandbox;
const started: RobustGateway[] = [];

async function gateway(store: MeasuredStore, env: Record<string, string> = {}): Promise<RobustGateway> {
  const running = await startRobustGateway({ sandboxUrl: sandbox.url, ledger: new SecretLedger(), store, env: { LOG_LEVEL: 'warn', ...env } });
  started.push(running);
  return running;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function authorizeForm(url: string, extra: Record<string, string>): Promise<Response> {
  const query = new URL(authorizeUrl(url, { clientId: 'client-under-test' })).searchParams;
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return fetch(`${url}/authorize`, { method: 'POST', headers: FORM, body: query.toString(), redirect: 'manual' });
}

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  for (const running of started.splice(0)) await running.close();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('finding 1: pending authorizations are bounded', () => {
  it('60 POSTs with a 15 KB state store nothing: each is refused with a page, and the store holds 0 bytes of pending records', async () => {
    const store = new MeasuredStore();
    const target = await gateway(store);
    const state = 's'.repeat(15 * 1024);
    for (let i = 0; i < 60; i++) {
      const res = await authorizeForm(target.url, { state });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('The sign-in request is incomplete');
    }
    expect(await store.pendingRecords()).toEqual({ count: 0, bytes: 0 });
    // 512 bytes is still fine.
    expect((await authorizeForm(target.url, { state: 's'.repeat(512) })).status).toBe(302);
  });

  it('a scope over 1024 characters is refused with invalid_scope, stored nowhere', async () => {
    const store = new MeasuredStore();
    const target = await gateway(store);
    const res = await authorizeForm(target.url, { scope: 'account:information '.repeat(60) });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('error_description')).toBe('scope is longer than 1024 characters.');
    expect((await store.pendingRecords()).count).toBe(0);
  });

  it('the largest request that is accepted stores one bounded record (under 8 KB)', async () => {
    const store = new MeasuredStore();
    const target = await gateway(store);
    const longLoopback = `http://127.0.0.1:33418/${'p'.repeat(2048 - 'http://127.0.0.1:33418/'.length)}`;
    const scope = Array.from({ length: 40 }, (_, i) => `scope-${String(i).padStart(18, '0')}`)
      .join(' ')
      .slice(0, 1024);
    const res = await authorizeForm(target.url, { client_id: 'c'.repeat(256), redirect_uri: longLoopback, state: 's'.repeat(512), scope });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').origin).toBe(sandbox.url);
    const { count, bytes } = await store.pendingRecords();
    expect(count).toBe(1);
    expect(bytes).toBeLessThan(8 * 1024);
  });

  it('OAUTH_PENDING_AUTHORIZATIONS_MAX: past the cap, a 503 page with Retry-After, and the store holds no more than the cap', async () => {
    const store = new MeasuredStore();
    const target = await gateway(store, { OAUTH_PENDING_AUTHORIZATIONS_MAX: '5' });
    for (let i = 0; i < 5; i++) expect((await authorizeForm(target.url, { state: `state-${i}` })).status).toBe(302);
    for (let i = 0; i < 3; i++) {
      const refused = await authorizeForm(target.url, { state: `over-${i}` });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const page = await refused.text();
      expect(page).toContain('Too many sign-ins are in progress');
      expect(page).toContain('OAUTH_PENDING_AUTHORIZATIONS_MAX');
    }
    expect((await store.pendingRecords()).count).toBe(5);
  });

  it('GET and POST /authorize share one per-address limit', async () => {
    await awayFromMinuteBoundary();
    const target = await gateway(new MeasuredStore(), { OAUTH_RATE_LIMIT_PER_MINUTE: '4' });
    const get = () => fetch(authorizeUrl(target.url, { clientId: 'client-under-test' }), { redirect: 'manual' });
    const post = () => authorizeForm(target.url, {});
    const statuses = [];
    for (const send of [get, post, get, post, get, post]) statuses.push((await send()).status);
    expect(statuses).toEqual([302, 302, 302, 302, 429, 429]);
  });
});
