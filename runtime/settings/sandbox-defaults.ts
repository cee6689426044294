/**
 * What a gateway in front of the embedded sandbox cannot be told and fills
 * in itself, as defaults for unset variables (the demo entry passes them to
 * the settings parser, so they pass the same checks as configured values):
 * - the Aries URLs: the sandbox's own endpoints;
 * - GATEWAY_PUBLIC_URL: `http://127.0.0.1:<PORT>` (the one place this
 *   default is set; the demo registers its sandbox client with it);
 * - GATEWAY_ENCRYPTION_KEY: a random key, with a warning (grants do not
 *   survive a restart).
 */
import { generateEncryptionKey } from '../store/seal.js';
import { present, type Env } from './config-error.js';

export interface SandboxDefaults {
  readonly defaults: Env;
  /** For the start-up log. */
  readonly warnings: readonly string[];
}

/** `sandboxUrl` undefined: the sandbox is not listening yet (only the public URL is known). */
export function sandboxDefaults(env: Env, options: { readonly port: number; readonly sandboxUrl?: string }): SandboxDefaults {
  const sandbox = options.sandboxUrl?.replace(/\/+$/, '');
  const defaults: Record<string, string> = { GATEWAY_PUBLIC_URL: `http://127.0.0.1:${options.port}` };
  if (sandbox !== undefined) {
    defaults['ARIES_API_BASE'] = sandbox;
    defaults['ARIES_AUTHORIZE_URL'] = `${sandbox}/oauth2/authorize`;
    defaults['ARIES_TOKEN_URL'] = `${sandbox}/v1/oauth2/token`;
  }
  const warnings: string[] = [];
  if (present(env, 'GATEWAY_ENCRYPTION_KEY') === undefined) {
    defaults['GATEWAY_ENCRYPTION_KEY'] = generateEncryptionKey().toString('base64');
    warnings.push('GATEWAY_ENCRYPTION_KEY is not set: using a random key, so connections do not survive a restart (fine for the sandbox)');
  }
  return { defaults, warnings };
}
