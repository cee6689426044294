import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../runtime/config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      ariesApiBase: 'https://api.aries.com',
      allowedOrigins: [],
      toolTimeoutMs: 15_000,
      resultBudgetChars: 100_000,
      duplicateWindowSeconds: 60,
      toolCallsPerMinute: 600,
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
        RESULT_BUDGET_CHARS: '50000',
        DUPLICATE_WINDOW_SECONDS: '0',
        TOOL_CALLS_PER_MINUTE: '120',
        MAX_BODY_BYTES: '2048',
        LOG_LEVEL: 'DEBUG',
        MCP_FAST_PATH: 'OFF',
      }),
    ).toEqual({
      port: 9000,
      ariesApiBase: 'http://127.0.0.1:4010',
      allowedOrigins: ['https://claude.ai', 'http://localhost:6274'],
      toolTimeoutMs: 2000,
      resultBudgetChars: 50_000,
      duplicateWindowSeconds: 0,
      toolCallsPerMinute: 120,
      maxBodyBytes: 2048,
      logLevel: 'debug',
      mcpFastPath: false,
    });
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535; got "eighty"'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535; got "70000"'],
    ['TOOL_TIMEOUT_MS', '-5', 'TOOL_TIMEOUT_MS must be a whole number from 100 to 300000; got "-5"'],
    ['RESULT_BUDGET_CHARS', '1e5', 'RESULT_BUDGET_CHARS must be a whole number from 1000 to 150000; got "1e5"'],
    ['ARIES_API_BASE', 'api.aries.com', 'ARIES_API_BASE must be an absolute http(s) URL such as https://api.aries.com; got "api.aries.com"'],
    ['ARIES_API_BASE', 'ftp://api.aries.com', 'ARIES_API_BASE must use http or https; got "ftp://api.aries.com"'],
    ['MCP_ALLOWED_ORIGINS', 'https://claude.ai/connectors', 'MCP_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got "https://claude.ai/connectors"'],
    ['MCP_ALLOWED_ORIGINS', 'claude.ai', 'MCP_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got "claude.ai"'],
    ['MCP_FAST_PATH', 'sometimes', 'MCP_FAST_PATH must be on or off; got "sometimes"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"'],
  ])('%s=%s is refused with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
  });
});
