import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ResponseShaping } from '../../../../runtime/contract/tool-definition.js';
import { createOutputAjv } from '../../../../runtime/mcp/ajv.js';
import { shapeResult, type ShapeOptions } from '../../../../runtime/mcp/shape-result.js';

const open: ShapeOptions = { budgetTokens: 25_000, acceptsMarker: () => true };

function shaped(body: unknown, shaping: ResponseShaping, options: ShapeOptions = open) {
  const result = shapeResult(body, shaping, options);
  if (!result.ok) throw new Error(`over budget: ${result.tokens} tokens`);
  return result;
}

describe('shapeResult: wrap and projection', () => {
  const cases: [string, { body: unknown; shaping: ResponseShaping; want: unknown }][] = [
    ['passes an object through', { body: { a: 1 }, shaping: {}, want: { a: 1 } }],
    ['wraps an array as items', { body: [1, 2], shaping: { wrap: 'items' }, want: { items: [1, 2] } }],
    ['wraps a scalar as value', { body: 'ok', shaping: { wrap: 'value' }, want: { value: 'ok' } }],
    ['turns no body into an empty object', { body: undefined, shaping: {}, want: {} }],
    [
      'keeps only projected paths through arrays',
      {
        body: { accountId: 'A', positions: [{ symbol: 'AAPL', qty: '1', cost: '9', lots: [{ id: 1, px: 2 }] }] },
        shaping: { projection: ['accountId', 'positions[].symbol', 'positions[].lots[].id'] },
        want: { accountId: 'A', positions: [{ symbol: 'AAPL', lots: [{ id: 1 }] }] },
      },
    ],
    [
      'projects after wrapping (paths address the output schema)',
      {
        body: [{ ticker: 'A', rating: 'buy', noise: 1 }],
        shaping: { wrap: 'items', projection: ['items[].ticker', 'items[].rating'] },
        want: { items: [{ ticker: 'A', rating: 'buy' }] },
      },
    ],
    [
      'applies field paths to arrays without [] too',
      { body: { ratings: [{ ticker: 'A', x: 1 }] }, shaping: { projection: ['ratings.ticker'] }, want: { ratings: [{ ticker: 'A' }] } },
    ],
    [
      'keeps a whole subtree named by its path',
      { body: { quote: { last: 1, bid: 2 }, x: 1 }, shaping: { projection: ['quote'] }, want: { quote: { last: 1, bid: 2 } } },
    ],
    ['skips projected paths that are absent', { body: { a: 1 }, shaping: { projection: ['a', 'b.c'] }, want: { a: 1 } }],
  ];
  it.each(cases)('%s', (_name, { body, shaping, want }) => {
    const result = shaped(body, shaping);
    expect(result.structuredContent).toEqual(want);
    expect(result.text).toBe(JSON.stringify(want));
    expect(result.truncated).toBeUndefined();
  });
});

