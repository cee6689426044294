import { describe, expect, it } from 'vitest';
import { compareConstraint } from '../../../../generator/diff/schema-constraints.js';
import { compareTypes } from '../../../../generator/diff/diff-schema.js';

describe('compareConstraint', () => {
  it.each<[string, { given: [string, unknown, unknown]; want: 'tightened' | 'loosened' | undefined }]>([
    ['unchanged', { given: ['maximum', 100, 100], want: undefined }],
    ['minimum raised', { given: ['minimum', 1, 5], want: 'tightened' }],
    ['minimum lowered', { given: ['minimum', 5, 1], want: 'loosened' }],
    ['maxLength lowered', { given: ['maxLength', 100, 50], want: 'tightened' }],
    ['maxItems raised', { given: ['maxItems', 4, 8], want: 'loosened' }],
    ['exclusiveMaximum added', { given: ['exclusiveMaximum', undefined, 10], want: 'tightened' }],
    ['minLength removed', { given: ['minLength', 1, undefined], want: 'loosened' }],
    ['pattern changed', { given: ['pattern', '^[A-Z]+$', '^[A-Z0-9]+$'], want: 'tightened' }],
    ['pattern removed', { given: ['pattern', '^[A-Z]+$', undefined], want: 'loosened' }],
    ['format added', { given: ['format', undefined, 'date'], want: 'tightened' }],
    ['multipleOf changed', { given: ['multipleOf', 0.01, 0.1], want: 'tightened' }],
    ['uniqueItems false to true', { given: ['uniqueItems', false, true], want: 'tightened' }],
    ['uniqueItems absent to false', { given: ['uniqueItems', undefined, false], want: undefined }],
    ['additionalProperties closed', { given: ['additionalProperties', undefined, false], want: 'tightened' }],
    ['additionalProperties opened', { given: ['additionalProperties', false, true], want: 'loosened' }],
    ['additionalProperties {} is open', { given: ['additionalProperties', true, {}], want: undefined }],
  ])('%s', (_name, { given: [keyword, before, after], want }) => {
    expect(compareConstraint(keyword, before, after)).toBe(want);
  });
});

describe('compareTypes', () => {
  it.each<[string, { given: [unknown, unknown]; want: 'changed' | 'widened' | undefined }]>([
    ['same type', { given: ['string', 'string'], want: undefined }],
    [
      'same set in another order',
      {
        given: [
          ['string', 'null'],
          ['null', 'string'],
        ],
        want: undefined,
      },
    ],
    ['null added', { given: ['string', ['string', 'null']], want: 'widened' }],
    ['integer to number', { given: ['integer', 'number'], want: 'widened' }],
    ['number to integer', { given: ['number', 'integer'], want: 'changed' }],
    ['type dropped (any)', { given: ['string', undefined], want: 'widened' }],
    ['type added', { given: [undefined, 'string'], want: 'changed' }],
    ['string to integer', { given: ['string', 'integer'], want: 'changed' }],
  ])('%s', (_name, { given: [before, after], want }) => {
    expect(compareTypes(before, after)).toBe(want);
  });
});
