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
 * Lines go to stdout synchronously (pino's default), one `write` per line.
 * Asynchronous writes (`sync: false`) were measured costlier per tool call:
 * each hands the write to libuv's thread pool and wakes a thread, which on a
 * busy 2-core machine cost more CPU than the write itself (sequential
 * quote tool calls: 1.0–1.1 ms of gateway CPU per call synchronous, 1.2–1.5
 * ms asynchronous). A synchronous write also cannot lose a line on exit.
 *
 * Tests pass their own destination stream to capture lines.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { isJsonObject } from './json-object.js';

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
  'code_verifier',
  'codeVerifier',
  // Where the gateway keeps Aries' authorization code and its own verifier toward Aries (`CodeRecord`, `PendingAuthorization`).
  'ariesCode',
  'ariesVerifier',
];

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);
/**
 * `code` is not a secret key by name: errors carry diagnostics there
 * (`ECONNRESET`, `ERR_INVALID_URL`, `invalid_grant`). An OAuth code is
 * redacted by where it comes from instead: a request's parameters (`query`,
 * `body`), or an object that is an OAuth request or response (it has one of
 * these keys beside `code`: /auth/callback, /token, the exchange with Aries).
 */
const PARAMETER_CONTAINERS: ReadonlySet<string> = new Set(['query', 'body', 'params', 'searchParams']);
const OAUTH_PARAMETERS = ['grant_type', 'code_verifier', 'codeVerifier', 'redirect_uri', 'redirectUri', 'state', 'client_id', 'clientId', 'code_challenge'];
/** The gateway's own codes and tokens (`opaque-tokens.ts` prefixes), wherever they appear in a string. */
const GATEWAY_SECRET = /agw_(?:at|rt|ac|st)_[A-Za-z0-9_-]+/g;
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
      formatters: {
        log: (object) => {
          const redacted = redactSecrets(object, 0);
          return isJsonObject(redacted) ? redacted : object;
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * `value` with every secret-looking key's value, every OAuth code (see
 * above) and every gateway token inside a string replaced by `[redacted]`.
 * Copy-on-write: the caller's objects are never changed, and an object
 * without secrets comes back as itself. An `Error` that needs redacting
 * becomes a plain object keeping its name, message and stack.
 */
export function redactSecrets(value: unknown, depth: number, parentKey?: string): unknown {
  if (typeof value === 'string') return value.includes('agw_') ? value.replace(GATEWAY_SECRET, CENSOR) : value;
  if (typeof value !== 'object' || value === null || depth > MAX_REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  const oauthCode = Object.hasOwn(value, 'code') && (PARAMETER_CONTAINERS.has(parentKey ?? '') || OAUTH_PARAMETERS.some((key) => Object.hasOwn(value, key)));
  let copy: Record<string, unknown> | undefined;
  // An Error's message and stack are not enumerable, and may quote a token.
  const keys = value instanceof Error ? ['message', 'stack', ...Object.keys(value)] : Object.keys(value);
  for (const key of keys) {
    const item: unknown = Reflect.get(value, key);
    const redacted = SECRET_KEY_SET.has(key) || (oauthCode && key === 'code') ? CENSOR : redactSecrets(item, depth + 1, key);
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
