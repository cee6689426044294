import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../../runtime/contract/tool-definition.js';
import { createInputAjv } from '../../../../runtime/mcp/ajv.js';
import { compileArgumentValidator } from '../../../../runtime/mcp/validate-args.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    account_id: { type: 'string' },
    side: { type: 'string', enum: ['BUY', 'SELL', 'SELL_SHORT'] },
    quantity: { type: 'string', pattern: '^[0-9]+$' },
    limit: { type: 'integer', minimum: 1, default: 50 },
    from: { type: 'string', format: 'date' },
    legs: { type: 'array', items: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'], additionalProperties: false } },
    filter: { type: 'object', properties: { status: { type: 'string' } } },
    note: { type: ['string', 'object'] },
  },
  required: ['account_id', 'side'],
  additionalProperties: false,
};

const validate = compileArgumentValidator(createInputAjv(), schema);

describe('validateArguments', () => {
  const cases: [string, { given: unknown; want: { ok: true; args: Record<string, unknown> } | { ok: false; problems: string[] } }][] = [
    ['applies defaults', { given: { account_id: 'A1', side: 'BUY' }, want: { ok: true, args: { account_id: 'A1', side: 'BUY', limit: 50 } } }],
    [
      'keeps a given value over the default',
      { given: { account_id: 'A1', side: 'SELL', limit: 5 }, want: { ok: true, args: { account_id: 'A1', side: 'SELL', limit: 5 } } },
    ],
    ['names a wrong type', { given: { account_id: 7, side: 'BUY' }, want: { ok: false, problems: ['account_id: must be string'] } }],
    [
      'lists the allowed values of an enum',
      { given: { account_id: 'A1', side: 'HOLD' }, want: { ok: false, problems: ['side: must be one of BUY, SELL, SELL_SHORT'] } },
    ],
    ['names an unknown argument', { given: { account_id: 'A1', side: 'BUY', foo: 1 }, want: { ok: false, problems: ['unknown argument "foo"'] } }],
    ['names each missing argument', { given: {}, want: { ok: false, problems: ['account_id: is required', 'side: is required'] } }],
    ['treats missing arguments as an empty object', { given: undefined, want: { ok: false, problems: ['account_id: is required', 'side: is required'] } }],
    ['refuses non-object arguments', { given: ['A1'], want: { ok: false, problems: ['arguments: must be an object'] } }],
    ['checks formats', { given: { account_id: 'A1', side: 'BUY', from: 'yesterday' }, want: { ok: false, problems: ['from: must match format "date"'] } }],
    [
      'checks patterns',
      { given: { account_id: 'A1', side: 'BUY', quantity: 'ten' }, want: { ok: false, problems: ['quantity: must match pattern "^[0-9]+$"'] } },
    ],
    [
      'names nested fields with indexes',
      {
        given: { account_id: 'A1', side: 'BUY', legs: [{ symbol: 'A' }, { sym: 'B' }] },
        want: { ok: false, problems: ['legs[1].symbol: is required', 'legs[1]: unknown property "sym"'] },
      },
    ],
    [
      'parses a JSON string where an array is expected',
      {
        given: { account_id: 'A1', side: 'BUY', legs: '[{"symbol":"AAPL"}]' },
        want: { ok: true, args: { account_id: 'A1', side: 'BUY', limit: 50, legs: [{ symbol: 'AAPL' }] } },
      },
    ],
    [
      'parses JSON strings inside an array of objects',
      {
        given: { account_id: 'A1', side: 'BUY', legs: ['{"symbol":"MSFT"}'] },
        want: { ok: true, args: { account_id: 'A1', side: 'BUY', limit: 50, legs: [{ symbol: 'MSFT' }] } },
      },
    ],
    [
      'parses a JSON string where an object is expected',
      {
        given: { account_id: 'A1', side: 'BUY', filter: '{"status":"OPEN"}' },
        want: { ok: true, args: { account_id: 'A1', side: 'BUY', limit: 50, filter: { status: 'OPEN' } } },
      },
    ],
    [
      'reports a string that is not JSON as the wrong type',
      { given: { account_id: 'A1', side: 'BUY', filter: 'OPEN' }, want: { ok: false, problems: ['filter: must be object'] } },
    ],
    [
      'leaves strings alone where a string is allowed',
      { given: { account_id: 'A1', side: 'BUY', note: '{"a":1}' }, want: { ok: true, args: { account_id: 'A1', side: 'BUY', limit: 50, note: '{"a":1}' } } },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    expect(validate(given)).toEqual(want);
  });

  // Finding 2 (issue 12): the error text of a failed validation is bounded, however many problems one value packs.
  it('lists at most 10 problems, each at most 300 characters, and counts the rest', () => {
    const legs = Array.from({ length: 30 }, () => ({ sym: 'x' }));
    const checked = validate({ account_id: 'A1', side: 'BUY', legs });
    expect(checked).toEqual({
      ok: false,
      problems: [
        ...Array.from({ length: 5 }, (_unused, index) => [`legs[${index}].symbol: is required`, `legs[${index}]: unknown property "sym"`]).flat(),
        '(50 more problems not listed; fix these first)',
      ],
    });
    const longEnum = compileArgumentValidator(createInputAjv(), {
      type: 'object',
      properties: { pick: { enum: Array.from({ length: 200 }, (_unused, index) => `VALUE_${index}`) } },
    });
    const listed = longEnum({ pick: 'nope' });
    const problem = listed.ok ? undefined : listed.problems[0];
    expect(problem).toMatch(/^pick: must be one of VALUE_0, VALUE_1, .*\.\.\.$/);
    expect(problem!.length).toBe(300);
  });

  it('refuses a far oversized array before validating it, also when sent as JSON text', () => {
    const legs = Array.from({ length: 50_000 }, () => ({ symbol: 'A' }));
    const wide = compileArgumentValidator(createInputAjv(), {
      type: 'object',
      properties: { legs: { type: 'array', maxItems: 4, items: { type: 'object' } } },
    });
    expect(wide({ legs })).toEqual({ ok: false, problems: ['legs: must have at most 4 items (got 50000)'] });
    expect(wide({ legs: JSON.stringify(legs.slice(0, 5_000)) })).toEqual({ ok: false, problems: ['legs: must have at most 4 items (got 5000)'] });
  });

  it('does not modify the caller arguments', () => {
    const given = { account_id: 'A1', side: 'BUY' };
    validate(given);
    expect(given).toEqual({ account_id: 'A1', side: 'BUY' });
  });
});
