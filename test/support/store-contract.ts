/**
 * The `Store` contract, run against every implementation (memory and Redis).
 * `sleep` lets a store with a real clock pass time; the memory store gets a
 * fake clock instead.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../runtime/store/store.js';

export interface StoreFixture {
  readonly store: Store;
  /** Lets `ms` pass for the store's clock. */
  advance(ms: number): Promise<void>;
}

export function describeStoreContract(name: string, open: () => Promise<StoreFixture>, close: (fixture: StoreFixture) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    const withStore = (test: (fixture: StoreFixture) => Promise<void>) => async () => {
      const fixture = await open();
      try {
        await test(fixture);
      } finally {
        await close(fixture);
      }
    };

    it(
      'get returns what set wrote, and undefined for a missing key',
      withStore(async ({ store }) => {
        await store.set('k1', 'v1', 60);
        expect(await store.get('k1')).toBe('v1');
        expect(await store.get('missing')).toBeUndefined();
      }),
    );

    it(
      'set overwrites and delete removes',
      withStore(async ({ store }) => {
        await store.set('k', 'a', 60);
        await store.set('k', 'b', 60);
        expect(await store.get('k')).toBe('b');
        await store.delete('k');
        expect(await store.get('k')).toBeUndefined();
        await store.delete('never-there');
      }),
    );

    it(
      'entries expire after their TTL',
      withStore(async ({ store, advance }) => {
        await store.set('short', 'x', 0.2);
        await store.set('long', 'y', 60);
        expect(await store.get('short')).toBe('x');
        await advance(400);
        expect(await store.get('short')).toBeUndefined();
        expect(await store.take('short')).toBeUndefined();
        expect(await store.get('long')).toBe('y');
      }),
    );

    it(
      'take returns the value once and removes it',
      withStore(async ({ store }) => {
        await store.set('once', 'value', 60);
        expect(await store.take('once')).toBe('value');
        expect(await store.take('once')).toBeUndefined();
        expect(await store.get('once')).toBeUndefined();
      }),
    );

    it(
      'take is atomic: of concurrent takes exactly one gets the value',
      withStore(async ({ store }) => {
        await store.set('race', 'prize', 60);
        const results = await Promise.all(Array.from({ length: 20 }, () => store.take('race')));
        expect(results.filter((r) => r === 'prize')).toHaveLength(1);
      }),
    );

    it(
      'setIfAbsent writes only when absent, and is atomic',
      withStore(async ({ store }) => {
        const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('lock', `owner-${i}`, 60)));
        expect(wins.filter(Boolean)).toHaveLength(1);
        const winner = wins.indexOf(true);
        expect(await store.get('lock')).toBe(`owner-${winner}`);
        expect(await store.setIfAbsent('lock', 'late', 60)).toBe(false);
      }),
    );

    it(
      'setIfAbsent succeeds again once the earlier entry expired',
      withStore(async ({ store, advance }) => {
        expect(await store.setIfAbsent('lease', 'first', 0.2)).toBe(true);
        await advance(400);
        expect(await store.setIfAbsent('lease', 'second', 60)).toBe(true);
        expect(await store.get('lease')).toBe('second');
      }),
    );

    it(
      'values are opaque strings (JSON, unicode) kept exactly',
      withStore(async ({ store }) => {
        const value = JSON.stringify({ a: 'ünïcødé ✓', b: [1, 2, 3], c: '"quoted"\n' });
        await store.set('json', value, 60);
        expect(await store.get('json')).toBe(value);
      }),
    );

    it(
      'refuses a TTL that is not positive',
      withStore(async ({ store }) => {
        await expect(store.set('k', 'v', 0)).rejects.toThrow(RangeError);
        await expect(store.setIfAbsent('k', 'v', -1)).rejects.toThrow(RangeError);
        await expect(store.increment('k', 0)).rejects.toThrow(RangeError);
      }),
    );

    it(
      'increment counts from 1 and is atomic: n concurrent increments return 1..n once each',
      withStore(async ({ store }) => {
        expect(await store.increment('hits', 60)).toBe(1);
        const counts = await Promise.all(Array.from({ length: 25 }, () => store.increment('hits', 60)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
        expect(await store.get('hits')).toBe('26');
        expect(await store.increment('other', 60)).toBe(1);
      }),
    );

    it(
      'increment sets the TTL when it creates the counter and does not extend it (a fixed window)',
      withStore(async ({ store, advance }) => {
        expect(await store.increment('window', 0.4)).toBe(1);
        await advance(250);
        expect(await store.increment('window', 0.4)).toBe(2);
        await advance(250);
        // 500 ms after creation: expired although the last increment was 250 ms ago.
        expect(await store.get('window')).toBeUndefined();
        expect(await store.increment('window', 0.4)).toBe(1);
      }),
    );

    it(
      'addWithin adds only what fits under the ceiling, atomically: concurrent additions never pass it',
      withStore(async ({ store }) => {
        expect(await store.addWithin('spent', 30_000, 500_000, 60)).toEqual({ added: true, total: 30_000 });
        // 20 concurrent additions of 100 000 under a ceiling of 500 000: exactly four fit.
        const results = await Promise.all(Array.from({ length: 20 }, () => store.addWithin('spent', 100_000, 500_000, 60)));
        expect(results.filter((result) => result.added)).toHaveLength(4);
        expect(await store.get('spent')).toBe('430000');
        expect(await store.addWithin('spent', 70_001, 500_000, 60)).toEqual({ added: false, total: 430_000 });
        expect(await store.addWithin('spent', 70_000, 500_000, 60)).toEqual({ added: true, total: 500_000 });
        // Giving back is always accepted.
        expect(await store.addWithin('spent', -100_000, 500_000, 60)).toEqual({ added: true, total: 400_000 });
        await expect(store.addWithin('spent', 0.5, 500_000, 60)).rejects.toThrow(RangeError);
      }),
    );

    it(
      'addWithin sets the TTL when it creates the total and does not extend it',
      withStore(async ({ store, advance }) => {
        await store.addWithin('day', 100, 1000, 0.4);
        await advance(250);
        expect((await store.addWithin('day', 100, 1000, 0.4)).total).toBe(200);
        await advance(250);
        expect(await store.get('day')).toBeUndefined();
        expect(await store.addWithin('day', 100, 1000, 0.4)).toEqual({ added: true, total: 100 });
      }),
    );

    it(
      'deleteIfEquals deletes only the expected value, atomically',
      withStore(async ({ store }) => {
        await store.set('lock', 'owner-a', 60);
        expect(await store.deleteIfEquals('lock', 'owner-b')).toBe(false);
        expect(await store.get('lock')).toBe('owner-a');
        const results = await Promise.all(Array.from({ length: 10 }, () => store.deleteIfEquals('lock', 'owner-a')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get('lock')).toBeUndefined();
        expect(await store.deleteIfEquals('never-there', 'x')).toBe(false);
      }),
    );

    it(
      'deleteIfEquals leaves a lock that expired and was taken by another owner',
      withStore(async ({ store, advance }) => {
        expect(await store.setIfAbsent('lock:x', 'replica-1', 0.2)).toBe(true);
        await advance(400);
        expect(await store.setIfAbsent('lock:x', 'replica-2', 60)).toBe(true);
        expect(await store.deleteIfEquals('lock:x', 'replica-1')).toBe(false);
        expect(await store.get('lock:x')).toBe('replica-2');
      }),
    );

    it(
      'ping resolves while the backend answers',
      withStore(async ({ store }) => {
        await expect(store.ping()).resolves.toBeUndefined();
      }),
    );
  });
}
