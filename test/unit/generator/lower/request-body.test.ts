import { describe, expect, it } from 'vitest';
import type { LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { requestBodyArguments } from '../../../../generator/lower/request-body.js';
import { createKit } from './lower-test-kit.js';

const order = {
  type: 'object',
  properties: { symbol: { type: 'string' }, qty: { type: 'string' }, id: { type: 'string', readOnly: true } },
  required: ['symbol', 'id'],
};
const components = { requestBodies: { Order: { required: true, content: { 'application/json': { schema: order } } } } };

type Row = Pick<LowerArgument, 'key' | 'required' | 'bodyPath' | 'schema'>;
type Case = [string, { body: unknown; want: Row[]; issues?: string[] }];

const cases: Case[] = [
  [
    'object body: one argument per property, read-only ones dropped',
    {
      body: { required: true, content: { 'application/json': { schema: order } } },
      want: [
        { key: 'symbol', required: true, bodyPath: ['symbol'], schema: { type: 'string' } },
        { key: 'qty', required: false, bodyPath: ['qty'], schema: { type: 'string' } },
      ],
    },
  ],
  [
    'optional body: every property optional',
    {
      body: { content: { 'application/json': { schema: order } } },
      want: [
        { key: 'symbol', required: false, bodyPath: ['symbol'], schema: { type: 'string' } },
        { key: 'qty', required: false, bodyPath: ['qty'], schema: { type: 'string' } },
      ],
    },
  ],
  [
    '$ref request bodies and +json media types',
    {
      body: { $ref: '#/components/requestBodies/Order' },
      want: [
        { key: 'symbol', required: true, bodyPath: ['symbol'], schema: { type: 'string' } },
        { key: 'qty', required: false, bodyPath: ['qty'], schema: { type: 'string' } },
      ],
    },
  ],
  [
    'form bodies are objects too',
    {
      body: {
        content: {
          'text/plain': { schema: { type: 'string' } },
          'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
      want: [{ key: 'a', required: false, bodyPath: ['a'], schema: { type: 'string' } }],
    },
  ],
  [
    'array body: one argument "body"',
    {
      body: { required: true, content: { 'application/vnd.api+json': { schema: { type: 'array', items: { type: 'string' } } } } },
      want: [{ key: 'body', required: true, bodyPath: [], schema: { type: 'array', items: { type: 'string' } } }],
    },
  ],
  [
    'scalar body without schema: one unconstrained argument',
    {
      body: { description: 'Raw JSON', content: { 'application/json': {} } },
      want: [{ key: 'body', required: false, bodyPath: [], schema: { description: 'Raw JSON' } }],
    },
  ],
  [
    'non-JSON required body is an error',
    {
      body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      want: [],
      issues: ['lower.body-unsupported error #/paths/~1x/post/requestBody/content'],
    },
  ],
  [
    'non-JSON optional body is a warning',
    {
      body: { content: { 'text/plain': { schema: { type: 'string' } } } },
      want: [],
      issues: ['lower.body-unsupported warning #/paths/~1x/post/requestBody/content'],
    },
  ],
];

describe('requestBodyArguments', () => {
  it.each(cases)('%s', (_name, { body, want, issues = [] }) => {
    const { ctx, inliner } = createKit({ components });
    const args = requestBodyArguments({ requestBody: body }, '#/paths/~1x/post', ctx, inliner);
    expect(args.map(({ key, required, bodyPath, schema }) => ({ key, required, bodyPath, schema }))).toEqual(want);
    expect(args.every((arg) => arg.in === 'body')).toBe(true);
    expect(ctx.issues.map((issue) => `${issue.code} ${issue.severity} ${issue.pointer}`)).toEqual(issues);
  });
});
