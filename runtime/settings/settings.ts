/**
 * Every environment setting of the gateway, declared once: its variable,
 * default, whether production requires it, one-line meaning and reader.
 * `config.ts` parses the environment with this table into one typed
 * `Settings` object; the README's configuration table is rendered from it
 * (`npm run docs:settings`, checked by `test/build/settings-table.test.ts`);
 * the build and the process tests derive the list of names to drop from an
 * inherited environment from it (`GATEWAY_SETTING`).
 *
 * Keys are the property names the rest of the gateway reads. The order is
 * the README's. This module reads nothing itself.
 */
import { ConfigError } from './config-error.js';
import { readBearerSecret, readEncryptionKeys } from './secret-values.js';
import { custom, onOff, oneOf, optionalWholeNumber, text, wholeNumber, type Setting, type SettingDoc } from './setting-kinds.js';
import { readTrustProxy } from './trust-proxy.js';
import { readAriesApiBase, readAriesEndpoint, readOrigins, readPublicUrl, readRedirectUris, readRedisUrl } from './url-values.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const ARIES_DEFAULT = '`npm start`: the embedded sandbox';

export const SETTINGS = {
  ariesApiBase: custom(
    'ARIES_API_BASE',
    {
      production: 'required',
      defaultText: ARIES_DEFAULT,
      description: 'Aries REST API, e.g. `https://api.aries.com` (https; http only for a loopback sandbox)',
    },
    (raw) => readAriesApiBase('ARIES_API_BASE', raw ?? 'https://api.aries.com'),
  ),
  ariesAuthorizeUrl: custom(
    'ARIES_AUTHORIZE_URL',
    { production: 'required', defaultText: ARIES_DEFAULT, description: 'browser sign-in, e.g. `https://app.aries.com/oauth2/authorize`' },
    (raw) => readAriesEndpoint('ARIES_AUTHORIZE_URL', raw ?? 'https://app.aries.com/oauth2/authorize', 'https://app.aries.com/oauth2/authorize'),
  ),
  ariesTokenUrl: custom(
    'ARIES_TOKEN_URL',
    { production: 'required', defaultText: ARIES_DEFAULT, description: 'e.g. `https://api.aries.com/v1/oauth2/token`' },
    (raw) => readAriesEndpoint('ARIES_TOKEN_URL', raw ?? 'https://api.aries.com/v1/oauth2/token', 'https://api.aries.com/v1/oauth2/token'),
  ),
  ariesTokenBodyFormat: oneOf('ARIES_TOKEN_BODY_FORMAT', {
    values: ['json', 'form'],
    default: 'json',
    description: '`json` or `form` body for the token endpoint',
  }),
  publicUrl: custom(
    'GATEWAY_PUBLIC_URL',
    {
      production: 'required',
      defaultText: '`npm start`: `http://127.0.0.1:$PORT`',
      description: 'origin clients reach the gateway at, e.g. `https://mcp.aries.com`; the OAuth issuer and token audience derive from it',
    },
    (raw) => {
      if (raw === undefined)
        throw new ConfigError(
          'GATEWAY_PUBLIC_URL is required: the https origin MCP clients reach this gateway at, such as https://mcp.aries.com (no path, no trailing slash)',
        );
      return readPublicUrl('GATEWAY_PUBLIC_URL', raw);
    },
  ),
  encryptionKeys: custom(
    'GATEWAY_ENCRYPTION_KEY',
    {
      production: 'required',
      secret: true,
      defaultText: '`npm start`: random, with a warning',
      description: '32 bytes, base64 or hex (`openssl rand -base64 32`); a comma list rotates keys: the first encrypts, all decrypt',
    },
    (raw): readonly Buffer[] => readEncryptionKeys('GATEWAY_ENCRYPTION_KEY', raw),
  ),
  redisUrl: custom(
    'REDIS_URL',
    {
      secret: true,
      defaultText: 'in-memory',
      description:
        'shared store for several replicas (`redis://host:6379`): grants and tokens, and every safety state (duplicate-order window, call and concurrency limits, OAuth per-address limits), so limits hold for the fleet',
    },
    (raw) => (raw === undefined ? undefined : readRedisUrl('REDIS_URL', raw)),
  ),
  host: text('HOST', {
    default: '127.0.0.1',
    pattern: /^[A-Za-z0-9.:[\]-]+$/,
    form: 'a host name or IP address such as 0.0.0.0',
    description: 'address the gateway listens on (`0.0.0.0` behind a load balancer)',
  }),
  port: wholeNumber('PORT', { default: 8787, min: 0, max: 65_535, description: 'port the gateway listens on' }),
  trustProxy: custom(
    'TRUST_PROXY',
    {
      defaultText: '`false`',
      description:
        'Express `trust proxy` behind a load balancer, so rate limits see client addresses: `true`, `false`, a hop count such as `1`, or a comma list of proxy addresses/subnets (`10.0.0.1,192.168.0.0/16`, `loopback`, `linklocal`, `uniquelocal`)',
    },
    (raw) => readTrustProxy('TRUST_PROXY', raw),
  ),
  allowedOrigins: custom(
    'MCP_ALLOWED_ORIGINS',
    { defaultText: 'none', description: 'browser origins allowed to call `/mcp` (no Origin, and loopback origins to a loopback host, are always allowed)' },
    (raw): readonly string[] => (raw === undefined ? [] : readOrigins('MCP_ALLOWED_ORIGINS', raw)),
  ),
  extraRedirectUris: custom(
    'OAUTH_EXTRA_REDIRECT_URIS',
    { defaultText: 'none', description: "client redirect URIs allowed besides Claude's and loopback (exact match)" },
    (raw): readonly string[] => (raw === undefined ? [] : readRedirectUris('OAUTH_EXTRA_REDIRECT_URIS', raw)),
  ),
  accessTokenTtlSeconds: wholeNumber('OAUTH_ACCESS_TOKEN_TTL_SECONDS', {
    default: 86_400,
    min: 60,
    max: 604_800,
    description:
      "gateway access token lifetime: one day because Claude's hosted connectors often fail to refresh (publicly reported); every request still checks the grant, so revocation is immediate",
  }),
  refreshTokenTtlSeconds: wholeNumber('OAUTH_REFRESH_TOKEN_TTL_SECONDS', {
    default: 2_592_000,
    min: 3_600,
    max: 31_536_000,
    description: 'gateway refresh token lifetime; must be longer than the access token lifetime',
  }),
  refreshReuseGraceSeconds: wholeNumber('OAUTH_REFRESH_REUSE_GRACE_SECONDS', {
    default: 30,
    min: 0,
    max: 300,
    description:
      'a refresh token presented again this soon after its rotation (a retry after a lost answer, two tabs) gets the same new tokens instead of ending the connection; later reuse revokes the grant; 0 turns it off',
  }),
  rateLimitPerMinute: wholeNumber('OAUTH_RATE_LIMIT_PER_MINUTE', {
    default: 600,
    min: 1,
    max: 1_000_000,
    description: "requests per client address and OAuth endpoint per minute (Claude's users share a few addresses)",
  }),
  toolTimeoutMs: wholeNumber('TOOL_TIMEOUT_MS', { default: 15_000, min: 100, max: 300_000, description: 'upstream time limit per tool call' }),
  resultBudgetTokens: wholeNumber('RESULT_BUDGET_TOKENS', {
    default: 20_000,
    min: 250,
    max: 100_000,
    description:
      'size budget of one tool result in estimated tokens (UTF-8 bytes / 4; Claude refuses results over 25,000 tokens); larger results are cut with a marker saying how to narrow the request. Replaces `RESULT_BUDGET_CHARS`, which is refused',
  }),
  toolCallsPerMinute: wholeNumber('TOOL_CALLS_PER_MINUTE', {
    default: 600,
    min: 1,
    max: 1_000_000,
    description:
      "tool calls one connected user (grant) may make per minute, batches counted per call; the rest are tool errors saying how long to wait. Keyed by grant, so users sharing Claude's addresses never block each other",
  }),
  duplicateWindowSeconds: wholeNumber('DUPLICATE_WINDOW_SECONDS', {
    default: 60,
    min: 0,
    max: 3_600,
    description: 'an identical order placement from one grant inside this window is refused unless confirmed as intended, on any replica; 0 turns it off',
  }),
  concurrentCallsPerGrant: wholeNumber('CONCURRENT_CALLS_PER_GRANT', {
    default: 4,
    min: 1,
    max: 1_000,
    description: 'upstream calls one grant may have in flight at once (across replicas); more wait, then are refused as tool errors that say nothing was sent',
  }),
  concurrentCallsWaitMs: wholeNumber('CONCURRENT_CALLS_WAIT_MS', {
    default: 2_000,
    min: 0,
    max: 60_000,
    description: 'how long a call waits for a free slot before it is refused',
  }),
  pendingAuthorizationsMax: wholeNumber('OAUTH_PENDING_AUTHORIZATIONS_MAX', {
    default: 10_000,
    min: 1,
    max: 10_000_000,
    description:
      'sign-ins in progress (started at `/authorize`, not yet back from Aries) across replicas; past it `/authorize` answers a 503 page with `Retry-After`',
  }),
  metricsToken: custom(
    'METRICS_TOKEN',
    {
      secret: true,
      defaultText: 'none',
      description: "bearer secret (16+ characters) for `GET /metrics` (Prometheus text) on the gateway's port; without it `/metrics` is 404 there",
    },
    (raw) => readBearerSecret('METRICS_TOKEN', raw, 16),
  ),
  metricsPort: optionalWholeNumber('METRICS_PORT', {
    min: 1,
    max: 65_535,
    description: 'serve `GET /metrics` on this port on 127.0.0.1 instead (for a scraper on the same host or pod)',
  }),
  maxBodyBytes: wholeNumber('MAX_BODY_BYTES', { default: 1_048_576, min: 1_024, max: 16_777_216, description: 'largest accepted `/mcp` request' }),
  mcpFastPath: onOff('MCP_FAST_PATH', {
    default: true,
    description:
      "`POST /mcp` with a plain JSON body is served from Node's `http` request before Express, and `tools/call` and `tools/list` exactly as a spec-following client sends them are answered by the lean dispatcher instead of a per-request SDK server (same answers, less CPU; [docs/fast-path.md](docs/fast-path.md)); `off` serves everything through Express and the SDK",
  }),
  logLevel: oneOf('LOG_LEVEL', {
    values: LOG_LEVELS,
    default: 'info',
    description: 'pino level; logs are JSON with tokens, secrets and order details redacted',
  }),
  codeCache: onOff('GATEWAY_CODE_CACHE', {
    default: true,
    description:
      "`off` stops `npm run serve` from reading or writing its start-up code cache (`dist/.code-cache`); read by the built start file (`build/code-cache.ts`), before the gateway's code loads",
  }),
  sandboxPort: wholeNumber('SANDBOX_PORT', { entries: 'demo', default: 4010, min: 0, max: 65_535, description: 'port of the embedded sandbox (on 127.0.0.1)' }),
  sandboxDemoEmail: text('SANDBOX_DEMO_EMAIL', {
    entries: 'demo',
    default: undefined,
    defaultText: '`demo@aries.test`',
    description: "the sandbox demo user's sign-in",
  }),
  sandboxDemoPassword: text('SANDBOX_DEMO_PASSWORD', {
    entries: 'demo',
    default: undefined,
    defaultText: '`demo-password`',
    description: "the sandbox demo user's password (printed in the start banner: not a secret)",
  }),
} satisfies Record<string, Setting<unknown>>;

