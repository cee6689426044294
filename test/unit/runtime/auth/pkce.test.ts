import { describe, expect, it } from 'vitest';
import { computeS256Challenge, createPkcePair, isPkceValue, verifyS256 } from '../../../../runtime/auth/pkce.js';

describe('pkce', () => {
  it('computes the RFC 7636 appendix B example', () => {
    expect(computeS256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates pairs whose verifier is 43 base64url characters and verifies', () => {
    const pair = createPkcePair();
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyS256(pair.verifier, pair.challenge)).toBe(true);
    expect(createPkcePair().verifier).not.toBe(pair.verifier);
  });

  const cases: [string, { verifier: string; want: boolean }][] = [
    ['right verifier', { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', want: true }],
    ['wrong verifier', { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj', want: false }],
    ['too short', { verifier: 'short', want: false }],
    ['illegal characters', { verifier: 'dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk', want: false }],
    ['the challenge itself (plain)', { verifier: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', want: false }],
  ];
  it.each(cases)('verifyS256: %s', (_name, { verifier, want }) => {
    expect(verifyS256(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(want);
  });

  it.each([
    ['43 chars', 'a'.repeat(43), true],
    ['128 chars', 'a'.repeat(128), true],
    ['42 chars', 'a'.repeat(42), false],
    ['129 chars', 'a'.repeat(129), false],
    ['unreserved punctuation', `${'a'.repeat(40)}-._~`, true],
  ])('isPkceValue: %s', (_name, value, want) => {
    expect(isPkceValue(value)).toBe(want);
  });
});
