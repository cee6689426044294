/**
 * Structured JSON logging (pino) with secrets redacted.
 *
 * Call sites log identifiers and outcomes, never request or response bodies;
 * `redactSecrets` is the second line of defence for anything that slips into
 * a log object under a secret-looking key, at any depth. It replaces pino's
 * `redact` option because wildcard paths (`*.token`) cost about 60 µs per
 * line there, a tenth of a tool call; walking our small log objects costs
 * about one. Order details beyond
 * symbol and side are kept out by `loggableArguments`, which is the only way
 * tool arguments reach a log line.
 *
 * Tests pass their own destination stream to capture lines.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
  'clientSecret',
  'client_secret',
  'password',
  'code',
  'code_verifier',
  'codeVerifier',
];

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);
const CENSOR = '[redacted]';
/** Log objects are shallow; anything deeper than this is not walked. */
const MAX_REDACT_DEPTH = 6;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout when absent. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'aries-mcp-gateway' },
      formatters: { log: (object) => redactSecrets(object, 0) as Record<string, unknown> },
    },
    options.destination ?? pino.destination(1),
  );
}

/**
 * `value` with every secret-looking key's value replaced by `[redacted]`.
 * Copy-on-write: the caller's objects are never changed, and an object
 * without secrets comes back as itself. An `Error` that needs redacting
 * becomes a plain object keeping its name, message and stack.
 */
export function redactSecrets(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item: unknown = Reflect.get(value, key);
    const redacted = SECRET_KEY_SET.has(key) ? CENSOR : redactSecrets(item, depth + 1);
    if (redacted !== item) (copy ??= plainCopy(value))[key] = redacted;
  }
  return copy ?? value;
}

function plainCopy(value: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  if (value instanceof Error) Object.assign(copy, { type: value.name, message: value.message, stack: value.stack });
  return copy;
}

/** Argument names that may be logged: what was traded, never how much, at what price or for which account. */
const LOGGABLE_ARGUMENT = /(^|_)(symbol|side)$/;

/**
 * The tool arguments that may appear in a log line: string values of
 * `symbol`/`side`-named arguments (`symbol`, `order_side`), at most 32
 * characters each. Quantities, prices and account ids never pass.
 */
export function loggableArguments(args: { readonly [name: string]: unknown }): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(args)) {
    if (LOGGABLE_ARGUMENT.test(name) && typeof value === 'string') picked[name] = value.slice(0, 32);
  }
  return picked;
}
