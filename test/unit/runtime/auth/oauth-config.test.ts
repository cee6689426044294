import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../runtime/config.js';
import { loadOAuthConfig } from '../../../../runtime/auth/oauth-config.js';

const KEY = Buffer.alloc(32, 3).toString('base64');
const OLD_KEY = Buffer.alloc(32, 4).toString('hex');
const PROD = { GATEWAY_PUBLIC_URL: 'https://mcp.aries.com', GATEWAY_ENCRYPTION_KEY: KEY };

describe('loadOAuthConfig', () => {
  it('reads a production configuration with Aries defaults', () => {
    const config = loadOAuthConfig(PROD, { port: 8787 });
    expect(config).toMatchObject({
      publicUrl: 'https://mcp.aries.com',
      ariesAuthorizeUrl: 'https://app.aries.com/oauth2/authorize',
      ariesTokenUrl: 'https://api.aries.com/v1/oauth2/token',
      ariesApiBase: 'https://api.aries.com',
      ariesTokenBodyFormat: 'json',
      redisUrl: undefined,
      extraRedirectUris: [],
      accessTokenTtlSeconds: 86_400,
      refreshTokenTtlSeconds: 2_592_000,
      refreshReuseGraceSeconds: 30,
      rateLimitPerMinute: 600,
      warnings: [],
    });
    expect(config.encryptionKeys).toHaveLength(1);
  });

  it('fills in sandbox mode: public URL from PORT, Aries URLs from the sandbox, a random key with a warning', () => {
    const config = loadOAuthConfig({}, { port: 8787, sandboxUrl: 'http://127.0.0.1:4010/' });
    expect(config.publicUrl).toBe('http://127.0.0.1:8787');
    expect(config.ariesAuthorizeUrl).toBe('http://127.0.0.1:4010/oauth2/authorize');
    expect(config.ariesTokenUrl).toBe('http://127.0.0.1:4010/v1/oauth2/token');
    expect(config.ariesApiBase).toBe('http://127.0.0.1:4010');
    expect(config.encryptionKeys[0]).toHaveLength(32);
    expect(config.warnings).toEqual(['GATEWAY_ENCRYPTION_KEY is not set: using a random key, so connections do not survive a restart (fine for the sandbox)']);
  });

  it('reads every optional setting', () => {
    const config = loadOAuthConfig(
      {
        ...PROD,
        GATEWAY_ENCRYPTION_KEY: `${KEY}, ${OLD_KEY}`,
        REDIS_URL: 'redis://cache:6379/2',
        OAUTH_EXTRA_REDIRECT_URIS: 'https://app.example.com/cb, http://localhost:9999/cb',
        OAUTH_ACCESS_TOKEN_TTL_SECONDS: '900',
        OAUTH_REFRESH_TOKEN_TTL_SECONDS: '86400',
        OAUTH_RATE_LIMIT_PER_MINUTE: '1200',
        OAUTH_REFRESH_REUSE_GRACE_SECONDS: '0',
        ARIES_TOKEN_BODY_FORMAT: 'form',
      },
      { port: 8787 },
    );
    expect(config.encryptionKeys).toHaveLength(2);
    expect(config).toMatchObject({
      redisUrl: 'redis://cache:6379/2',
      extraRedirectUris: ['https://app.example.com/cb', 'http://localhost:9999/cb'],
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 86400,
      refreshReuseGraceSeconds: 0,
      rateLimitPerMinute: 1200,
      ariesTokenBodyFormat: 'form',
    });
  });

  const errors: [string, { env: Record<string, string>; sandbox?: boolean; message: string }][] = [
    [
      'public URL missing',
      {
        env: { GATEWAY_ENCRYPTION_KEY: KEY },
        message:
          'GATEWAY_PUBLIC_URL is required: the https origin MCP clients reach this gateway at, such as https://mcp.aries.com (no path, no trailing slash)',
      },
    ],
    [
      'public URL with a path',
      {
        env: { ...PROD, GATEWAY_PUBLIC_URL: 'https://mcp.aries.com/mcp' },
        message:
          'GATEWAY_PUBLIC_URL must be an origin only (scheme, host, optional port), such as https://mcp.aries.com: no path, query or trailing slash; got "https://mcp.aries.com/mcp"',
      },
    ],
    [
      'public URL over http',
      {
        env: { ...PROD, GATEWAY_PUBLIC_URL: 'http://mcp.aries.com' },
        message: 'GATEWAY_PUBLIC_URL must use https (http is only for 127.0.0.1/localhost); got "http://mcp.aries.com"',
      },
    ],
    [
      'key missing',
      {
        env: { GATEWAY_PUBLIC_URL: 'https://mcp.aries.com' },
        message:
          'GATEWAY_ENCRYPTION_KEY is required: 32 random bytes as base64 or hex that encrypt stored Aries tokens; generate one with `openssl rand -base64 32`',
      },
    ],
    [
      'key too short',
      {
        env: { ...PROD, GATEWAY_ENCRYPTION_KEY: 'abc' },
        message:
          'GATEWAY_ENCRYPTION_KEY: the current key (first entry) is invalid: a key must be 32 bytes as base64 (44 characters) or hex (64 characters); got 3 characters; generate one with `openssl rand -base64 32`. List old keys after the current one, comma-separated',
      },
    ],
    ['bad old key', { env: { ...PROD, GATEWAY_ENCRYPTION_KEY: `${KEY},nope` }, message: 'GATEWAY_ENCRYPTION_KEY: old key number 1 (entry 2) is invalid' }],
    [
      'redis URL scheme',
      { env: { ...PROD, REDIS_URL: 'http://cache:6379' }, message: 'REDIS_URL must use redis or rediss, such as redis://host:6379; got "http://cache:6379"' },
    ],
    ['redis password not echoed', { env: { ...PROD, REDIS_URL: 'http://u:hunter2@cache:6379' }, message: 'got "http://u:***@cache:6379"' }],
    [
      'extra redirect over http',
      {
        env: { ...PROD, OAUTH_EXTRA_REDIRECT_URIS: 'http://app.example.com/cb' },
        message: 'OAUTH_EXTRA_REDIRECT_URIS: "http://app.example.com/cb" uses http on a non-loopback host; use https (OAuth 2.1 §1.5)',
      },
    ],
    [
      'extra redirect with fragment',
      {
        env: { ...PROD, OAUTH_EXTRA_REDIRECT_URIS: 'https://a.example/cb#x' },
        message: 'OAUTH_EXTRA_REDIRECT_URIS must be a comma-separated list of absolute redirect URIs without fragments',
      },
    ],
    [
      'token TTL out of range',
      { env: { ...PROD, OAUTH_ACCESS_TOKEN_TTL_SECONDS: '10' }, message: 'OAUTH_ACCESS_TOKEN_TTL_SECONDS must be a whole number from 60 to 604800; got "10"' },
    ],
    [
      'refresh shorter than access',
      {
        env: { ...PROD, OAUTH_ACCESS_TOKEN_TTL_SECONDS: '7200', OAUTH_REFRESH_TOKEN_TTL_SECONDS: '3600' },
        message: 'OAUTH_REFRESH_TOKEN_TTL_SECONDS (3600) must be longer than OAUTH_ACCESS_TOKEN_TTL_SECONDS (7200)',
      },
    ],
    [
      'rate limit not a number',
      { env: { ...PROD, OAUTH_RATE_LIMIT_PER_MINUTE: 'lots' }, message: 'OAUTH_RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 1000000; got "lots"' },
    ],
    [
      'Aries token URL over http',
      {
        env: { ...PROD, ARIES_TOKEN_URL: 'http://api.aries.com/v1/oauth2/token' },
        message: 'ARIES_TOKEN_URL must use https (http is only for a local sandbox)',
      },
    ],
    ['body format', { env: { ...PROD, ARIES_TOKEN_BODY_FORMAT: 'xml' }, message: 'ARIES_TOKEN_BODY_FORMAT must be json or form; got "xml"' }],
  ];
  it.each(errors)('names the variable and the fix: %s', (_name, { env, sandbox, message }) => {
    const load = () => loadOAuthConfig(env, { port: 8787, sandboxUrl: sandbox ? 'http://127.0.0.1:4010' : undefined });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
