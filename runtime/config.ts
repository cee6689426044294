/**
 * Typed gateway configuration read from the environment.
 *
 * Every variable is optional and has a default; a value that is present but
 * unusable stops start-up with a `ConfigError` naming the variable, what it
 * got and what it expects. This module does not read files or the network and
 * does not know about OAuth settings (the OAuth proxy adds its own).
 */
import express from 'express';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** PORT: where `main.ts` listens. */
  readonly port: number;
  /** ARIES_API_BASE: base URL of the Aries REST API (no trailing slash). */
  readonly ariesApiBase: string;
  /** MCP_ALLOWED_ORIGINS: browser origins allowed to call /mcp (requests without Origin are always allowed). */
  readonly allowedOrigins: readonly string[];
  /** TOOL_TIMEOUT_MS: upstream time limit per tool call. */
  readonly toolTimeoutMs: number;
  /** RESULT_BUDGET_TOKENS: size budget of one tool result, in estimated tokens of its JSON (Claude refuses results over 25,000). */
  readonly resultBudgetTokens: number;
  /** DUPLICATE_WINDOW_SECONDS: identical order placements inside this window are refused; 0 turns the check off. */
  readonly duplicateWindowSeconds: number;
  /** TOOL_CALLS_PER_MINUTE: tool calls one grant (one connected user) may make per minute; the rest are refused as tool errors. */
  readonly toolCallsPerMinute: number;
  /** CONCURRENT_CALLS_PER_GRANT: upstream calls one grant may have in flight at once (across replicas sharing Redis). */
  readonly concurrentCallsPerGrant: number;
  /** CONCURRENT_CALLS_WAIT_MS: how long a call waits for a free slot before it is refused. */
  readonly concurrentCallsWaitMs: number;
  /** OAUTH_PENDING_AUTHORIZATIONS_MAX: most sign-ins in progress (started at /authorize, not yet back) across replicas. */
  readonly pendingAuthorizationsMax: number;
  /** METRICS_TOKEN: bearer secret for GET /metrics on the gateway's port; unset: /metrics is 404 there. */
  readonly metricsToken: string | undefined;
  /** METRICS_PORT: serve /metrics on this loopback port instead (main.ts). */
  readonly metricsPort: number | undefined;
  /** MAX_BODY_BYTES: largest accepted POST /mcp body. */
  readonly maxBodyBytes: number;
  /** LOG_LEVEL: pino level. */
  readonly logLevel: LogLevel;
  /** MCP_FAST_PATH: serve eligible tools/call and tools/list through the lean dispatcher (`on`, default) or everything through the SDK (`off`). */
  readonly mcpFastPath: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every environment variable the gateway reads, here, in
 * `auth/oauth-config.ts` and in `main.ts` (`GATEWAY_` also covers the build's
 * `GATEWAY_CODE_CACHE`). The build's priming start and the process tests drop
 * these from the inherited environment, so a developer's shell cannot change
 * what they see. Add a new variable here too.
 */
export const GATEWAY_SETTING =
  /^(ARIES_|GATEWAY_|OAUTH_|SANDBOX_|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$|TRUST_PROXY$|MCP_ALLOWED_ORIGINS$|TOOL_TIMEOUT_MS$|RESULT_BUDGET_TOKENS$|RESULT_BUDGET_CHARS$|DUPLICATE_WINDOW_SECONDS$|TOOL_CALLS_PER_MINUTE$|MAX_BODY_BYTES$|CONCURRENT_CALLS_PER_GRANT$|CONCURRENT_CALLS_WAIT_MS$|METRICS_TOKEN$|METRICS_PORT$|MCP_FAST_PATH$)/;