describe('shapeResult: null-valued properties are dropped, null array items kept', () => {
  const cases: [string, { body: unknown; shaping?: ResponseShaping; want: unknown }][] = [
    ['drops null properties at the top level', { body: { a: 1, b: null }, want: { a: 1 } }],
    [
      'keeps falsy non-null values',
      { body: { zero: 0, no: false, empty: '', list: [], obj: {}, gone: null }, want: { zero: 0, no: false, empty: '', list: [], obj: {} } },
    ],
    [
      'drops null properties in nested objects at any depth',
      {
        body: { quote: { last: 1, bid: null, venue: { mic: null, name: 'X', meta: { a: { b: null } } } } },
        want: { quote: { last: 1, venue: { name: 'X', meta: { a: {} } } } },
      },
    ],
    ['an object left without properties stays an empty object', { body: { a: { b: null } }, want: { a: {} } }],
    [
      'drops null fields in objects that are array items',
      {
        body: {
          positions: [
            { symbol: 'A', cost: null, lots: [{ id: 1, px: null }] },
            { symbol: 'B', cost: '1', lots: [] },
          ],
        },
        want: {
          positions: [
            { symbol: 'A', lots: [{ id: 1 }] },
            { symbol: 'B', cost: '1', lots: [] },
          ],
        },
      },
    ],
    [
      'keeps null array items, so parallel arrays stay aligned',
      { body: { t: [1, 2, 3], c: [1.5, null, 2], v: [null, null, 7] }, want: { t: [1, 2, 3], c: [1.5, null, 2], v: [null, null, 7] } },
    ],
    [
      'keeps null items in arrays of arrays and of objects',
      { body: { grid: [[1, null], null, [{ a: null, b: [null] }]] }, want: { grid: [[1, null], null, [{ b: [null] }]] } },
    ],
    [
      'wrapped array: null items kept, their null fields dropped',
      { body: [{ a: null, b: 1 }, null, { a: 2 }], shaping: { wrap: 'items' }, want: { items: [{ b: 1 }, null, { a: 2 }] } },
    ],
    ['top-level value wrap: a null body leaves no value', { body: null, shaping: { wrap: 'value' }, want: {} }],
    ['top-level value wrap: a scalar is kept', { body: 0, shaping: { wrap: 'value' }, want: { value: 0 } }],
    [
      'top-level value wrap: null fields inside the value are dropped',
      { body: { x: null, y: { z: null, w: 2 } }, shaping: { wrap: 'value' }, want: { value: { y: { w: 2 } } } },
    ],
    ['top-level value wrap: null items of an array value are kept', { body: [null, { x: null }], shaping: { wrap: 'value' }, want: { value: [null, {}] } }],
    ['an unwrapped null body is an empty object', { body: null, want: {} }],
    [
      'drops before projecting: a projected null is absent',
      { body: { a: null, b: { c: null, d: 1 } }, shaping: { projection: ['a', 'b.c', 'b.d'] }, want: { b: { d: 1 } } },
    ],
    [
      'drops before projecting: a kept subtree has no nulls',
      { body: { quote: { last: 1, bid: null }, x: null }, shaping: { projection: ['quote'] }, want: { quote: { last: 1 } } },
    ],
  ];
  it.each(cases)('%s', (_name, { body, shaping = {}, want }) => {
    const before = JSON.stringify(body);
    const result = shaped(body, shaping);
    expect(result.structuredContent).toEqual(want);
    expect(result.text).toBe(JSON.stringify(want));
    expect(JSON.stringify(body)).toBe(before);
  });

  it('keeps a "__proto__" key an own property and does not touch the prototype', () => {
    const result = shaped(JSON.parse('{"__proto__": {"polluted": 1, "x": null}, "y": null}'), {});
    expect(Object.getPrototypeOf(result.structuredContent)).toBe(Object.prototype);
    expect(result.text).toBe('{"__proto__":{"polluted":1}}');
  });

  it('lets a result with nulls validate against an output schema of the new shape', () => {
    const validate = createOutputAjv().compile({
      type: 'object',
      properties: {
        accountId: { type: 'string' },
        quote: { type: 'object', properties: { bid: { type: 'number' }, venue: { type: 'object', properties: { mic: { type: 'string' } } } } },
        bars: { type: 'array', items: { type: ['object', 'null'], properties: { c: { type: 'number' } } } },
        closes: { type: 'array', items: { type: ['number', 'null'] } },
      },
    });
    const body = { accountId: null, quote: { bid: null, venue: { mic: null } }, bars: [{ c: null }, null, { c: 1 }], closes: [1, null] };
    expect(validate(body)).toBe(false);
    expect(validate(shaped(body, {}).structuredContent)).toBe(true);
  });
});

describe('shapeResult: item caps', () => {
  it('caps arrays at the listed paths and says so', () => {
    const result = shaped({ ratings: [1, 2, 3, 4, 5], other: [1, 2, 3, 4, 5] }, { itemCaps: { ratings: 2 } });
    expect(result.structuredContent).toMatchObject({ ratings: [1, 2], other: [1, 2, 3, 4, 5] });
    expect(result.truncated).toEqual({
      omittedItems: 3,
      arrays: { ratings: { kept: 2, omitted: 3 } },
      reason: 'Lists are capped for this tool (ratings: 2); narrow the request (use limit/page/from/to or a more specific symbol) to see other items.',
    });
  });

  it('caps nested arrays in every element', () => {
    const result = shaped({ items: [{ lots: [1, 2, 3] }, { lots: [1] }] }, { itemCaps: { 'items[].lots': 1 } });
    expect(result.structuredContent).toMatchObject({ items: [{ lots: [1] }, { lots: [1] }] });
    expect(result.truncated?.arrays).toEqual({ 'items[].lots': { kept: 1, omitted: 2 } });
  });

  it('leaves arrays under the cap untouched and unmarked', () => {
    const result = shaped({ ratings: [1, 2] }, { itemCaps: { ratings: 2 } });
    expect(result.structuredContent).toEqual({ ratings: [1, 2] });
    expect(result.truncated).toBeUndefined();
  });
});

