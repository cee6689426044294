/**
 * Readers for the secret settings. No message here contains the value, or
 * any part of it: only its length or position in a list, and how to make a
 * good one.
 */
import { parseEncryptionKey } from '../store/seal.js';
import { ConfigError } from './config-error.js';

export const GENERATE_KEY = 'generate one with `openssl rand -base64 32`';

/** GATEWAY_ENCRYPTION_KEY: a comma list; the first key seals, all open (rotation). */
export function readEncryptionKeys(name: string, raw: string | undefined): Buffer[] {
  if (raw === undefined) throw new ConfigError(`${name} is required: 32 random bytes as base64 or hex that encrypt stored Aries tokens; ${GENERATE_KEY}`);
  // Not `commaList`: a blank entry is a mistake to report, not to skip.
  return raw.split(',').map((part, index) => {
    try {
      return parseEncryptionKey(part);
    } catch (error) {
      const which = index === 0 ? 'the current key (first entry)' : `old key number ${index} (entry ${index + 1})`;
      const reason = error instanceof Error ? error.message : 'not a key';
      throw new ConfigError(`${name}: ${which} is invalid: ${reason}; ${GENERATE_KEY}. List old keys after the current one, comma-separated`);
    }
  });
}

/** A bearer secret such as METRICS_TOKEN: long enough, no whitespace. */
export function readBearerSecret(name: string, raw: string | undefined, minLength: number): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length < minLength || /\s/.test(raw))
    throw new ConfigError(`${name} must be at least ${minLength} characters without spaces (for example: openssl rand -hex 32)`);
  return raw;
}
