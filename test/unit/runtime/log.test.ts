import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger, loggableArguments, redactSecrets } from '../../../runtime/log.js';
import { LogCapture } from '../../support/test-gateway.js';

describe('createLogger', () => {
  it('redacts secret-looking keys at any of the usual depths', () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'info', destination: capture });
    log.info(
      {
        token: 't1',
        headers: { authorization: 'Bearer t2' },
        req: { headers: { authorization: 'Bearer t3' } },
        oauth: { code_verifier: 'v', client_secret: 's', refresh_token: 'r', password: 'p' },
      },
      'x',
    );
    const text = capture.text;
    for (const secret of ['t1', 'Bearer t2', 'Bearer t3', '"v"', '"s"', '"r"', '"p"']) expect(text).not.toContain(secret);
    expect(capture.entries[0]).toMatchObject({ token: '[redacted]', oauth: { code_verifier: '[redacted]' } });
  });

  it('redacts inside arrays and errors, keeping the error message, without changing the logged objects', () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'info', destination: capture });
    const error = Object.assign(new Error('refresh failed'), { refresh_token: 'r-secret' });
    const attempts = [{ access_token: 'a-secret', status: 401 }];
    log.error({ err: error, attempts }, 'x');
    expect(capture.text).not.toContain('r-secret');
    expect(capture.text).not.toContain('a-secret');
    expect(capture.entries[0]).toMatchObject({
      err: { message: 'refresh failed', refresh_token: '[redacted]' },
      attempts: [{ access_token: '[redacted]', status: 401 }],
    });
    expect(error.refresh_token).toBe('r-secret');
    expect(attempts[0].access_token).toBe('a-secret');
  });

  // Finding 8 (issue 12): the redactor hid the `code` of every error (ECONNRESET, ...); OAuth codes are redacted by where they come from.
  it.each([
    [
      'a network error keeps its code',
      { err: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) },
      { err: { message: 'socket hang up', code: 'ECONNRESET' } },
    ],
    [
      'an Aries OAuth error keeps its code',
      { err: { name: 'AriesOAuthError', code: 'invalid_grant', status: 400 } },
      { err: { code: 'invalid_grant', status: 400 } },
    ],
    ['a diagnostic object keeps its code', { upstream: { code: 'UND_ERR_SOCKET', latencyMs: 12 } }, { upstream: { code: 'UND_ERR_SOCKET' } }],
  ])('%s', (_name, line, want) => {
    const capture = new LogCapture();
    createLogger({ level: 'info', destination: capture }).error(line, 'x');
    expect(capture.entries[0]).toMatchObject(want);
  });

  it.each([
    ['the callback query', { query: { code: 'aries-code-1234567890', state: 'agw_st_abc' } }, 'aries-code-1234567890'],
    ['a token request body', { body: { code: 'agw_ac_0123456789abcdef', client_id: 'c1' } }, 'agw_ac_0123456789abcdef'],
    ['a token request anywhere', { request: { grant_type: 'authorization_code', code: 'code-in-a-request-123', code_verifier: 'v' } }, 'code-in-a-request-123'],
    ['the exchange with Aries', { exchange: { code: 'aries-exchange-code-99', redirectUri: 'https://mcp.aries.com/auth/callback' } }, 'aries-exchange-code-99'],
    ['a stored code record', { record: { ariesCode: 'sealed-or-not-123456', grantId: 'g' } }, 'sealed-or-not-123456'],
    ['a gateway code inside a string', { detail: 'replayed agw_ac_Zm9vYmFyYmF6cXV4 from 10.0.0.1' }, 'agw_ac_Zm9vYmFyYmF6cXV4'],
    ['a gateway token inside an error message', { err: new Error('unknown token agw_at_c2VjcmV0LXRva2VuLXZhbHVl') }, 'agw_at_c2VjcmV0LXRva2VuLXZhbHVl'],
  ])('an OAuth code or gateway token from %s is redacted', (_name, line, secret) => {
    const capture = new LogCapture();
    createLogger({ level: 'info', destination: capture }).info(line, 'x');
    expect(capture.text).not.toContain(secret);
    expect(capture.text).toContain('[redacted]');
  });

  it('hands back an object without secrets unchanged (no copy)', () => {
    const line = { requestId: 'r1', tool: 'get_quote', nested: { status: 200 } };
    expect(redactSecrets(line, 0)).toBe(line);
  });
});

describe('loggableArguments', () => {
  it('keeps symbol and side, drops quantities, prices and accounts', () => {
    expect(
      loggableArguments({
        account_id: 'ACC-1',
        symbol: 'MSFT',
        side: 'BUY',
        quantity: '10',
        limit_price: '400',
        order_symbol: 'AAPL',
        order_side: 'SELL',
        confirm_duplicate: true,
      }),
    ).toEqual({
      symbol: 'MSFT',
      side: 'BUY',
      order_symbol: 'AAPL',
      order_side: 'SELL',
    });
  });
});

describe('stdout logging', () => {
  // An exit right after logging (a fatal start-up error, the drain's process.exit) must not lose lines (it would with an asynchronous stream).
  it.each([
    ['process.exit(1) right after logging', 'process.exit(1)', 1],
    ['the event loop running dry', '', 0],
  ])('keeps every line on %s', async (_name, exit, code) => {
    const script = [
      "import { createLogger } from './runtime/log.ts';",
      "const log = createLogger({ level: 'info' });",
      "for (let i = 0; i < 2000; i++) log.info({ i, accessToken: 'secret' }, 'line');",
      exit,
    ].join('\n');
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), maxBuffer: 64 << 20 });
    const { stdout } = await run.catch((error: unknown) => {
      if (error instanceof Error && 'stdout' in error && 'code' in error && error.code === code) return { stdout: String(error.stdout) };
      throw error;
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2000);
    expect(lines.at(-1)).toContain('"i":1999');
    expect(stdout).not.toContain('secret');
  });
});
