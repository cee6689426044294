/**
 * Reads and validates the OAuth proxy's settings from the environment.
 * Every problem is a `ConfigError` (the one `main.ts` already reports) whose
 * message names the variable, what it got and how to fix it. Secrets are
 * never echoed.
 *
 * Sandbox mode (`options.sandboxUrl` given: the gateway runs on the embedded
 * sandbox) fills in what a local run cannot know: Aries URLs from the
 * sandbox, `GATEWAY_PUBLIC_URL` = `http://127.0.0.1:<PORT>`, and a random
 * encryption key (with a warning: grants do not survive a restart).
 */
import { ConfigError, present, readInteger, type Env } from '../config.js';
import { generateEncryptionKey, parseEncryptionKey } from '../store/seal.js';

export interface OAuthConfig {
  /** GATEWAY_PUBLIC_URL: the origin clients reach the gateway at (no path, no trailing slash). Issuer and audience derive from it. */
  readonly publicUrl: string;
  /** ARIES_AUTHORIZE_URL: the browser sign-in and consent page. */
  readonly ariesAuthorizeUrl: string;
  /** ARIES_TOKEN_URL: code exchange and refresh. */
  readonly ariesTokenUrl: string;
  /** ARIES_API_BASE: the REST API (used by the tools, reported here for start-up logs). */
  readonly ariesApiBase: string;
  /** ARIES_TOKEN_BODY_FORMAT: `json` (Aries' documented examples, default) or `form`. */
  readonly ariesTokenBodyFormat: 'json' | 'form';
  /** GATEWAY_ENCRYPTION_KEY: comma list; the first seals, all open (rotation). */
  readonly encryptionKeys: readonly Buffer[];
  /** REDIS_URL: shared store for several replicas; memory when absent. */
  readonly redisUrl: string | undefined;
  /** OAUTH_EXTRA_REDIRECT_URIS: client redirect URIs allowed besides Claude's and loopback (exact). */
  readonly extraRedirectUris: readonly string[];
  /**
   * OAUTH_ACCESS_TOKEN_TTL_SECONDS (default 86400, one day). Claude's hosted connectors are publicly reported to not
   * refresh gateway tokens reliably, which drops the connection when the access token expires; a gateway token is
   * checked against the store on every request, so revoking the grant still ends it at once.
   */
  readonly accessTokenTtlSeconds: number;
  /** OAUTH_REFRESH_TOKEN_TTL_SECONDS (default 2592000, 30 days). */
  readonly refreshTokenTtlSeconds: number;
  /**
   * OAUTH_REFRESH_REUSE_GRACE_SECONDS (default 30, 0 turns it off): a refresh token presented again this soon after its
   * rotation (a retry after a lost answer, two tabs) gets the same successor tokens instead of revoking the grant.
   */
  readonly refreshReuseGraceSeconds: number;
  /** OAUTH_RATE_LIMIT_PER_MINUTE: requests per client address per minute on each OAuth endpoint (default 600). */
  readonly rateLimitPerMinute: number;
  /** Things start-up should log as warnings. */
  readonly warnings: readonly string[];
}

export interface OAuthConfigOptions {
  /** PORT the gateway listens on (sandbox-mode default public URL). */
  readonly port: number;
  /** Base URL of the embedded sandbox, when running on it. */
  readonly sandboxUrl?: string;
}

const GENERATE_KEY = 'generate one with `openssl rand -base64 32`';

