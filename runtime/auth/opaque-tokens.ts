/**
 * The gateway's own credentials: opaque random values with a recognizable
 * prefix, stored only as SHA-256 hashes (a store leak yields no usable token).
 *
 * - access tokens `agw_at_...`, refresh tokens `agw_rt_...`, codes `agw_ac_...`,
 *   authorization states `agw_st_...`;
 * - 32 random bytes, base64url (RFC 6749 §10.10: guessing must be infeasible).
 * They carry no data: everything about a token is in its store record.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = {
  accessToken: 'agw_at_',
  refreshToken: 'agw_rt_',
  code: 'agw_ac_',
  state: 'agw_st_',
  grant: 'agw_gr_',
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

export function mintToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** The store key part for a credential: hex SHA-256 of the whole value. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function hasPrefix(token: string, kind: TokenKind): boolean {
  return token.startsWith(TOKEN_PREFIX[kind]) && token.length <= 256;
}

/** Constant-time string equality (hashes, secrets). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
