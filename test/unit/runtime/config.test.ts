import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { ConfigError, GATEWAY_SETTING, loadConfig, loadSettings, settingReader, type Env } from '../../../runtime/config.js';
import { SETTINGS, settingDocs } from '../../../runtime/settings/settings.js';

/** TRUST_PROXY as the parser reads it. */
function readTrustProxy(env: Env) {
  return settingReader(env, {})(SETTINGS.trustProxy);
}
import { boundPort } from '../../../build/free-port.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      ariesApiBase: 'https://api.aries.com',
      allowedOrigins: [],
      toolTimeoutMs: 15_000,
      resultBudgetTokens: 20_000,
      duplicateWindowSeconds: 60,
      toolCallsPerMinute: 600,
      concurrentCallsPerGrant: 4,
      concurrentCallsWaitMs: 2_000,
      pendingAuthorizationsMax: 10_000,
      metricsToken: undefined,
      metricsPort: undefined,
      maxBodyBytes: 1_048_576,
      logLevel: 'info',
      mcpFastPath: true,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '9000',
        ARIES_API_BASE: 'http://127.0.0.1:4010/',
        MCP_ALLOWED_ORIGINS: 'https://claude.ai, http://localhost:6274/',
        TOOL_TIMEOUT_MS: '2000',
        RESULT_BUDGET_TOKENS: '12000',
        DUPLICATE_WINDOW_SECONDS: '0',
        TOOL_CALLS_PER_MINUTE: '120',
        MAX_BODY_BYTES: '2048',
        CONCURRENT_CALLS_PER_GRANT: '2',
        CONCURRENT_CALLS_WAIT_MS: '0',
        OAUTH_PENDING_AUTHORIZATIONS_MAX: '50',
        METRICS_TOKEN: 'a-metrics-secret-0123456789',
        METRICS_PORT: '9464',
        LOG_LEVEL: 'DEBUG',
        MCP_FAST_PATH: 'OFF',
      }),
    ).toEqual({
      port: 9000,
      ariesApiBase: 'http://127.0.0.1:4010',
      allowedOrigins: ['https://claude.ai', 'http://localhost:6274'],
      toolTimeoutMs: 2000,
      resultBudgetTokens: 12_000,
      duplicateWindowSeconds: 0,
      toolCallsPerMinute: 120,
      concurrentCallsPerGrant: 2,
      concurrentCallsWaitMs: 0,
      pendingAuthorizationsMax: 50,
      metricsToken: 'a-metrics-secret-0123456789',
      metricsPort: 9464,
      maxBodyBytes: 2048,
      logLevel: 'debug',
      mcpFastPath: false,
    });
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535; got "eighty"'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535; got "70000"'],
    ['TOOL_TIMEOUT_MS', '-5', 'TOOL_TIMEOUT_MS must be a whole number from 100 to 300000; got "-5"'],
    ['RESULT_BUDGET_TOKENS', '1e5', 'RESULT_BUDGET_TOKENS must be a whole number from 250 to 100000; got "1e5"'],
    [
      'RESULT_BUDGET_CHARS',
      '50000',
      'RESULT_BUDGET_CHARS was replaced by RESULT_BUDGET_TOKENS (estimated tokens, about 4 characters each; default 20000): remove it and set RESULT_BUDGET_TOKENS instead',
    ],
    ['ARIES_API_BASE', 'api.aries.com', 'ARIES_API_BASE must be an absolute URL such as https://api.aries.com; got "api.aries.com"'],
    ['ARIES_API_BASE', 'ftp://api.aries.com', 'ARIES_API_BASE must use https or http, such as https://api.aries.com; got "ftp://api.aries.com"'],
    // One rule for ARIES_API_BASE: the app's reader accepted plain http to any host while the OAuth proxy's refused it.
    ['ARIES_API_BASE', 'http://api.aries.com', 'ARIES_API_BASE must use https (http is only for a local sandbox); got "http://api.aries.com"'],
    ['ARIES_API_BASE', 'https://api.aries.com/?v=1', 'ARIES_API_BASE must not carry a query; got "https://api.aries.com/?v=1"'],
    [
      'MCP_ALLOWED_ORIGINS',
      'https://claude.ai/connectors',
      'MCP_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got "https://claude.ai/connectors"',
    ],
    [
      'MCP_ALLOWED_ORIGINS',
      'claude.ai',
      'MCP_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got "claude.ai"',
    ],
    ['CONCURRENT_CALLS_PER_GRANT', '0', 'CONCURRENT_CALLS_PER_GRANT must be a whole number from 1 to 1000; got "0"'],
    ['METRICS_PORT', '0', 'METRICS_PORT must be a whole number from 1 to 65535; got "0"'],
    ['METRICS_TOKEN', 'short', 'METRICS_TOKEN must be at least 16 characters without spaces (for example: openssl rand -hex 32)'],
    ['MCP_FAST_PATH', 'sometimes', 'MCP_FAST_PATH must be on or off; got "sometimes"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"'],
  ])('%s=%s is refused with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
  });
});

