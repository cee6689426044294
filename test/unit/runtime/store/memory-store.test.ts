import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';
import { describeStoreContract } from '../../../support/store-contract.js';

describeStoreContract(
  'MemoryStore',
  async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: 0 });
    return { store, advance: async (ms: number) => void (now += ms) };
  },
  async ({ store }) => store.close(),
);

describe('MemoryStore housekeeping', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps expired entries that are never read again', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore({ sweepIntervalMs: 1000 });
    await store.set('a', '1', 0.5);
    await store.set('b', '2', 60);
    vi.advanceTimersByTime(1500);
    expect(store.size).toBe(1);
    await store.close();
  });

  it('with maxEntries, evicts the least recently written keys instead of growing or forgetting everything', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0, maxEntries: 3 });
    await store.increment('idle', 60);
    await store.increment('busy', 60);
    await store.increment('a', 60);
    await store.increment('busy', 60);
    await store.increment('b', 60);
    expect(store.size).toBe(3);
    expect(await store.get('idle'), 'the least recently written key goes first').toBeUndefined();
    await store.increment('c', 60);
    expect(await store.get('a')).toBeUndefined();
    expect([await store.get('busy'), await store.get('b'), await store.get('c')]).toEqual(['2', '1', '1']);
    await store.close();
  });

  it('does not keep the process alive (the sweep timer is unref-ed)', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 1000 });
    const timer = store['sweeper'];
    expect(timer?.hasRef()).toBe(false);
    await store.close();
  });
});
