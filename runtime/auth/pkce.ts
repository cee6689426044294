/**
 * PKCE (RFC 7636) for both sides of the proxy:
 * - toward MCP clients the gateway checks the client's `code_verifier`
 *   against the S256 challenge it received at /authorize;
 * - toward Aries the gateway makes its own verifier/challenge pair per
 *   authorization.
 * Rules enforced:
 * - only S256 (OAuth 2.1 §4.1.1; `plain` is refused at /authorize);
 * - verifiers and challenges are 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1);
 * - comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 32 random bytes, base64url (43 characters). */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: computeS256Challenge(verifier) };
}

/** RFC 7636 §4.6: the verifier must hash to the stored S256 challenge. */
export function verifyS256(verifier: string, challenge: string): boolean {
  if (!isPkceValue(verifier)) return false;
  const expected = Buffer.from(challenge, 'utf8');
  const actual = Buffer.from(computeS256Challenge(verifier), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
