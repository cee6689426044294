import { describe, expect, it } from 'vitest';
import { createLogger, loggableArguments, redactSecrets } from '../../runtime/log.js';
import { LogCapture } from './support/test-gateway.js';

describe('createLogger', () => {
  it('redacts secret-looking keys at any of the usual depths', () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'info', destination: capture });
    log.info({ token: 't1', headers: { authorization: 'Bearer t2' }, req: { headers: { authorization: 'Bearer t3' } }, oauth: { code_verifier: 'v', client_secret: 's', refresh_token: 'r', password: 'p' } }, 'x');
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
    expect(capture.entries[0]).toMatchObject({ err: { message: 'refresh failed', refresh_token: '[redacted]' }, attempts: [{ access_token: '[redacted]', status: 401 }] });
    expect(error.refresh_token).toBe('r-secret');
    expect(attempts[0].access_token).toBe('a-secret');
  });

  it('hands back an object without secrets unchanged (no copy)', () => {
    const line = { requestId: 'r1', tool: 'get_quote', nested: { status: 200 } };
    expect(redactSecrets(line, 0)).toBe(line);
  });
});

describe('loggableArguments', () => {
  it('keeps symbol and side, drops quantities, prices and accounts', () => {
    expect(loggableArguments({ account_id: 'ACC-1', symbol: 'MSFT', side: 'BUY', quantity: '10', limit_price: '400', order_symbol: 'AAPL', order_side: 'SELL', confirm_duplicate: true })).toEqual({
      symbol: 'MSFT',
      side: 'BUY',
      order_symbol: 'AAPL',
      order_side: 'SELL',
    });
  });
});
