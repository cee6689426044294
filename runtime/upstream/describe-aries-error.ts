/**
 * Reads Aries' own explanation out of an error body, safely.
 *
 * Shapes understood (API-REFERENCE "Error body" rows, plus OAuth's):
 * - `{ error, message }` (legacy User API);
 * - `{ error, codes: [{ code, field, description }] }` (user endpoints): field errors;
 * - `{ error, error_description }` (OAuth);
 * - `{ errors: [{ message | description }] }` (per-item errors);
 * - plain text (HTML pages reduced to their text).
 * The result is bounded (500 characters for the message, 10 field errors),
 * has control characters removed, and never contains a token: bearer
 * values, JWTs, `*_token=`/`"*_token":` pairs and the caller's exact secrets
 * are replaced by `[redacted]`.
 */
import { isJsonObject } from '../json-object.js';

export interface AriesFieldError {
  /** Aries' name for the field (`qty`, `tradingAccountId`), when it gave one. */
  readonly field?: string;
  readonly text: string;
}

export interface AriesErrorText {
  readonly message: string;
  readonly fieldErrors: readonly AriesFieldError[];
}

const MAX_MESSAGE = 500;
const MAX_FIELD_ERRORS = 10;

export function describeAriesError(body: unknown, secrets: readonly string[] = []): AriesErrorText {
  const clean = (text: string, limit: number): string => bound(stripSecrets(text, secrets), limit);
  if (typeof body === 'string') return { message: clean(textOf(body), MAX_MESSAGE), fieldErrors: [] };
  if (!isJsonObject(body)) return { message: '', fieldErrors: [] };

  const error = stringField(body, 'error');
  const detail = stringField(body, 'message') ?? stringField(body, 'error_description') ?? stringField(body, 'detail') ?? stringField(body, 'errmsg');
  const message = error !== undefined && detail !== undefined && detail !== error ? `${error}: ${detail}` : (detail ?? error ?? '');
  const fieldErrors = [...listOf(body['codes']), ...listOf(body['errors'])]
    .map(describeFieldError)
    .filter((entry) => entry.text !== '')
    .slice(0, MAX_FIELD_ERRORS)
    .map(({ field, text }) => ({ ...(field === undefined ? {} : { field: clean(field, 64) }), text: clean(text, 200) }));
  return { message: clean(message, MAX_MESSAGE), fieldErrors };
}

function describeFieldError(entry: unknown): AriesFieldError {
  if (typeof entry === 'string') return { text: entry };
  if (!isJsonObject(entry)) return { text: '' };
  const field = stringField(entry, 'field') ?? stringField(entry, 'symbol');
  const text = stringField(entry, 'description') ?? stringField(entry, 'message') ?? stringField(entry, 'code') ?? '';
  return field === undefined ? { text } : { field, text };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** HTML error pages become their visible text. */
function textOf(body: string): string {
  return /<html|<body|<!doctype/i.test(body) ? body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ') : body;
}

const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const SECRET_PAIR = /((?:access|refresh|id)_?token|client_secret|code_verifier|password)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi;

export function stripSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 8) result = result.split(secret).join('[redacted]');
  return result
    .replace(BEARER, 'Bearer [redacted]')
    .replace(JWT, '[redacted]')
    .replace(SECRET_PAIR, (_match, key: string, separator: string) => `${key}${separator}[redacted]`);
}

function bound(text: string, limit: number): string {
  const flat = text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips from Aries' text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}
