/**
 * Issue 12, finding 6: rate-limit counters could be reset by anyone. At
 * 100,000 tracked keys the old counter forgot every key at once, and keys
 * were `req.ip`, so one IPv6 /64 (2^64 addresses) could both dodge its own
 * limit and reset everyone's. Now:
 * - IPv6 clients count per /64, IPv4-mapped addresses as IPv4;
 * - a flood of distinct addresses evicts the least recently counted keys,
 *   never the counter of a client that keeps sending.
 */
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../runtime/auth/rate-limit.js';
import { clientAddressKey } from '../../runtime/http/client-address.js';
import { counterStoreFor, MAX_COUNTERS } from '../../runtime/store/counter-store.js';
import { MemoryStore } from '../../runtime/store/memory-store.js';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { awayFromMinuteBoundary } from '../support/minute-window.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';

describe('clientAddressKey', () => {
  const cases: [string, { given: string | undefined; want: string }][] = [
    ['IPv4 as is', { given: '203.0.113.7', want: '203.0.113.7' }],
    ['IPv4-mapped IPv6 as IPv4', { given: '::ffff:203.0.113.7', want: '203.0.113.7' }],
    ['IPv6 by its /64', { given: '2001:db8:1:2:aaaa:bbbb:cccc:dddd', want: '2001:db8:1:2::/64' }],
    ['another address in the same /64', { given: '2001:db8:1:2::1', want: '2001:db8:1:2::/64' }],
    ['the next /64', { given: '2001:db8:1:3::1', want: '2001:db8:1:3::/64' }],
    ['IPv6 loopback', { given: '::1', want: '::/64' }],
    ['unparseable', { given: 'not-an-address', want: 'unknown' }],
    ['absent', { given: undefined, want: 'unknown' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(clientAddressKey(given)).toBe(want);
  });
});

describe('finding 6: counters cannot be reset by a flood', () => {
  it(`${MAX_COUNTERS + 20_000} distinct addresses do not reset the counter of a client that keeps sending`, async () => {
    // A fixed clock: the flood must not straddle two minute windows however long it takes.
    const now = () => 1_000_000;
    const counters = counterStoreFor(new MemoryStore({ now, sweepIntervalMs: 0 }), now);
    let limited = 0;
    let passed = 0;
    const limiter = createRateLimiter({
      store: counters.store,
      name: 'flood',
      limitPerMinute: 5,
      now,
      onLimited: () => void (limited += 1),
      onUnavailable: () => {
        throw new Error('the memory store is always available');
      },
    });
    const send = async (ip: string): Promise<void> => {
      const req: Pick<Request, 'ip' | 'socket'> = { ip, socket: new Socket() };
      const next: NextFunction = () => void (passed += 1);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- test double: the limiter reads only req.ip/req.socket and never touches res when it passes or counts
      await limiter(req as Request, {} as Response, next);
    };
    for (let i = 0; i < 5; i++) await send('198.51.100.1');
    expect(passed).toBe(5);
    const before = { passed, limited };
    let victimLimited = 0;
    for (let i = 0; i < MAX_COUNTERS + 20_000; i++) {
      await send(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 1_000 === 0) {
        const limitedBefore = limited;
        await send('198.51.100.1');
        victimLimited += limited - limitedBefore;
      }
    }
    expect(victimLimited).toBe(Math.floor((MAX_COUNTERS + 20_000 - 1) / 1_000) + 1);
    expect(passed - before.passed).toBe(MAX_COUNTERS + 20_000);
    await counters.close();
  }, 60_000);
});

describe('finding 6: one IPv6 /64 is one client', () => {
  let sandbox: RunningSandbox;
  let gateway: RobustGateway;
  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger: new SecretLedger(), env: { OAUTH_RATE_LIMIT_PER_MINUTE: '4', LOG_LEVEL: 'warn' } });
    // As behind a load balancer that sets X-Forwarded-For (main.ts: TRUST_PROXY).
    gateway.app.express.set('trust proxy', true);
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it('ten addresses of one /64 share one limit; another /64 has its own', async () => {
    await awayFromMinuteBoundary();
    const register = (ip: string) => fetch(`${gateway.url}/register`, { method: 'POST', headers: { 'x-forwarded-for': ip } }).then((res) => res.status);
    const statuses = [];
    for (let i = 1; i <= 10; i++) statuses.push(await register(`2001:db8:1:2::${i.toString(16)}`));
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429, 429, 429, 429, 429]);
    expect(await register('2001:db8:1:3::1')).toBe(400);
  });
});
