import { describe, expect, it } from 'vitest';
import { hashToken, hasPrefix, mintToken, safeEqual } from '../../../../runtime/auth/opaque-tokens.js';

describe('opaque tokens', () => {
  it.each([
    ['accessToken', /^agw_at_[A-Za-z0-9_-]{43}$/],
    ['refreshToken', /^agw_rt_[A-Za-z0-9_-]{43}$/],
    ['code', /^agw_ac_[A-Za-z0-9_-]{43}$/],
    ['state', /^agw_st_[A-Za-z0-9_-]{43}$/],
  ] as const)('mints %s as a prefixed 32-byte base64url value', (kind, pattern) => {
    const token = mintToken(kind);
    expect(token).toMatch(pattern);
    expect(mintToken(kind)).not.toBe(token);
  });

  it('hashes with SHA-256 (hex), deterministically', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = mintToken('accessToken');
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token.slice(7));
  });

  it('recognises prefixes', () => {
    expect(hasPrefix(mintToken('accessToken'), 'accessToken')).toBe(true);
    expect(hasPrefix(mintToken('refreshToken'), 'accessToken')).toBe(false);
    expect(hasPrefix('eyJhbGciOiJSUzI1NiJ9.aries.jwt', 'accessToken')).toBe(false);
    expect(hasPrefix(`agw_at_${'x'.repeat(300)}`, 'accessToken')).toBe(false);
  });

  it('compares in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
