import { describe, expect, it } from 'vitest';
import { describeAriesError } from '../../../../runtime/upstream/describe-aries-error.js';
import { mapUpstreamError, retryAfterSeconds, type FailedTool, type UpstreamFailure } from '../../../../runtime/upstream/map-upstream-error.js';

// The recovery hints spec/tools.yaml declares for every tool (the messages take tool names from there).
const recovery = { lookUpWith: ['list_accounts', 'list_open_orders', 'search_symbols'], checkOrdersWith: ['list_open_orders', 'get_order_history'] };
const quote: FailedTool = { name: 'get_quote', scopes: ['market:information'], unsafeToRepeat: false, recovery };
const place: FailedTool = { name: 'place_order', scopes: ['order:execution'], unsafeToRepeat: true, recovery };
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('mapUpstreamError', () => {
  const cases: [string, { failure: UpstreamFailure; tool: FailedTool; outcome: 'rejected' | 'unknown'; text: string }][] = [
    [
      '400 with Aries field errors',
      {
        failure: {
          kind: 'http',
          status: 400,
          body: { error: 'invalid request', codes: [{ code: 'INVALID_QUANTITY', field: 'quantity', description: 'must be greater than 0' }], metadata: {} },
        },
        tool: place,
        outcome: 'rejected',
        text: 'Aries rejected the request as invalid (HTTP 400). Aries says: invalid request\nField errors:\n- quantity: must be greater than 0\nFix the arguments and call place_order again.',
      },
    ],
    [
      '422 with a message',
      {
        failure: { kind: 'http', status: 422, body: { error: 'unprocessable', message: 'Limit price is required for LIMIT orders' } },
        tool: place,
        outcome: 'rejected',
        text: 'Aries rejected the request as invalid (HTTP 422). Aries says: unprocessable: Limit price is required for LIMIT orders\nFix the arguments and call place_order again.',
      },
    ],
    [
      '403 names the scope and Client Center',
      {
        failure: { kind: 'http', status: 403, body: { error: 'forbidden', message: 'insufficient scope' } },
        tool: place,
        outcome: 'rejected',
        text: 'Aries refused the request (HTTP 403). Aries says: forbidden: insufficient scope\nplace_order needs the scope "order:execution". Add it to your OAuth client in Aries Client Center (Client Center > your client > Scopes), then reconnect the Aries connector so the new scope is granted.',
      },
    ],
    [
      '404',
      {
        failure: { kind: 'http', status: 404, body: { error: 'not_found', message: 'Account X not found' } },
        tool: quote,
        outcome: 'rejected',
        text: 'Aries found nothing for this request (HTTP 404). Aries says: not_found: Account X not found\nCheck the identifiers you passed (account id, order id, symbol); list_accounts, list_open_orders and search_symbols look them up.',
      },
    ],
    [
      '429 with Retry-After seconds',
      {
        failure: { kind: 'http', status: 429, body: { error: 'rate_limited' }, retryAfter: '30' },
        tool: quote,
        outcome: 'rejected',
        text: 'Aries is rate-limiting requests (HTTP 429). Aries says: rate_limited\nWait 30 seconds (Retry-After) before calling get_quote again.',
      },
    ],
    [
      '429 with an HTTP-date Retry-After',
      {
        failure: { kind: 'http', status: 429, body: '', retryAfter: 'Thu, 01 Jan 2026 00:00:05 GMT' },
        tool: place,
        outcome: 'rejected',
        text: 'Aries is rate-limiting requests (HTTP 429).\nWait 5 seconds (Retry-After) before calling place_order again.',
      },
    ],
    [
      '429 without Retry-After',
      {
        failure: { kind: 'http', status: 429, body: undefined, retryAfter: null },
        tool: quote,
        outcome: 'rejected',
        text: 'Aries is rate-limiting requests (HTTP 429).\nWait a minute before calling get_quote again.',
      },
    ],
    [
      '503 on a read',
      {
        failure: { kind: 'http', status: 503, body: { error: 'internal_error', message: 'upstream unavailable' } },
        tool: quote,
        outcome: 'rejected',
        text: 'Aries is having trouble (HTTP 503). Aries says: internal_error: upstream unavailable\nTry again shortly.',
      },
    ],
    [
      '502 on an order: status unknown',
      {
        failure: { kind: 'http', status: 502, body: '<html><body><h1>Bad gateway</h1></body></html>' },
        tool: place,
        outcome: 'unknown',
        text: 'Aries is having trouble (HTTP 502). Aries says: Bad gateway\nThe status of this place_order request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check list_open_orders (and get_order_history) to see whether it went through, then retry only if it is not there.',
      },
    ],
    [
      'timeout on a read',
      {
        failure: { kind: 'timeout', timeoutMs: 15_000 },
        tool: quote,
        outcome: 'rejected',
        text: 'Aries did not answer within 15 seconds.\nTry again shortly, or narrow the request.',
      },
    ],
    [
      'timeout on an order: status unknown',
      {
        failure: { kind: 'timeout', timeoutMs: 1_500 },
        tool: place,
        outcome: 'unknown',
        text: 'Aries did not answer within 1.5 seconds.\nThe status of this place_order request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check list_open_orders (and get_order_history) to see whether it went through, then retry only if it is not there.',
      },
    ],
    [
      'connection reset on a read',
      {
        failure: { kind: 'network', code: 'ECONNRESET' },
        tool: quote,
        outcome: 'rejected',
        text: 'Could not reach Aries (ECONNRESET). The connection failed before Aries answered.\nTry again shortly.',
      },
    ],
    [
      'connection reset on an order: status unknown',
      {
        failure: { kind: 'network', code: 'UND_ERR_SOCKET' },
        tool: place,
        outcome: 'unknown',
        text: 'Could not reach Aries (UND_ERR_SOCKET). The connection failed before Aries answered.\nThe status of this place_order request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check list_open_orders (and get_order_history) to see whether it went through, then retry only if it is not there.',
      },
    ],
    [
      'connection refused: nothing was sent, even for orders',
      {
        failure: { kind: 'network', code: 'ECONNREFUSED' },
        tool: place,
        outcome: 'rejected',
        text: 'Could not reach Aries (ECONNREFUSED).\nNothing was sent; try again shortly.',
      },
    ],
    [
      'fetch failed without a code',
      {
        failure: { kind: 'network' },
        tool: quote,
        outcome: 'rejected',
        text: 'Could not reach Aries (fetch failed). The connection failed before Aries answered.\nTry again shortly.',
      },
    ],
    [
      'cancelled read',
      {
        failure: { kind: 'cancelled' },
        tool: quote,
        outcome: 'rejected',
        text: 'The call was cancelled before Aries answered.\nCall the tool again if you still need the result.',
      },
    ],
    [
      'unparseable body',
      { failure: { kind: 'bad_response' }, tool: quote, outcome: 'rejected', text: 'Aries answered with a body that is not valid JSON.\nTry again shortly.' },
    ],
    [
      'other 4xx keeps the message',
      {
        failure: { kind: 'http', status: 409, body: { error: 'conflict', message: 'Order already cancelled' } },
        tool: place,
        outcome: 'rejected',
        text: 'Aries refused the request (HTTP 409). Aries says: conflict: Order already cancelled',
      },
    ],
  ];

  it.each(cases)('%s', (_name, { failure, tool, outcome, text }) => {
    expect(mapUpstreamError(failure, tool, { now: () => NOW })).toEqual({ outcome, text });
  });

  it.each([
    ['renamed tools', { lookUpWith: ['find_account'], checkOrdersWith: ['open_orders'] }, '; find_account looks them up.', 'first check open_orders to see'],
    ['three order tools', { checkOrdersWith: ['a_tool', 'b_tool', 'c_tool'] }, '.', 'first check a_tool (and b_tool and c_tool) to see'],
    ['no recovery declared', undefined, '.', "first check the account's orders to see"],
  ])('recovery hints name only the tools the definition declares: %s', (_name, hints, notFoundEnd, unknownPart) => {
    const tool: FailedTool = { name: 'place_order', scopes: [], unsafeToRepeat: true, ...(hints === undefined ? {} : { recovery: hints }) };
    expect(mapUpstreamError({ kind: 'http', status: 404, body: {} }, tool).text).toBe(
      `Aries found nothing for this request (HTTP 404).\nCheck the identifiers you passed (account id, order id, symbol)${notFoundEnd}`,
    );
    expect(mapUpstreamError({ kind: 'timeout', timeoutMs: 1000 }, tool).text).toContain(unknownPart);
  });

  it('names field errors by the tool argument that carries the Aries field', () => {
    const tool: FailedTool = { ...place, argumentNames: new Map([['tradingAccountId', 'account_id']]) };
    const body = {
      error: 'invalid request',
      codes: [
        { field: 'tradingAccountId', description: 'trading account X not found' },
        { field: 'qty', description: 'must be whole' },
      ],
    };
    expect(mapUpstreamError({ kind: 'http', status: 400, body }, tool).text).toContain(
      'Field errors:\n- account_id: trading account X not found\n- qty: must be whole\n',
    );
  });

  it('strips the caller token from quoted text', () => {
    const mapped = mapUpstreamError({ kind: 'http', status: 400, body: { message: 'bad token secret-aries-token-123 in request' } }, quote, {
      secrets: ['secret-aries-token-123'],
    });
    expect(mapped.text).not.toContain('secret-aries-token-123');
    expect(mapped.text).toContain('[redacted]');
  });
});