export function loadOAuthConfig(env: Env, options: OAuthConfigOptions): OAuthConfig {
  const sandbox = options.sandboxUrl?.replace(/\/+$/, '');
  const warnings: string[] = [];

  const publicUrlRaw = present(env, 'GATEWAY_PUBLIC_URL') ?? (sandbox !== undefined ? `http://127.0.0.1:${options.port}` : undefined);
  if (publicUrlRaw === undefined) {
    throw new ConfigError('GATEWAY_PUBLIC_URL is required: the https origin MCP clients reach this gateway at, such as https://mcp.aries.com (no path, no trailing slash)');
  }

  const keysRaw = present(env, 'GATEWAY_ENCRYPTION_KEY');
  let encryptionKeys: Buffer[];
  if (keysRaw === undefined) {
    if (sandbox === undefined) throw new ConfigError(`GATEWAY_ENCRYPTION_KEY is required: 32 random bytes as base64 or hex that encrypt stored Aries tokens; ${GENERATE_KEY}`);
    encryptionKeys = [generateEncryptionKey()];
    warnings.push('GATEWAY_ENCRYPTION_KEY is not set: using a random key, so connections do not survive a restart (fine for the sandbox)');
  } else {
    encryptionKeys = readKeys(keysRaw);
  }

  const redisUrl = present(env, 'REDIS_URL');
  if (redisUrl !== undefined) readUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:'], 'redis://host:6379');
  const accessTokenTtlSeconds = readInteger(env, 'OAUTH_ACCESS_TOKEN_TTL_SECONDS', 86_400, 60, 604_800);
  const refreshTokenTtlSeconds = readInteger(env, 'OAUTH_REFRESH_TOKEN_TTL_SECONDS', 2_592_000, 3600, 31_536_000);
  if (refreshTokenTtlSeconds <= accessTokenTtlSeconds) {
    throw new ConfigError(`OAUTH_REFRESH_TOKEN_TTL_SECONDS (${refreshTokenTtlSeconds}) must be longer than OAUTH_ACCESS_TOKEN_TTL_SECONDS (${accessTokenTtlSeconds})`);
  }
  const bodyFormat = present(env, 'ARIES_TOKEN_BODY_FORMAT')?.toLowerCase() ?? 'json';
  if (bodyFormat !== 'json' && bodyFormat !== 'form') throw new ConfigError(`ARIES_TOKEN_BODY_FORMAT must be json or form; got ${JSON.stringify(bodyFormat)}`);

  return {
    publicUrl: readPublicUrl(publicUrlRaw),
    ariesAuthorizeUrl: readAriesUrl(env, 'ARIES_AUTHORIZE_URL', sandbox ? `${sandbox}/oauth2/authorize` : 'https://app.aries.com/oauth2/authorize'),
    ariesTokenUrl: readAriesUrl(env, 'ARIES_TOKEN_URL', sandbox ? `${sandbox}/v1/oauth2/token` : 'https://api.aries.com/v1/oauth2/token'),
    ariesApiBase: readAriesUrl(env, 'ARIES_API_BASE', sandbox ?? 'https://api.aries.com').replace(/\/+$/, ''),
    ariesTokenBodyFormat: bodyFormat,
    encryptionKeys,
    redisUrl,
    extraRedirectUris: readRedirectUris(env, 'OAUTH_EXTRA_REDIRECT_URIS'),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    refreshReuseGraceSeconds: readInteger(env, 'OAUTH_REFRESH_REUSE_GRACE_SECONDS', 30, 0, 300),
    rateLimitPerMinute: readInteger(env, 'OAUTH_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    warnings,
  };
}

function readKeys(raw: string): Buffer[] {
  return raw.split(',').map((part, index) => {
    try {
      return parseEncryptionKey(part);
    } catch (error) {
      const which = index === 0 ? 'the current key (first entry)' : `old key number ${index} (entry ${index + 1})`;
      throw new ConfigError(`GATEWAY_ENCRYPTION_KEY: ${which} is invalid: ${(error as Error).message}; ${GENERATE_KEY}. List old keys after the current one, comma-separated`);
    }
  });
}

function readUrl(name: string, raw: string, protocols: readonly string[], example: string): URL {
  if (!URL.canParse(raw)) throw new ConfigError(`${name} must be an absolute URL such as ${example}; got ${JSON.stringify(redact(raw))}`);
  const url = new URL(raw);
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}, such as ${example}; got ${JSON.stringify(redact(raw))}`);
  }
  return url;
}

function readPublicUrl(raw: string): string {
  const url = readUrl('GATEWAY_PUBLIC_URL', raw, ['https:', 'http:'], 'https://mcp.aries.com');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigError(`GATEWAY_PUBLIC_URL must use https (http is only for 127.0.0.1/localhost); got ${JSON.stringify(raw)}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(`GATEWAY_PUBLIC_URL must be an origin only (scheme, host, optional port), such as https://mcp.aries.com: no path, query or trailing slash; got ${JSON.stringify(raw)}`);
  }
  return url.origin;
}

function readAriesUrl(env: Env, name: string, fallback: string): string {
  const raw = present(env, name) ?? fallback;
  const url = readUrl(name, raw, ['https:', 'http:'], fallback);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) throw new ConfigError(`${name} must use https (http is only for a local sandbox); got ${JSON.stringify(raw)}`);
  if (url.hash !== '') throw new ConfigError(`${name} must not contain a fragment; got ${JSON.stringify(raw)}`);
  return url.href;
}

function readRedirectUris(env: Env, name: string): string[] {
  const raw = present(env, name);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (!URL.canParse(entry) || entry.includes('#')) {
        throw new ConfigError(`${name} must be a comma-separated list of absolute redirect URIs without fragments, such as https://app.example.com/oauth/callback; got ${JSON.stringify(entry)}`);
      }
      const url = new URL(entry);
      if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        throw new ConfigError(`${name}: ${JSON.stringify(entry)} uses http on a non-loopback host; use https (OAuth 2.1 §1.5)`);
      }
      return entry;
    });
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

function redact(raw: string): string {
  return raw.replace(/\/\/([^@/]*):([^@/]*)@/, '//$1:***@');
}
