import { describe, expect, it } from 'vitest';
import { assignArgumentNames, sanitizeName } from '../../../../generator/lower/argument-names.js';
import type { ArgumentIn, LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { NoteBook } from '../../../../generator/lower/lower-context.js';

const arg = (where: ArgumentIn, ...segments: string[]): LowerArgument => ({
  segments,
  key: segments.join('.'),
  in: where,
  schema: {},
  required: false,
  pointer: '#',
});

type Case = [string, { given: LowerArgument[]; want: string[]; notes?: string[] }];

const long = 'a'.repeat(70);

const cases: Case[] = [
  ['keeps distinct names', { given: [arg('path', 'id'), arg('query', 'limit')], want: ['id', 'limit'] }],
  ['joins flattened segments with _', { given: [arg('body', 'order', 'price')], want: ['order_price'] }],
  [
    'a later colliding argument gets _<in>',
    {
      given: [arg('path', 'id'), arg('query', 'id'), arg('body', 'id')],
      want: ['id', 'id_query', 'id_body'],
      notes: [
        'renamed query "id" to "id_query" (the name is taken by an earlier argument)',
        'renamed body "id" to "id_body" (the name is taken by an earlier argument)',
      ],
    },
  ],
  [
    'then _<in>_2, _<in>_3',
    {
      given: [arg('query', 'id'), arg('query', 'id'), arg('query', 'id'), arg('query', 'id')],
      want: ['id', 'id_query', 'id_query_2', 'id_query_3'],
      notes: [
        'renamed query "id" to "id_query" (the name is taken by an earlier argument)',
        'renamed query "id" to "id_query_2" (the name is taken by an earlier argument)',
        'renamed query "id" to "id_query_3" (the name is taken by an earlier argument)',
      ],
    },
  ],
  [
    'flattened names collide with parameters too',
    {
      given: [arg('query', 'order_price'), arg('body', 'order', 'price')],
      want: ['order_price', 'order_price_body'],
      notes: ['renamed body "order_price" to "order_price_body" (the name is taken by an earlier argument)'],
    },
  ],
  [
    'replaces characters outside [a-zA-Z0-9_-]',
    {
      given: [arg('query', 'filter[status]'), arg('header', 'X-Api.Version')],
      want: ['filter_status_', 'X-Api_Version'],
      notes: [
        'renamed query "filter[status]" to "filter_status_" (allowed characters: a-z A-Z 0-9 _ -, at most 64)',
        'renamed header "X-Api.Version" to "X-Api_Version" (allowed characters: a-z A-Z 0-9 _ -, at most 64)',
      ],
    },
  ],
  [
    'cuts to 64 characters, suffixes included',
    {
      given: [arg('query', long), arg('body', long)],
      want: ['a'.repeat(64), `${'a'.repeat(59)}_body`],
      notes: [
        `renamed query "${long}" to "${'a'.repeat(64)}" (allowed characters: a-z A-Z 0-9 _ -, at most 64)`,
        `renamed body "${long}" to "${'a'.repeat(64)}" (allowed characters: a-z A-Z 0-9 _ -, at most 64)`,
        `renamed body "${'a'.repeat(64)}" to "${'a'.repeat(59)}_body" (the name is taken by an earlier argument)`,
      ],
    },
  ],
];

describe('assignArgumentNames', () => {
  it.each(cases)('%s', (_name, { given, want, notes = [] }) => {
    const book = new NoteBook();
    expect(assignArgumentNames(given, book).map((named) => named.name)).toEqual(want);
    expect(book.render()).toEqual(notes);
  });

  it.each([
    ['', 'arg'],
    ['ü', '_'],
    ['a b', 'a_b'],
  ] as const)('sanitizeName(%j) is %j', (given, want) => {
    expect(sanitizeName(given)).toBe(want);
  });
});
