/**
 * PKCE (RFC 7636). Rules:
 * - `code_challenge` and `code_verifier` are 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (§4.1, §4.2);
 * - `code_challenge_method` is `S256` or `plain`, and defaults to `plain` when a challenge comes without one (§4.3);
 * - S256: BASE64URL(SHA256(verifier)) must equal the challenge; plain: verifier equals challenge (§4.6).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export type CodeChallengeMethod = 'S256' | 'plain';

export function isPkceValue(value: unknown): value is string {
  return typeof value === 'string' && PKCE_VALUE.test(value);
}

export function isCodeChallengeMethod(value: unknown): value is CodeChallengeMethod {
  return value === 'S256' || value === 'plain';
}

export function verifyCodeVerifier(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  if (!isPkceValue(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(derived);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
