/**
 * Encryption at rest for Aries tokens, Aries codes and PKCE verifiers:
 * AES-256-GCM (node:crypto), a fresh 96-bit IV per value, and a context
 * string as additional authenticated data so a sealed value cannot be moved
 * to another record (a grant's tokens only open under that grant's id).
 *
 * Key rotation: the first key seals; every key opens. A sealed value names
 * its key by a short fingerprint, so opening does not try keys blindly.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext>.<tag>`, base64url parts.
 * Not here: key storage or derivation (keys come from GATEWAY_ENCRYPTION_KEY).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The value cannot be opened: wrong key, tampered, truncated or sealed for another context. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

export class Sealer {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: { readonly id: string; readonly key: Buffer };

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new RangeError('Sealer needs at least one key');
    for (const key of keys) if (key.length !== KEY_BYTES) throw new RangeError(`Sealer keys must be ${KEY_BYTES} bytes`);
    const entries = keys.map((key) => [keyId(key), key] as const);
    this.keys = new Map(entries);
    const [id, key] = entries[0]!;
    this.current = { id, key };
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, b64(iv), b64(body), b64(cipher.getAuthTag())].join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SealError('Not a sealed value');
    const [, id, iv, body, tag] = parts;
    const key = this.keys.get(id);
    if (key === undefined) throw new SealError('Sealed with a key that is not configured (GATEWAY_ENCRYPTION_KEY)');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SealError('Sealed value failed authentication', { cause: error });
    }
  }
}

/**
 * Parses one key: 32 bytes as hex (64 characters) or base64/base64url (43 or 44 characters).
 * Throws a RangeError saying what was wrong (never echoing the key).
 */
export function parseEncryptionKey(text: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new RangeError(`a key must be ${KEY_BYTES} bytes as base64 (44 characters) or hex (64 characters); got ${value.length} characters`);
}

export function generateEncryptionKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('agw-seal-key:').update(key).digest('base64url').slice(0, 8);
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