export type SettingKey = keyof typeof SETTINGS;

/** The typed value of every setting. */
export type Settings = { readonly [K in SettingKey]: ReturnType<(typeof SETTINGS)[K]['read']> };

/** Names the gateway no longer reads: present, they stop start-up with the way forward instead of being ignored. */
export const RETIRED_SETTINGS: readonly { readonly name: string; readonly message: string }[] = [
  {
    name: 'RESULT_BUDGET_CHARS',
    message:
      'RESULT_BUDGET_CHARS was replaced by RESULT_BUDGET_TOKENS (estimated tokens, about 4 characters each; default 20000): remove it and set RESULT_BUDGET_TOKENS instead',
  },
];

/**
 * Prefixes the gateway and its sandbox own: `SANDBOX_` also covers the
 * sandbox's own settings (`npm run sandbox`, `sandbox/main.ts`).
 */
export const SETTING_PREFIXES = ['ARIES_', 'GATEWAY_', 'OAUTH_', 'SANDBOX_'] as const;

export function settingDocs(): SettingDoc[] {
  return Object.values(SETTINGS).map(({ read: _read, ...doc }) => doc);
}

/**
 * Every variable that could change what the gateway does: the declared
 * names, the retired ones and the prefixes above. The build's priming start
 * and the process tests drop these from an inherited environment.
 */
export const GATEWAY_SETTING = new RegExp(
  `^(?:${[...SETTING_PREFIXES.map((prefix) => `${prefix}.*`), ...settingDocs().map((doc) => doc.name), ...RETIRED_SETTINGS.map((retired) => retired.name)].join('|')})$`,
);