describe('shapeResult: budget', () => {
  const bars = (n: number) => Array.from({ length: n }, (_, i) => ({ t: i, c: '100.00', v: 1000 + i }));

  it('returns results within the budget unchanged', () => {
    const result = shaped({ items: bars(10) }, {}, { budgetTokens: 2_500, acceptsMarker: () => true });
    expect(result.truncated).toBeUndefined();
  });

  it('cuts the largest array first until the result fits, with a marker', () => {
    const body = { items: bars(2_000), symbols: ['A', 'B', 'C'] };
    const result = shaped(body, {}, { budgetTokens: 5_000, acceptsMarker: () => true });
    const content = z
      .looseObject({
        items: z.array(z.unknown()),
        symbols: z.array(z.unknown()),
        _truncated: z.looseObject({ omittedItems: z.number(), arrays: z.record(z.string(), z.unknown()), reason: z.string() }),
      })
      .parse(result.structuredContent);
    expect(result.text.length).toBeLessThanOrEqual(20_000);
    expect(content.symbols).toEqual(['A', 'B', 'C']);
    expect(content.items.length).toBeGreaterThan(100);
    expect(content.items.length + content._truncated.omittedItems).toBe(2_000);
    expect(content.items[0]).toEqual({ t: 0, c: '100.00', v: 1000 });
    expect(content._truncated.arrays).toEqual({ items: { kept: content.items.length, omitted: 2_000 - content.items.length } });
    expect(content._truncated.reason).toBe('Result exceeded about 5000 tokens; narrow the request (use limit/page/from/to or a more specific symbol).');
    expect(JSON.parse(result.text)).toEqual(content);
  });

  it('keeps the marker out of structuredContent when the output schema forbids it, but states it in the text', () => {
    const ajv = createOutputAjv();
    const validate = ajv.compile({ type: 'object', properties: { items: { type: 'array' } }, additionalProperties: false });
    const result = shaped({ items: bars(2_000) }, {}, { budgetTokens: 1_250, acceptsMarker: (candidate) => validate(candidate) });
    expect(result.structuredContent).not.toHaveProperty('_truncated');
    expect(validate(result.structuredContent)).toBe(true);
    expect(JSON.parse(result.text)._truncated.reason).toContain('Result exceeded about 1250 tokens');
    expect(result.truncated?.omittedItems).toBeGreaterThan(0);
  });

  it('keeps the marker in structuredContent when the schema allows extra properties, and it still validates', () => {
    const ajv = createOutputAjv();
    const validate = ajv.compile({ type: 'object', properties: { items: { type: 'array' } }, required: ['items'] });
    const result = shaped({ items: bars(2_000) }, { wrap: undefined }, { budgetTokens: 1_250, acceptsMarker: (candidate) => validate(candidate) });
    expect(result.structuredContent).toHaveProperty('_truncated');
    expect(validate(result.structuredContent)).toBe(true);
  });

  it('cuts nested arrays when the outer one is small', () => {
    const body = {
      accounts: [
        { id: 'A', history: bars(1_000) },
        { id: 'B', history: bars(10) },
      ],
    };
    const result = shaped(body, {}, { budgetTokens: 2_000, acceptsMarker: () => true });
    const content = z.looseObject({ accounts: z.array(z.looseObject({ id: z.string(), history: z.array(z.unknown()) })) }).parse(result.structuredContent);
    expect(content.accounts.map((account) => account.id)).toEqual(['A', 'B']);
    expect(content.accounts[0].history.length).toBeLessThan(1_000);
    expect(result.text.length).toBeLessThanOrEqual(8_000);
  });

  it('reports a result that cannot be cut to size', () => {
    const result = shapeResult({ blob: 'x'.repeat(50_000) }, {}, { budgetTokens: 2_500, acceptsMarker: () => true });
    expect(result).toEqual({ ok: false, tokens: 12_503, budgetTokens: 2_500 });
  });

  it('states both caps and budget when both cut', () => {
    const result = shaped({ items: bars(3_000) }, { itemCaps: { items: 2_000 } }, { budgetTokens: 2_500, acceptsMarker: () => true });
    expect(result.truncated?.reason).toMatch(/^Result exceeded about 2500 tokens; .*\. Lists are capped for this tool \(items: 2000\)/);
    expect(result.truncated?.arrays['items']?.omitted).toBe(
      3_000 - z.looseObject({ items: z.array(z.unknown()) }).parse(result.structuredContent).items.length,
    );
  });
});
