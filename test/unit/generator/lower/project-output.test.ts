import { describe, expect, it } from 'vitest';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import { parseProjectionPath, projectOutput } from '../../../../generator/lower/project-output.js';

describe('parseProjectionPath', () => {
  it.each([
    ['accountId', ['accountId']],
    ['ratings[].ticker', ['ratings', '[]', 'ticker']],
    ['[].id', ['[]', 'id']],
    ['grid[][].v', ['grid', '[]', '[]', 'v']],
  ] as const)('%s', (given, want) => {
    expect(parseProjectionPath(given)).toEqual(want);
  });
});

const schema = {
  type: 'object',
  properties: {
    a: { type: 'object', properties: { b: { type: 'string' }, c: { type: 'string' } } },
    free: {},
    map: { type: 'object', additionalProperties: { type: 'string' } },
    list: { type: 'array', items: { type: ['object', 'null'], properties: { x: { type: 'string' }, y: { type: 'string' } } } },
  },
};

type Case = [string, { given: string[]; want: unknown; errors?: number }];

const cases: Case[] = [
  ['a leaf keeps its parent chain', { given: ['a.b'], want: { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } } }],
  [
    'a path through array items keeps the nullable items',
    {
      given: ['list[].x'],
      want: { type: 'object', properties: { list: { type: 'array', items: { type: ['object', 'null'], properties: { x: { type: 'string' } } } } } },
    },
  ],
  ['a parent path keeps the whole subtree', { given: ['a', 'a.b'], want: { type: 'object', properties: { a: schema.properties.a } } }],
  ['below an unconstrained schema the rest is accepted', { given: ['free.x.y'], want: { type: 'object', properties: { free: {} } } }],
  ['map keys cannot be projected', { given: ['map.x'], want: schema, errors: 1 }],
];

describe('projectOutput', () => {
  it.each(cases)('%s', (_name, { given, want, errors = 0 }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    expect(projectOutput(schema, given, undefined, ctx, '#')).toEqual(want);
    expect(ctx.issues.filter((issue) => issue.code === 'lower.unknown-projection')).toHaveLength(errors);
  });
});
