/**
 * The OAuth proxy's settings: the part of the one settings parser
 * (`../config.ts`, declared in `../settings/settings.ts`) that the proxy
 * reads, plus the warnings start-up logs.
 *
 * `loadOAuthConfig` serves tests and the bench, which build the app
 * themselves; with `sandboxUrl` it fills in what a gateway in front of a
 * local sandbox cannot be told (`../settings/sandbox-defaults.ts`), as the
 * demo entry does.
 */
import { loadOAuthSettings, type Env } from '../config.js';
import { sandboxDefaults } from '../settings/sandbox-defaults.js';

export type OAuthConfig = ReturnType<typeof loadOAuthSettings> & {
  /** Things start-up should log as warnings. */
  readonly warnings: readonly string[];
};

export interface OAuthConfigOptions {
  /** PORT the gateway listens on (sandbox-mode default public URL). */
  readonly port: number;
  /** Base URL of the embedded sandbox, when running on it. */
  readonly sandboxUrl?: string;
}

export function loadOAuthConfig(env: Env, options: OAuthConfigOptions): OAuthConfig {
  const local =
    options.sandboxUrl === undefined ? { defaults: {}, warnings: [] } : sandboxDefaults(env, { port: options.port, sandboxUrl: options.sandboxUrl });
  return { ...loadOAuthSettings(env, { defaults: local.defaults }), warnings: local.warnings };
}
