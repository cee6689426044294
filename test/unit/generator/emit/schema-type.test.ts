/**
 * The `Arguments` type a generated module declares, rendered from the input
 * schema: every keyword lowering emits, defaults counted as present (Ajv's
 * `useDefaults` fills them) except inside unions, and spec text only as JSON
 * literals.
 */
import { describe, expect, it } from 'vitest';
import { schemaType } from '../../../../generator/emit/schema-type.js';

describe('schemaType', () => {
  it.each([
    ['string', { type: 'string', maxLength: 5 }, 'string'],
    ['integer and number', { type: ['integer', 'null'] }, 'number | null'],
    ['enum', { type: 'string', enum: ['a', 'b'] }, '"a" | "b"'],
    ['const', { const: 3 }, '3'],
    ['object constant', { const: { a: 1 } }, 'unknown'],
    ['array', { type: 'array', items: { type: 'boolean' } }, '(boolean)[]'],
    ['array without items', { type: 'array' }, '(unknown)[]'],
    ['no type (free-form)', { description: 'anything' }, 'unknown'],
    ['true schema', true, 'unknown'],
    ['false schema', false, 'never'],
    [
      'closed object',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'], additionalProperties: false },
      '{ "a": string; "b"?: number; }',
    ],
    ['open object', { type: 'object', properties: { a: { type: 'string' } } }, '{ "a"?: string; [key: string]: unknown; }'],
    ['map', { type: 'object', additionalProperties: { type: 'string' } }, '{ [key: string]: string; }'],
    ['default makes present', { type: 'object', properties: { n: { type: 'integer', default: 20 } }, additionalProperties: false }, '{ "n": number; }'],
    [
      'union of objects',
      { anyOf: [{ type: 'object', properties: { a: { type: 'string', default: 'x' } }, additionalProperties: false }, { type: 'string' }] },
      '{ "a"?: string; } | string',
    ],
    [
      'allOf',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }] },
      '(unknown) & ({ "a": string; })',
    ],
    [
      'hostile names stay JSON strings',
      { type: 'object', properties: { 'a"; } x: { "': { enum: ['*/'] } }, additionalProperties: false },
      `{ ${JSON.stringify('a"; } x: { "')}?: "*/"; }`,
    ],
  ])('%s', (_name, schema, expected) => {
    expect(schemaType(schema)).toBe(expected);
  });
});