// Finding 8 (issue 12): TRUST_PROXY=true stopped start-up with "invalid IP address: true", naming no variable.
describe('readTrustProxy (TRUST_PROXY, every form Express accepts)', () => {
  it.each([
    ['unset', undefined, false],
    ['true', 'true', true],
    ['TRUE', 'TRUE', true],
    ['false', 'false', false],
    ['a hop count', '2', 2],
    ['one address', '10.0.0.1', ['10.0.0.1']],
    [
      'a list of addresses, subnets and names',
      '10.0.0.1, 192.168.0.0/16,fc00::/7 ,loopback,linklocal,uniquelocal',
      ['10.0.0.1', '192.168.0.0/16', 'fc00::/7', 'loopback', 'linklocal', 'uniquelocal'],
    ],
    ['a subnet with a netmask', '10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
  ])('%s', (_name, value, want) => {
    expect(readTrustProxy(value === undefined ? {} : { TRUST_PROXY: value })).toEqual(want);
  });

  const FORMS =
    'TRUST_PROXY must be true, false, a hop count such as 1, or a comma-separated list of proxy addresses and subnets such as 10.0.0.1,192.168.0.0/16 (or the names loopback, linklocal, uniquelocal)';
  it.each([
    ['yes', `${FORMS}; got "yes" (invalid IP address: yes)`],
    ['10.0.0.1,,loopback', `${FORMS}; got "10.0.0.1,,loopback" (empty entry)`],
    ['10.0.0.0/33', `${FORMS}; got "10.0.0.0/33" (invalid range on address: 10.0.0.0/33)`],
    ['1.5', `${FORMS}; got "1.5" (invalid IP address: 1.5)`],
  ])('refuses %s naming the variable and the accepted forms', (value, message) => {
    expect(() => readTrustProxy({ TRUST_PROXY: value })).toThrow(new ConfigError(message));
  });

  it.each([
    ['true', '203.0.113.7'],
    ['1', '203.0.113.7'],
    ['loopback', '203.0.113.7'],
    ['10.0.0.1', '127.0.0.1'],
    ['false', '127.0.0.1'],
  ])('TRUST_PROXY=%s makes Express see the client as %s behind a loopback proxy', async (value, ip) => {
    const app = express().set('trust proxy', readTrustProxy({ TRUST_PROXY: value }));
    app.get('/', (req, res) => {
      res.send(req.ip);
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${boundPort(server)}/`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(await res.text()).toBe(ip);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});

const KEY = Buffer.alloc(32, 3).toString('base64');
const PRODUCTION = {
  ARIES_API_BASE: 'https://api.aries.example',
  ARIES_AUTHORIZE_URL: 'https://app.aries.example/oauth2/authorize',
  ARIES_TOKEN_URL: 'https://api.aries.example/v1/oauth2/token',
  GATEWAY_PUBLIC_URL: 'https://mcp.aries.example',
  GATEWAY_ENCRYPTION_KEY: KEY,
};

describe('loadSettings (the one parser)', () => {
  it('reads a full production environment into one typed object', () => {
    const settings = loadSettings({ ...PRODUCTION, HOST: '0.0.0.0', TRUST_PROXY: '1', SANDBOX_PORT: '4999' }, { production: true });
    expect(settings).toMatchObject({
      ariesApiBase: 'https://api.aries.example',
      publicUrl: 'https://mcp.aries.example',
      host: '0.0.0.0',
      trustProxy: 1,
      port: 8787,
      sandboxPort: 4999,
      codeCache: true,
    });
    expect(settings.encryptionKeys).toEqual([Buffer.alloc(32, 3)]);
  });

  const missing: [string, { env: Record<string, string>; message: string }][] = [
    [
      'one Aries URL',
      {
        env: { ARIES_API_BASE: PRODUCTION.ARIES_API_BASE },
        message:
          'ARIES_API_BASE is set but ARIES_AUTHORIZE_URL and ARIES_TOKEN_URL are not: set all of ARIES_API_BASE, ARIES_AUTHORIZE_URL, ARIES_TOKEN_URL to serve real Aries, or none to run on the embedded sandbox',
      },
    ],
    [
      'two Aries URLs',
      {
        env: { ARIES_API_BASE: PRODUCTION.ARIES_API_BASE, ARIES_TOKEN_URL: PRODUCTION.ARIES_TOKEN_URL },
        message: 'ARIES_API_BASE and ARIES_TOKEN_URL are set but ARIES_AUTHORIZE_URL is not:',
      },
    ],
    [
      'no Aries URL',
      {
        env: { GATEWAY_PUBLIC_URL: PRODUCTION.GATEWAY_PUBLIC_URL, GATEWAY_ENCRYPTION_KEY: KEY },
        message:
          'ARIES_API_BASE is required to serve real Aries (ARIES_API_BASE, ARIES_AUTHORIZE_URL, ARIES_TOKEN_URL, GATEWAY_PUBLIC_URL and GATEWAY_ENCRYPTION_KEY are)',
      },
    ],
    [
      'the public URL',
      { env: { ...PRODUCTION, GATEWAY_PUBLIC_URL: ' ' }, message: 'GATEWAY_PUBLIC_URL is required: the https origin MCP clients reach this gateway at' },
    ],
    ['the key', { env: { ...PRODUCTION, GATEWAY_ENCRYPTION_KEY: '' }, message: 'GATEWAY_ENCRYPTION_KEY is required: 32 random bytes as base64 or hex' }],
  ];
  it.each(missing)('the production entry refuses to start without %s', (_name, { env, message }) => {
    expect(() => loadSettings(env, { production: true })).toThrow(ConfigError);
    expect(() => loadSettings(env, { production: true })).toThrow(message);
  });

  it('defaults fill in unset variables and pass the same checks as configured ones', () => {
    expect(loadSettings({ ...PRODUCTION, GATEWAY_PUBLIC_URL: '' }, { defaults: { GATEWAY_PUBLIC_URL: 'http://127.0.0.1:9000' } }).publicUrl).toBe(
      'http://127.0.0.1:9000',
    );
    expect(loadSettings(PRODUCTION, { defaults: { GATEWAY_PUBLIC_URL: 'http://127.0.0.1:9000' } }).publicUrl).toBe('https://mcp.aries.example');
    expect(() => loadSettings({ ...PRODUCTION, GATEWAY_PUBLIC_URL: '' }, { defaults: { GATEWAY_PUBLIC_URL: 'http://mcp.example' } })).toThrow(
      'GATEWAY_PUBLIC_URL must use https',
    );
  });

  it.each([
    ['HOST', 'my host', 'HOST must be a host name or IP address such as 0.0.0.0; got "my host"'],
    ['SANDBOX_PORT', '99999', 'SANDBOX_PORT must be a whole number from 0 to 65535; got "99999"'],
    ['GATEWAY_CODE_CACHE', 'maybe', 'GATEWAY_CODE_CACHE must be on or off; got "maybe"'],
  ])('%s=%s is refused naming the variable and the accepted form', (name, value, message) => {
    expect(() => loadSettings({ ...PRODUCTION, [name]: value })).toThrow(new ConfigError(message));
  });

  // Every secret setting: a bad value's message names the variable and never contains the value.
  const SECRET_VALUES: Record<string, string> = {
    GATEWAY_ENCRYPTION_KEY: 'Zq9-secret-value-xyz',
    METRICS_TOKEN: 'Zq9 secret value xyz',
    REDIS_URL: 'http://user:Zq9-secret-value-xyz@cache:6379',
  };
  it.each(settingDocs().filter((doc) => doc.secret))('never echoes the value of secret $name', ({ name }) => {
    const value = SECRET_VALUES[name];
    expect(value, `add a bad value for the new secret setting ${name}`).toBeDefined();
    let message = '';
    try {
      loadSettings({ ...PRODUCTION, [name]: value });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain(name);
    expect(message).not.toContain('Zq9');
  });

  it('GATEWAY_SETTING (what the build and the process tests strip) covers every declared and retired name', () => {
    for (const { name } of settingDocs()) expect(GATEWAY_SETTING.test(name), name).toBe(true);
    expect(GATEWAY_SETTING.test('RESULT_BUDGET_CHARS')).toBe(true);
    expect(GATEWAY_SETTING.test('SANDBOX_TICK_MS')).toBe(true);
    expect(GATEWAY_SETTING.test('PATH')).toBe(false);
    expect(GATEWAY_SETTING.test('PORTABLE')).toBe(false);
  });
});