export function loadConfig(env: Env): Config {
  return {
    port: readInteger(env, 'PORT', 8787, 0, 65535),
    ariesApiBase: readBaseUrl(env, 'ARIES_API_BASE', 'https://api.aries.com'),
    allowedOrigins: readOrigins(env, 'MCP_ALLOWED_ORIGINS'),
    toolTimeoutMs: readInteger(env, 'TOOL_TIMEOUT_MS', 15_000, 100, 300_000),
    resultBudgetTokens: readResultBudget(env),
    duplicateWindowSeconds: readInteger(env, 'DUPLICATE_WINDOW_SECONDS', 60, 0, 3_600),
    toolCallsPerMinute: readInteger(env, 'TOOL_CALLS_PER_MINUTE', 600, 1, 1_000_000),
    concurrentCallsPerGrant: readInteger(env, 'CONCURRENT_CALLS_PER_GRANT', 4, 1, 1_000),
    concurrentCallsWaitMs: readInteger(env, 'CONCURRENT_CALLS_WAIT_MS', 2_000, 0, 60_000),
    pendingAuthorizationsMax: readInteger(env, 'OAUTH_PENDING_AUTHORIZATIONS_MAX', 10_000, 1, 10_000_000),
    metricsToken: readSecret(env, 'METRICS_TOKEN', 16),
    metricsPort: present(env, 'METRICS_PORT') === undefined ? undefined : readInteger(env, 'METRICS_PORT', 0, 1, 65_535),
    maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', 1_048_576, 1_024, 16_777_216),
    logLevel: readLogLevel(env, 'LOG_LEVEL', 'info'),
    mcpFastPath: readSwitch(env, 'MCP_FAST_PATH', true),
  };
}

/** The variable's trimmed value, or undefined when unset or blank. Shared by every config reader. */
export function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** RESULT_BUDGET_TOKENS, which replaced the character budget: an old RESULT_BUDGET_CHARS is refused with the way forward, never silently ignored. */
function readResultBudget(env: Env): number {
  if (present(env, 'RESULT_BUDGET_CHARS') !== undefined) {
    throw new ConfigError('RESULT_BUDGET_CHARS was replaced by RESULT_BUDGET_TOKENS (estimated tokens, about 4 characters each; default 20000): remove it and set RESULT_BUDGET_TOKENS instead');
  }
  return readInteger(env, 'RESULT_BUDGET_TOKENS', 20_000, 250, 100_000);
}

/** What Express' `trust proxy` setting takes (https://expressjs.com/en/guide/behind-proxies.html). */
export type TrustProxy = boolean | number | readonly string[];

const TRUST_PROXY_FORMS =
  'true, false, a hop count such as 1, or a comma-separated list of proxy addresses and subnets such as 10.0.0.1,192.168.0.0/16 (or the names loopback, linklocal, uniquelocal)';

/**
 * TRUST_PROXY: every form Express' `trust proxy` accepts. Lists are checked
 * by Express itself (proxy-addr), so what start-up accepts is exactly what
 * Express will; unset is `false`.
 */
export function readTrustProxy(env: Env, name = 'TRUST_PROXY'): TrustProxy {
  const raw = present(env, name);
  if (raw === undefined) return false;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((entry) => entry.trim());
  try {
    if (list.some((entry) => entry === '')) throw new TypeError('empty entry');
    express().set('trust proxy', list);
  } catch (error) {
    throw new ConfigError(`${name} must be ${TRUST_PROXY_FORMS}; got ${JSON.stringify(raw)} (${error instanceof Error ? error.message : 'not accepted'})`);
  }
  return list;
}

function readBaseUrl(env: Env, name: string, fallback: string): string {
  const raw = present(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL such as https://api.aries.com; got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must use http or https; got ${JSON.stringify(raw)}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`${name} must not carry a query or fragment; got ${JSON.stringify(raw)}`);
  }
  return url.href.replace(/\/+$/, '');
}

function readOrigins(env: Env, name: string): string[] {
  const raw = present(env, name);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      // An origin is scheme://host[:port] and nothing else (RFC 6454 §6.2).
      if (url === undefined || url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
        throw new ConfigError(
          `${name} must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got ${JSON.stringify(entry)}`,
        );
      }
      return url.origin;
    });
}

function readSecret(env: Env, name: string, minLength: number): string | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  // The value is never echoed: it is a secret.
  if (raw.length < minLength || /\s/.test(raw)) throw new ConfigError(`${name} must be at least ${minLength} characters without spaces (for example: openssl rand -hex 32)`);
  return raw;
}

function readSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${name} must be on or off; got ${JSON.stringify(raw)}`);
}

function readLogLevel(env: Env, name: string, fallback: LogLevel): LogLevel {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (level === undefined) throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(raw)}`);
  return level;
}
