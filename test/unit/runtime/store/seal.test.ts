import { describe, expect, it } from 'vitest';
import { generateEncryptionKey, parseEncryptionKey, SealError, Sealer } from '../../../../runtime/store/seal.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

describe('seal', () => {
  it('round-trips and never shows the plaintext', () => {
    const sealer = new Sealer([KEY_A]);
    const sealed = sealer.seal('aries-access-token', 'grant:1');
    expect(sealed).not.toContain('aries-access-token');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealer.open(sealed, 'grant:1')).toBe('aries-access-token');
  });

  it('uses a fresh IV: the same plaintext seals differently', () => {
    const sealer = new Sealer([KEY_A]);
    expect(sealer.seal('same', 'c')).not.toBe(sealer.seal('same', 'c'));
  });

  const tamper: [string, (sealed: string) => string][] = [
    ['flipped ciphertext byte', (s) => flipPart(s, 3)],
    ['flipped tag byte', (s) => flipPart(s, 4)],
    ['flipped IV byte', (s) => flipPart(s, 2)],
    ['truncated', (s) => s.slice(0, -4)],
    ['not sealed at all', () => 'plaintext'],
    ['unknown version', (s) => s.replace(/^v1/, 'v9')],
  ];
  it.each(tamper)('tamper -> SealError: %s', (_name, change) => {
    const sealer = new Sealer([KEY_A]);
    expect(() => sealer.open(change(sealer.seal('secret', 'ctx')), 'ctx')).toThrow(SealError);
  });

  it('binds the context: a value sealed for one grant does not open for another', () => {
    const sealer = new Sealer([KEY_A]);
    expect(() => sealer.open(sealer.seal('secret', 'grant:1'), 'grant:2')).toThrow(SealError);
  });

  it('rotates keys: seals with the first, opens with any', () => {
    const old = new Sealer([KEY_A]);
    const sealedWithOld = old.seal('old secret', 'c');
    const rotated = new Sealer([KEY_B, KEY_A]);
    expect(rotated.open(sealedWithOld, 'c')).toBe('old secret');
    const sealedWithNew = rotated.seal('new secret', 'c');
    expect(new Sealer([KEY_B]).open(sealedWithNew, 'c')).toBe('new secret');
    expect(() => old.open(sealedWithNew, 'c')).toThrow('Sealed with a key that is not configured (GATEWAY_ENCRYPTION_KEY)');
  });

  it.each([
    ['hex', KEY_A.toString('hex')],
    ['base64', KEY_A.toString('base64')],
    ['base64 without padding', KEY_A.toString('base64').replace(/=$/, '')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
  ])('parses a %s key', (_name, text) => {
    expect(parseEncryptionKey(text)).toHaveLength(32);
  });

  it.each([
    ['16 bytes', Buffer.alloc(16).toString('base64'), 'got 24 characters'],
    ['garbage', 'not a key', 'got 9 characters'],
    ['63 hex', 'a'.repeat(63), 'got 63 characters'],
  ])('refuses a bad key: %s', (_name, text, message) => {
    expect(() => parseEncryptionKey(text)).toThrow(message);
  });

  it('generates 32-byte keys and refuses wrong sizes', () => {
    expect(generateEncryptionKey()).toHaveLength(32);
    expect(() => new Sealer([Buffer.alloc(16)])).toThrow(RangeError);
    expect(() => new Sealer([])).toThrow(RangeError);
  });
});

function flipPart(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}
