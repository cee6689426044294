import { describe, expect, it } from 'vitest';
import type { LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { mergeParameters } from '../../../../generator/lower/merge-parameters.js';
import { createKit } from './lower-test-kit.js';

const components = {
  parameters: {
    AccountId: { name: 'accountId', in: 'path', required: true, description: 'Trading account', schema: { type: 'string' } },
  },
};

type Row = Pick<LowerArgument, 'key' | 'in' | 'required' | 'schema'>;
type Case = [string, { pathItem?: unknown[]; operation: unknown[]; want: Row[]; issues?: string[]; notes?: string[] }];

const cases: Case[] = [
  [
    'orders path, query, header in spec order',
    {
      operation: [
        { name: 'limit', in: 'query', schema: { type: 'integer' } },
        { name: 'X-Request-Id', in: 'header', schema: { type: 'string' } },
        { name: 'id', in: 'path', schema: { type: 'string' } },
        { name: 'cursor', in: 'query', required: true, schema: { type: 'string' } },
      ],
      want: [
        { key: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { key: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
        { key: 'cursor', in: 'query', required: true, schema: { type: 'string' } },
        { key: 'X-Request-Id', in: 'header', required: false, schema: { type: 'string', description: '(in: header)' } },
      ],
    },
  ],
  [
    'the operation wins over the path item on the same name and in',
    {
      pathItem: [
        { name: 'limit', in: 'query', description: 'old', schema: { type: 'integer' } },
        { name: 'limit', in: 'header', schema: { type: 'string' } },
      ],
      operation: [{ name: 'limit', in: 'query', description: 'new', schema: { type: 'integer', maximum: 10 } }],
      want: [
        { key: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 10, description: 'new' } },
        { key: 'limit', in: 'header', required: false, schema: { type: 'string', description: '(in: header)' } },
      ],
    },
  ],
  [
    'resolves $ref parameters and keeps descriptions',
    {
      pathItem: [{ $ref: '#/components/parameters/AccountId' }],
      operation: [],
      want: [{ key: 'accountId', in: 'path', required: true, schema: { type: 'string', description: 'Trading account' } }],
    },
  ],
  [
    'skips cookies with a warning and gateway headers with a note',
    {
      operation: [
        { name: 'session', in: 'cookie', schema: { type: 'string' } },
        { name: 'authorization', in: 'header', schema: { type: 'string' } },
        { name: 'Accept', in: 'header', schema: { type: 'string' } },
        { name: 'Content-Type', in: 'header', schema: { type: 'string' } },
        { name: 'Idempotency-Key', in: 'header', description: 'Key', schema: { type: 'string' } },
      ],
      want: [{ key: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', description: 'Key (in: header)' } }],
      issues: ['lower.cookie-skipped warning #/paths/~1x/get/parameters/0'],
      notes: ['skipped headers the gateway sets: authorization, Accept, Content-Type'],
    },
  ],
  [
    'path parameters are required even when the spec forgets',
    {
      operation: [{ name: 'id', in: 'path', schema: { type: 'string' } }],
      want: [{ key: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    },
  ],
  [
    'parameters described with content use its schema; none gives a string',
    {
      operation: [
        { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'string' } } } } } },
        { name: 'q', in: 'query' },
      ],
      want: [
        { key: 'filter', in: 'query', required: false, schema: { type: 'object', properties: { a: { type: 'string' } } } },
        { key: 'q', in: 'query', required: false, schema: { type: 'string' } },
      ],
    },
  ],
  [
    'deprecated parameters keep working; nullable is removed at the root',
    {
      operation: [{ name: 'old', in: 'query', deprecated: true, schema: { type: 'string', nullable: true } }],
      want: [{ key: 'old', in: 'query', required: false, schema: { type: 'string' } }],
      notes: ['converted to JSON Schema 2020-12: nullable'],
    },
  ],
  [
    'skips invalid and dangling parameters with warnings',
    {
      operation: [{ in: 'query' }, { $ref: '#/components/parameters/Nope' }, { name: 'b', in: 'body' }],
      want: [],
      issues: [
        'lower.parameter-invalid warning #/paths/~1x/get/parameters/0',
        'lower.unresolved-ref warning #/paths/~1x/get/parameters/1',
        'lower.parameter-invalid warning #/paths/~1x/get/parameters/2',
      ],
    },
  ],
];

describe('mergeParameters', () => {
  it.each(cases)('%s', (_name, { pathItem = [], operation, want, issues = [], notes = [] }) => {
    const { ctx, inliner } = createKit({ components });
    const args = mergeParameters(
      {
        pathItem: { parameters: pathItem },
        pathItemPointer: '#/paths/~1x',
        operation: { parameters: operation },
        operationPointer: '#/paths/~1x/get',
      },
      ctx,
      inliner,
    );
    expect(args.map(({ key, in: where, required, schema }) => ({ key, in: where, required, schema }))).toEqual(want);
    expect(args.every((arg) => arg.segments.length === 1 && arg.segments[0] === arg.key)).toBe(true);
    expect(ctx.issues.map((issue) => `${issue.code} ${issue.severity} ${issue.pointer}`)).toEqual(issues);
    expect(ctx.notes.render()).toEqual(notes);
  });
});
