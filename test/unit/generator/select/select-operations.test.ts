import { describe, expect, it } from 'vitest';
import { listOperations } from '../../../../generator/select/list-operations.js';
import { selectOperations } from '../../../../generator/select/select-operations.js';
import type { ToolsConfig } from '../../../../generator/load/tools-config.js';

const doc = {
  openapi: '3.1.0',
  paths: {
    '/v1/orders': {
      post: { operationId: 'placeOrder', tags: ['Orders'] },
    },
    '/v1/orders/cancel': { post: { operationId: 'cancelOrder', tags: ['Orders'] } },
    '/v1/quotes': { get: { operationId: 'getLastQuote', tags: ['Market'] }, $ref: '#/components/pathItems/Shared' },
    '/v1/untagged': { get: {} },
  },
  components: { pathItems: { Shared: { delete: { operationId: 'deleteQuote' } } } },
};
const operations = listOperations(doc);
const config = (tools: ToolsConfig['tools']): ToolsConfig => ({ version: 1, tools });
const options = { configFile: 'spec/tools.yaml' };

describe('listOperations', () => {
  it('lists operations in document order, follows path-item $refs, derives missing operationIds', () => {
    expect(operations.map((operation) => [operation.operationId, operation.hasOperationId, operation.pointer])).toEqual([
      ['placeOrder', true, '#/paths/~1v1~1orders/post'],
      ['cancelOrder', true, '#/paths/~1v1~1orders~1cancel/post'],
      ['getLastQuote', true, '#/paths/~1v1~1quotes/get'],
      ['deleteQuote', true, '#/paths/~1v1~1quotes/delete'],
      ['get /v1/untagged', false, '#/paths/~1v1~1untagged/get'],
    ]);
  });
});

describe('selectOperations', () => {
  it('selects by operationId and by method + path, and reports the rest', () => {
    const result = selectOperations(operations, config([{ operation: 'cancelOrder' }, { operation: { method: 'get', path: '/v1/quotes' } }]), options);
    expect(result.issues).toEqual([]);
    expect(result.value.selected.map((entry) => [entry.spec.operationId, entry.configPointer])).toEqual([
      ['cancelOrder', '#/tools/0'],
      ['getLastQuote', '#/tools/1'],
    ]);
    expect(result.value.notAllowlisted.map((operation) => operation.operationId)).toEqual(['placeOrder', 'deleteQuote', 'get /v1/untagged']);
  });

  it('selects a tag minus exclusions', () => {
    const result = selectOperations(operations, config([{ tag: 'Orders', exclude: ['cancelOrder'] }]), options);
    expect(result.value.selected.map((entry) => entry.spec.operationId)).toEqual(['placeOrder']);
  });

  it.each([
    [
      'an operation missing from the spec, with a guess',
      [{ operation: 'placeOrdr' }],
      {
        code: 'config.unknown-operation',
        pointer: '#/tools/0/operation',
        fix: 'Did you mean "placeOrder"? Otherwise remove the entry (the endpoint is gone).',
      },
    ],
    [
      'a path missing from the spec',
      [{ operation: { method: 'put' as const, path: '/v1/orders' } }],
      { code: 'config.unknown-operation', message: 'Allowlisted operation PUT /v1/orders is not in the spec.' },
    ],
    [
      'an operation selected twice',
      [{ operation: 'placeOrder' }, { tag: 'Orders', exclude: ['cancelOrder'] }],
      { code: 'config.duplicate-operation', pointer: '#/tools/1' },
    ],
    ['an unknown tag', [{ tag: 'Nope' }], { code: 'config.unknown-tag', pointer: '#/tools/0/tag' }],
    ['an exclusion that matches nothing', [{ tag: 'Orders', exclude: ['getLastQuote'] }], { code: 'config.unknown-exclude' }],
    ['a tag entry with per-tool overrides', [{ tag: 'Orders', name: 'x' }], { code: 'config.tag-override' }],
  ])('reports %s', (_name, tools, want) => {
    const result = selectOperations(operations, config(tools), options);
    expect(result.issues).toContainEqual(expect.objectContaining({ severity: 'error', file: 'spec/tools.yaml', ...want }));
  });

  it('selects everything with --all', () => {
    expect(selectOperations(operations, config([]), { ...options, all: true }).value.selected).toHaveLength(5);
  });
});
