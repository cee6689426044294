import { describe, expect, it } from 'vitest';
import { canonicalize, DuplicateGuard, duplicateKey } from '../../runtime/mcp/duplicate-guard.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('DuplicateGuard', () => {
  it('refuses an identical call while the first is in flight', () => {
    const guard = new DuplicateGuard(60_000);
    expect(guard.claim('k')).toBe('claimed');
    expect(guard.claim('k')).toBe('duplicate');
  });

  it('keeps an armed key for the window, then forgets it', () => {
    const time = clock();
    const guard = new DuplicateGuard(60_000, time.now);
    guard.claim('k');
    guard.settle('k', true);
    time.advance(59_999);
    expect(guard.claim('k')).toBe('duplicate');
    time.advance(1);
    expect(guard.claim('k')).toBe('claimed');
  });

  it('releases a key whose call Aries rejected, so a corrected retry goes through', () => {
    const guard = new DuplicateGuard(60_000);
    guard.claim('k');
    guard.settle('k', false);
    expect(guard.claim('k')).toBe('claimed');
  });

  it('lets an explicit override through and re-arms the window from it', () => {
    const time = clock();
    const guard = new DuplicateGuard(60_000, time.now);
    guard.claim('k');
    guard.settle('k', true);
    time.advance(30_000);
    expect(guard.claim('k', true)).toBe('claimed');
    guard.settle('k', true);
    time.advance(45_000);
    expect(guard.claim('k')).toBe('duplicate');
  });

  it('is disabled by a zero window', () => {
    expect(new DuplicateGuard(0).enabled).toBe(false);
    expect(new DuplicateGuard(1).enabled).toBe(true);
  });
});

describe('duplicateKey', () => {
  const args = { account_id: 'A', symbol: 'MSFT', side: 'BUY', quantity: '10', limit_price: '400' };
  const cases: [string, { a: [string, string, Record<string, unknown>]; b: [string, string, Record<string, unknown>]; same: boolean }][] = [
    ['same arguments in another key order', { a: ['g', 'place_order', args], b: ['g', 'place_order', { limit_price: '400', quantity: '10', side: 'BUY', symbol: 'MSFT', account_id: 'A' }], same: true }],
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
