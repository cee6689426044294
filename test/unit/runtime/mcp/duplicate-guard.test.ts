import { describe, expect, it } from 'vitest';
import { canonicalize, DuplicateGuard, duplicateKey } from '../../../../runtime/mcp/duplicate-guard.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';

function guardWithClock(windowSeconds = 60) {
  let now = 0;
  const store = new MemoryStore({ now: () => now, sweepIntervalMs: 0 });
  const guard = new DuplicateGuard({ store, windowSeconds, inFlightSeconds: 60 });
  return { guard, store, advance: (ms: number) => (now += ms) };
}

describe('DuplicateGuard', () => {
  it('refuses an identical call while the first is in flight', async () => {
    const { guard } = guardWithClock();
    expect((await guard.claim('k')).kind).toBe('claimed');
    expect((await guard.claim('k')).kind).toBe('duplicate');
  });

  it('keeps an armed key for the window, then forgets it', async () => {
    const { guard, advance } = guardWithClock();
    await guard.settle(await guard.claim('k'), true);
    advance(59_999);
    expect((await guard.claim('k')).kind).toBe('duplicate');
    advance(1);
    expect((await guard.claim('k')).kind).toBe('claimed');
  });

  it('releases a key whose call Aries rejected, so a corrected retry goes through', async () => {
    const { guard } = guardWithClock();
    await guard.settle(await guard.claim('k'), false);
    expect((await guard.claim('k')).kind).toBe('claimed');
  });

  it('lets an explicit override through and re-arms the window from it', async () => {
    const { guard, advance } = guardWithClock();
    await guard.settle(await guard.claim('k'), true);
    advance(30_000);
    const override = await guard.claim('k', true);
    expect(override.kind).toBe('claimed');
    await guard.settle(override, true);
    advance(45_000);
    expect((await guard.claim('k')).kind).toBe('duplicate');
  });

  it("releasing a rejected call does not remove a later override's claim (compare-and-delete)", async () => {
    const { guard } = guardWithClock();
    const first = await guard.claim('k');
    const override = await guard.claim('k', true);
    await guard.settle(first, false);
    expect((await guard.claim('k')).kind, 'the override is still in flight').toBe('duplicate');
    await guard.settle(override, false);
    expect((await guard.claim('k')).kind).toBe('claimed');
  });

  it("two guards on one store (two replicas) refuse each other's duplicates", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const [a, b] = [0, 1].map(() => new DuplicateGuard({ store, windowSeconds: 60, inFlightSeconds: 60 }));
    await a.settle(await a.claim('k'), true);
    expect((await b.claim('k')).kind).toBe('duplicate');
    expect((await b.claim('k', true)).kind).toBe('claimed');
  });

  it('an in-flight claim of a replica that died expires after inFlightSeconds', async () => {
    const { guard, advance } = guardWithClock();
    await guard.claim('k');
    advance(60_000);
    expect((await guard.claim('k')).kind).toBe('claimed');
  });

  it('is disabled by a zero window', () => {
    expect(guardWithClock(0).guard.enabled).toBe(false);
    expect(guardWithClock(1).guard.enabled).toBe(true);
  });
});

describe('duplicateKey', () => {
  const args = { account_id: 'A', symbol: 'MSFT', side: 'BUY', quantity: '10', limit_price: '400' };
  const cases: [string, { a: [string, string, Record<string, unknown>]; b: [string, string, Record<string, unknown>]; same: boolean }][] = [
    [
      'same arguments in another key order',
      {
        a: ['g', 'place_order', args],
        b: ['g', 'place_order', { limit_price: '400', quantity: '10', side: 'BUY', symbol: 'MSFT', account_id: 'A' }],
        same: true,
      },
    ],
    ['another grant', { a: ['g', 'place_order', args], b: ['h', 'place_order', args], same: false }],
    ['another tool', { a: ['g', 'place_order', args], b: ['g', 'replace_order', args], same: false }],
    ['another quantity', { a: ['g', 'place_order', args], b: ['g', 'place_order', { ...args, quantity: '11' }], same: false }],
    ['nested objects in another order', { a: ['g', 't', { legs: [{ a: 1, b: 2 }] }], b: ['g', 't', { legs: [{ b: 2, a: 1 }] }], same: true }],
    ['array order matters', { a: ['g', 't', { legs: [1, 2] }], b: ['g', 't', { legs: [2, 1] }], same: false }],
  ];
  it.each(cases)('%s', (_name, { a, b, same }) => {
    expect(duplicateKey(...a) === duplicateKey(...b)).toBe(same);
  });

  it('canonicalizes recursively', () => {
    expect(JSON.stringify(canonicalize({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: null }))).toBe('{"a":null,"b":{"c":[{"e":2,"f":1}],"d":1}}');
  });
});