describe('describeAriesError', () => {
  const cases: [string, { body: unknown; message: string; fieldErrors?: { field?: string; text: string }[] }][] = [
    ['error + message', { body: { error: 'bad_request', message: 'Symbol is required' }, message: 'bad_request: Symbol is required' }],
    ['OAuth error_description', { body: { error: 'invalid_grant', error_description: 'Code expired' }, message: 'invalid_grant: Code expired' }],
    ['message only', { body: { message: 'Nope' }, message: 'Nope' }],
    [
      'codes without field',
      {
        body: { error: 'invalid request', codes: [{ code: 'INVALID_PASSWORD', description: 'too short' }] },
        message: 'invalid request',
        fieldErrors: [{ text: 'too short' }],
      },
    ],
    [
      'codes with field',
      {
        body: { error: 'invalid request', codes: [{ code: 'INVALID_FIELD', field: 'qty', description: 'too big' }] },
        message: 'invalid request',
        fieldErrors: [{ field: 'qty', text: 'too big' }],
      },
    ],
    [
      'per-item errors',
      { body: { errors: [{ symbol: 'ZZZZ', message: 'unknown symbol' }] }, message: '', fieldErrors: [{ field: 'ZZZZ', text: 'unknown symbol' }] },
    ],
    ['plain text', { body: '  Service\n unavailable  ', message: 'Service unavailable' }],
    ['HTML page', { body: '<!doctype html><html><head><style>p{}</style></head><body><p>Gateway timeout</p></body></html>', message: 'Gateway timeout' }],
    ['non-object body', { body: 42, message: '' }],
    ['bearer token', { body: { message: 'Header was Bearer abc.def-ghi' }, message: 'Header was Bearer [redacted]' }],
    ['JWT', { body: { message: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig expired' }, message: 'token [redacted] expired' }],
    [
      'token pairs',
      { body: 'refresh_token=abc123&access_token: "zzz" password=hunter2', message: 'refresh_token=[redacted]&access_token: "[redacted]" password=[redacted]' },
    ],
  ];
  it.each(cases)('%s', (_name, { body, message, fieldErrors = [] }) => {
    expect(describeAriesError(body)).toEqual({ message, fieldErrors });
  });

  it('bounds the message to 500 characters', () => {
    const { message } = describeAriesError({ message: 'x'.repeat(2_000) });
    expect(message).toHaveLength(500);
    expect(message.endsWith('…')).toBe(true);
  });
});

describe('retryAfterSeconds', () => {
  it.each([
    ['7', 7],
    [' 12 ', 12],
    ['Thu, 01 Jan 2026 00:01:00 GMT', 60],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ] as const)('%s -> %s', (value, want) => {
    expect(retryAfterSeconds(value, () => NOW)).toBe(want);
  });
});
