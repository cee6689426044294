import { describe, expect, it } from 'vitest';
import { flattenArgument, MAX_FLATTENED_PER_ARGUMENT } from '../../../../generator/lower/flatten-nested.js';
import type { ArgumentIn, LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { NoteBook } from '../../../../generator/lower/lower-context.js';

const bodyArg = (name: string, schema: unknown, required = true, where: ArgumentIn = 'body'): LowerArgument => ({
  segments: [name],
  key: name,
  in: where,
  ...(where === 'body' ? { bodyPath: [name] } : {}),
  schema,
  required,
  pointer: '#',
});

type Row = Pick<LowerArgument, 'segments' | 'key' | 'bodyPath' | 'schema' | 'required'> & { jsonString?: boolean };
type Case = [string, { given: LowerArgument; want: Row[]; notes?: string[] }];

const row = ({ segments, key, bodyPath, schema, required, jsonString }: LowerArgument): Row => ({
  segments,
  key,
  bodyPath,
  schema,
  required,
  ...(jsonString ? { jsonString } : {}),
});

const legs = {
  type: 'array',
  items: { type: 'object', properties: { symbol: { type: 'string' }, side: { type: 'string', enum: ['buy', 'sell'] } }, required: ['symbol'] },
};

const cases: Case[] = [
  ['scalars stay', { given: bodyArg('qty', { type: 'string' }), want: [row(bodyArg('qty', { type: 'string' }))] }],
  ['an array of flat objects stays (order legs)', { given: bodyArg('legs', legs), want: [row(bodyArg('legs', legs))] }],
  [
    'an object is flattened into prefixed arguments; required needs both levels',
    {
      given: bodyArg('order', { type: 'object', description: 'Order', properties: { price: { type: 'string' }, qty: { type: 'string' } }, required: ['qty'] }),
      want: [
        { segments: ['order', 'price'], key: 'order.price', bodyPath: ['order', 'price'], schema: { type: 'string' }, required: false },
        { segments: ['order', 'qty'], key: 'order.qty', bodyPath: ['order', 'qty'], schema: { type: 'string' }, required: true },
      ],
      notes: ['flattened object "order" into order_price, order_qty'],
    },
  ],
  [
    'flattening recurses; an optional parent makes children optional; object defaults move down',
    {
      given: bodyArg(
        'a',
        {
          type: 'object',
          default: { b: { c: 'x' } },
          properties: { b: { type: 'object', properties: { c: { type: 'string' } }, required: ['c'] } },
          required: ['b'],
        },
        false,
      ),
      want: [{ segments: ['a', 'b', 'c'], key: 'a.b.c', bodyPath: ['a', 'b', 'c'], schema: { type: 'string', default: 'x' }, required: false }],
      notes: ['flattened object "a" into a_b_c'],
    },
  ],
  [
    'a nested map becomes one JSON-string child',
    {
      given: bodyArg('order', { type: 'object', properties: { qty: { type: 'string' }, tags: { type: 'object', additionalProperties: { type: 'string' } } } }),
      want: [
        { segments: ['order', 'qty'], key: 'order.qty', bodyPath: ['order', 'qty'], schema: { type: 'string' }, required: false },
        {
          segments: ['order', 'tags'],
          key: 'order.tags',
          bodyPath: ['order', 'tags'],
          schema: { type: 'string', description: 'JSON-encoded object: {[key: string]: string}' },
          required: false,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: order_tags (nested value that cannot be flattened)', 'flattened object "order" into order_qty, order_tags'],
    },
  ],
  [
    'a free-form map is a JSON string',
    {
      given: bodyArg('metadata', { type: 'object', description: 'Metadata', additionalProperties: { type: 'string' } }, false),
      want: [
        {
          segments: ['metadata'],
          key: 'metadata',
          bodyPath: ['metadata'],
          schema: { type: 'string', description: 'Metadata. JSON-encoded object: {[key: string]: string}' },
          required: false,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: metadata (free-form object)'],
    },
  ],
  [
    'an array of objects holding objects is a JSON string',
    {
      given: bodyArg('legs', {
        type: 'array',
        items: { type: 'object', properties: { instrument: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] } } },
      }),
      want: [
        {
          segments: ['legs'],
          key: 'legs',
          bodyPath: ['legs'],
          schema: { type: 'string', description: 'JSON-encoded array: {instrument?: {symbol: string}}[]' },
          required: true,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: legs (array items contain objects)'],
    },
  ],
  [
    'a union with objects is a JSON string',
    {
      given: bodyArg('target', { anyOf: [{ type: 'string' }, { type: 'object', properties: { id: { type: 'string' } } }] }),
      want: [
        {
          segments: ['target'],
          key: 'target',
          bodyPath: ['target'],
          schema: { type: 'string', description: 'JSON-encoded value: string | {id?: string}' },
          required: true,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: target (union with objects)'],
    },
  ],
  [
    'an object query parameter is a JSON string',
    {
      given: bodyArg('filter', { type: 'object', properties: { status: { type: 'string' } } }, false, 'query'),
      want: [
        {
          segments: ['filter'],
          key: 'filter',
          bodyPath: undefined,
          schema: { type: 'string', description: 'JSON-encoded object: {status?: string}' },
          required: false,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: filter (object in a query parameter)'],
    },
  ],
  [
    'item property names Claude rejects make the array a JSON string',
    {
      given: bodyArg('ops', { type: 'array', items: { type: 'object', properties: { '@type': { type: 'string' } } } }),
      want: [
        {
          segments: ['ops'],
          key: 'ops',
          bodyPath: ['ops'],
          schema: { type: 'string', description: 'JSON-encoded array: {@type?: string}[]' },
          required: true,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: ops (item property names Claude does not accept)'],
    },
  ],
  [
    'defaults of JSON-string arguments are JSON too',
    {
      given: bodyArg('meta', { type: 'object', default: { a: 1 } }, false),
      want: [
        {
          segments: ['meta'],
          key: 'meta',
          bodyPath: ['meta'],
          schema: { type: 'string', description: 'JSON-encoded object: object', default: '{"a":1}' },
          required: false,
          jsonString: true,
        },
      ],
      notes: ['took as JSON strings: meta (free-form object)'],
    },
  ],
];

describe('flattenArgument', () => {
  it.each(cases)('%s', (_name, { given, want, notes = [] }) => {
    const book = new NoteBook();
    expect(flattenArgument(given, book).map(row)).toEqual(want);
    expect(book.render()).toEqual(notes);
  });

  it(`takes an object as a JSON string when it would flatten into more than ${MAX_FLATTENED_PER_ARGUMENT} arguments`, () => {
    const properties = Object.fromEntries(Array.from({ length: MAX_FLATTENED_PER_ARGUMENT + 1 }, (_, i) => [`f${i}`, { type: 'string' }]));
    const [only, ...rest] = flattenArgument(bodyArg('big', { type: 'object', properties }), new NoteBook());
    expect(rest).toEqual([]);
    expect(only.jsonString).toBe(true);
    expect(only.schema).toMatchObject({ type: 'string' });
  });

  it('flattened arguments remember their root argument', () => {
    const root = bodyArg('order', { type: 'object', properties: { price: { type: 'string' } } });
    expect(flattenArgument(root, new NoteBook())[0].root).toBe(root);
  });
});
