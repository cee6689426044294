/**
 * Structured JSON logging (pino) with secrets redacted.
 *
 * Call sites log identifiers and outcomes, never request or response bodies;
 * the redaction list below is the second line of defence for anything that
 * slips into a log object under a secret-looking key. Order details beyond
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

/** `key`, `*.key` and `*.headers.key` for every secret-looking key. */
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `headers.${key}`, `*.headers.${key}`]);

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
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
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
