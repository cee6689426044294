/**
 * The one settings parser: the environment, read with the declaration table
 * (`settings/settings.ts`), into one typed `Settings` object that the
 * entries hand to the app. `readEnvironment` is the gateway's only read of
 * `process.env`.
 *
 * Rules it enforces beyond each setting's own reader:
 * - a retired name (RESULT_BUDGET_CHARS) stops start-up with the way forward;
 * - the production entry requires every setting the table marks `required`
 *   (the three ARIES_* as a group: some set is an error naming the rest);
 * - OAUTH_REFRESH_TOKEN_TTL_SECONDS is longer than the access token's.
 * `defaults` fill in unset variables before reading (the demo entry's
 * sandbox URLs, public URL and key, `settings/sandbox-defaults.ts`), so they
 * pass the same checks as a value from the environment.
 *
 * `loadConfig` and `loadOAuthConfig` (`auth/oauth-config.ts`) read the part
 * of the table the app and the OAuth proxy take, for tests and the bench.
 */
import { ConfigError, present, type Env } from './settings/config-error.js';
import type { Setting } from './settings/setting-kinds.js';
import { RETIRED_SETTINGS, SETTINGS, type Settings } from './settings/settings.js';
import { ARIES_SETTINGS } from './start-up.js';

export { ConfigError, present, type Env } from './settings/config-error.js';
export { GATEWAY_SETTING, type LogLevel, type Settings } from './settings/settings.js';
export type { TrustProxy } from './settings/trust-proxy.js';

/** A reader bound to one environment: a setting's typed value. */
export type ReadSetting = <T>(setting: Setting<T>) => T;

export interface ParseOptions {
  /** Values for unset variables, read as if they came from the environment. */
  readonly defaults?: Env;
  /** The production entry: every `required` setting must come from the environment. */
  readonly production?: boolean;
}

/** The process environment: the one place the gateway reads it. */
export function readEnvironment(): Env {
  return process.env;
}

/** Every setting, typed: what the entries read and hand to the app. */
export function loadSettings(env: Env, options: ParseOptions = {}): Settings {
  const read = settingReader(env, options);
  return { ...readAppSettings(read), ...readOAuthSettings(read), ...readProcessSettings(read) };
}

/** What `createApp` reads: the app-wide settings (the OAuth proxy takes `OAuthConfig`). */
export type Config = ReturnType<typeof readAppSettings>;

/** The app's settings alone (`createApp`'s `config`), for tests and the bench, which build the app themselves. */
export function loadConfig(env: Env): Config {
  return readAppSettings(settingReader(env, {}));
}

/** The OAuth proxy's settings alone; `auth/oauth-config.ts` adds the warnings. */
export function loadOAuthSettings(env: Env, options: ParseOptions = {}): ReturnType<typeof readOAuthSettings> {
  return readOAuthSettings(settingReader(env, options));
}

/** Checks the whole-environment rules, then reads each setting from the environment or `defaults`. */
export function settingReader(env: Env, options: ParseOptions): ReadSetting {
  for (const retired of RETIRED_SETTINGS) if (present(env, retired.name) !== undefined) throw new ConfigError(retired.message);
  if (options.production === true) requireProductionSettings(env);
  const defaults = options.defaults ?? {};
  return (setting) => setting.read(present(env, setting.name) ?? present(defaults, setting.name));
}

function readAppSettings(read: ReadSetting) {
  const s = SETTINGS;
  return {
    port: read(s.port),
    ariesApiBase: read(s.ariesApiBase),
    allowedOrigins: read(s.allowedOrigins),
    toolTimeoutMs: read(s.toolTimeoutMs),
    resultBudgetTokens: read(s.resultBudgetTokens),
    duplicateWindowSeconds: read(s.duplicateWindowSeconds),
    toolCallsPerMinute: read(s.toolCallsPerMinute),
    concurrentCallsPerGrant: read(s.concurrentCallsPerGrant),
    concurrentCallsWaitMs: read(s.concurrentCallsWaitMs),
    pendingAuthorizationsMax: read(s.pendingAuthorizationsMax),
    metricsToken: read(s.metricsToken),
    metricsPort: read(s.metricsPort),
    maxBodyBytes: read(s.maxBodyBytes),
    logLevel: read(s.logLevel),
    mcpFastPath: read(s.mcpFastPath),
  } as const satisfies Partial<Settings>;
}

function readOAuthSettings(read: ReadSetting) {
  const s = SETTINGS;
  const settings = {
    publicUrl: read(s.publicUrl),
    ariesAuthorizeUrl: read(s.ariesAuthorizeUrl),
    ariesTokenUrl: read(s.ariesTokenUrl),
    ariesApiBase: read(s.ariesApiBase),
    ariesTokenBodyFormat: read(s.ariesTokenBodyFormat),
    encryptionKeys: read(s.encryptionKeys),
    redisUrl: read(s.redisUrl),
    extraRedirectUris: read(s.extraRedirectUris),
    accessTokenTtlSeconds: read(s.accessTokenTtlSeconds),
    refreshTokenTtlSeconds: read(s.refreshTokenTtlSeconds),
    refreshReuseGraceSeconds: read(s.refreshReuseGraceSeconds),
    rateLimitPerMinute: read(s.rateLimitPerMinute),
  } as const satisfies Partial<Settings>;
  if (settings.refreshTokenTtlSeconds <= settings.accessTokenTtlSeconds) {
    throw new ConfigError(
      `OAUTH_REFRESH_TOKEN_TTL_SECONDS (${settings.refreshTokenTtlSeconds}) must be longer than OAUTH_ACCESS_TOKEN_TTL_SECONDS (${settings.accessTokenTtlSeconds})`,
    );
  }
  return settings;
}

/** Where and how the process listens, and the demo's sandbox: read by the entries, not the app. */
function readProcessSettings(read: ReadSetting) {
  const s = SETTINGS;
  return {
    host: read(s.host),
    trustProxy: read(s.trustProxy),
    codeCache: read(s.codeCache),
    sandboxPort: read(s.sandboxPort),
    sandboxDemoEmail: read(s.sandboxDemoEmail),
    sandboxDemoPassword: read(s.sandboxDemoPassword),
  } as const satisfies Partial<Settings>;
}

function requireProductionSettings(env: Env): void {
  const aries = ARIES_SETTINGS.filter((name) => present(env, name) !== undefined);
  if (aries.length > 0 && aries.length < ARIES_SETTINGS.length) {
    const missing = ARIES_SETTINGS.filter((name) => !aries.includes(name));
    throw new ConfigError(
      `${aries.join(' and ')} ${aries.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not: set all of ${ARIES_SETTINGS.join(', ')} to serve real Aries, or none to run on the embedded sandbox`,
    );
  }
  for (const setting of Object.values(SETTINGS)) {
    if (setting.production !== 'required' || present(env, setting.name) !== undefined) continue;
    // A required setting without a default: its reader says what is missing and how to make it.
    setting.read(undefined);
    throw new ConfigError(`${setting.name} is required to serve real Aries (${ARIES_SETTINGS.join(', ')}, GATEWAY_PUBLIC_URL and GATEWAY_ENCRYPTION_KEY are)`);
  }
}
