/**
 * Randomness and hashing for secrets the sandbox hands out (client secrets,
 * codes, tokens, transaction ids). Secrets are kept only as SHA-256 hashes and
 * compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An unguessable base64url string carrying `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A lowercase hex identifier (client ids). */
export function randomHexId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function matchesSecretHash(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
