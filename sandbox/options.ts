/**
 * Options of an embedded sandbox and their defaults. Everything has a default
 * so `createSandbox()` alone gives a working local Aries.
 */
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';

export interface SandboxOptions {
  /** Access-token lifetime; short values (even fractions of a second) suit expiry tests. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime. Default 2592000 (30 days). */
  readonly refreshTokenTtlSeconds?: number;
  /** Authorization-code lifetime. Default 600 (10 minutes). */
  readonly codeTtlSeconds?: number;
  readonly demoEmail?: string;
  readonly demoPassword?: string;
  /** Redirect URIs registered on the demo client. */
  readonly demoRedirectUris?: readonly string[];
  /** Fixed demo client credentials (random when absent). */
  readonly demoClientId?: string;
  readonly demoClientSecret?: string;
  /** Market tick interval; 0 disables the timer (ticks then advance only through the admin API). Default 1000. */
  readonly tickIntervalMs?: number;
  /** Seed of the simulated market. Default "aries". */
  readonly seed?: string | number;
  /** Starting cash of every new account. Default 100000. */
  readonly startingCash?: number;
  /** A pino logger, or 'silent' (the default). */
  readonly logger?: Logger | 'silent';
  /** The URL browsers reach the sandbox at, when it differs from the listening address (tunnels, proxies). */
  readonly publicUrl?: string;
  /** The OpenAPI document the API implements. Default `spec/aries.openapi.yaml` in this repository. */
  readonly specPath?: string;
}

export interface SandboxConfig {
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly codeTtlSeconds: number;
  readonly demoEmail: string;
  readonly demoPassword: string;
  readonly demoRedirectUris: readonly string[];
  readonly demoClientId: string | undefined;
  readonly demoClientSecret: string | undefined;
  readonly tickIntervalMs: number;
  readonly seed: string;
  readonly startingCash: number;
  readonly logger: Logger;
  readonly publicUrl: string | undefined;
  readonly specPath: string;
}

export const DEFAULT_DEMO_EMAIL = 'demo@aries.test';
export const DEFAULT_DEMO_PASSWORD = 'demo-password';
export const DEFAULT_DEMO_REDIRECT_URIS = ['http://127.0.0.1:8787/auth/callback', 'http://localhost:8787/auth/callback'];

export function resolveSandboxOptions(options: SandboxOptions = {}): SandboxConfig {
  return {
    accessTokenTtlSeconds: positive(options.accessTokenTtlSeconds, 3600, 'accessTokenTtlSeconds'),
    refreshTokenTtlSeconds: positive(options.refreshTokenTtlSeconds, 2_592_000, 'refreshTokenTtlSeconds'),
    codeTtlSeconds: positive(options.codeTtlSeconds, 600, 'codeTtlSeconds'),
    demoEmail: options.demoEmail ?? DEFAULT_DEMO_EMAIL,
    demoPassword: options.demoPassword ?? DEFAULT_DEMO_PASSWORD,
    demoRedirectUris: options.demoRedirectUris ?? DEFAULT_DEMO_REDIRECT_URIS,
    demoClientId: options.demoClientId,
    demoClientSecret: options.demoClientSecret,
    tickIntervalMs: options.tickIntervalMs ?? 1000,
    seed: String(options.seed ?? 'aries'),
    startingCash: options.startingCash ?? 100_000,
    logger: options.logger === undefined || options.logger === 'silent' ? pino({ level: 'silent' }) : options.logger,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    specPath: options.specPath ?? fileURLToPath(new URL('../spec/aries.openapi.yaml', import.meta.url)),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`SandboxOptions.${name} must be a positive number of seconds`);
  return value;
}
