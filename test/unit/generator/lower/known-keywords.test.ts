import { describe, expect, it } from 'vitest';
import { keepKnownKeywords } from '../../../../generator/lower/known-keywords.js';
import { NoteBook } from '../../../../generator/lower/lower-context.js';

type Case = [string, { given: Record<string, unknown>; want: Record<string, unknown>; notes?: string[] }];

const cases: Case[] = [
  [
    'drops OpenAPI-only keywords and extensions',
    {
      given: { type: 'object', discriminator: { propertyName: 'kind' }, xml: { name: 'x' }, externalDocs: { url: 'u' }, 'x-foo': 1, deprecated: true },
      want: { type: 'object' },
      notes: ['dropped schema keywords: discriminator, xml, externalDocs, x-*, deprecated'],
    },
  ],
  ['title becomes the description when there is none', { given: { type: 'string', title: 'Symbol' }, want: { type: 'string', description: 'Symbol' } }],
  ['title is dropped next to a description', { given: { type: 'string', title: 'T', description: 'D' }, want: { type: 'string', description: 'D' } }],
  [
    'keeps one short scalar example',
    {
      given: { type: 'string', examples: [{ big: 'object' }, 'AAPL', 'MSFT'] },
      want: { type: 'string', examples: ['AAPL'] },
    },
  ],
  ['drops object-only examples', { given: { type: 'object', examples: [{ a: 1 }] }, want: { type: 'object' } }],
  ['keeps known formats', { given: { type: 'string', format: 'date-time' }, want: { type: 'string', format: 'date-time' } }],
  [
    'drops unknown formats with a note',
    {
      given: { type: 'string', format: 'decimal' },
      want: { type: 'string' },
      notes: ['dropped unknown formats: decimal'],
    },
  ],
  ['Swagger 2 file type becomes string', { given: { type: 'file' }, want: { type: 'string' } }],
  ['invalid types are removed, single-element arrays collapse', { given: { type: ['strin', 'integer'] }, want: { type: 'integer' } }],
  [
    'values of the wrong kind are dropped',
    {
      given: { type: 'string', minLength: '3', maxLength: -1, required: true, readOnly: 'yes', description: 5, enum: [] },
      want: { type: 'string' },
    },
  ],
  ['required is de-duplicated', { given: { type: 'object', required: ['a', 'a', 3] }, want: { type: 'object', required: ['a'] } }],
  ['readOnly: true stays as a marker', { given: { type: 'string', readOnly: true }, want: { type: 'string', readOnly: true } }],
];

describe('keepKnownKeywords', () => {
  it.each(cases)('%s', (_name, { given, want, notes = [] }) => {
    const book = new NoteBook();
    expect(keepKnownKeywords(given, book)).toEqual(want);
    expect(book.render()).toEqual(notes);
  });
});
