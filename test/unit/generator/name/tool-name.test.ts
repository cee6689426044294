import { describe, expect, it } from 'vitest';
import { EMPTY_NAME_LOCK, nameLockFromSurface, nameTools, operationHash, TOOL_NAME_PATTERN, toSnakeCase } from '../../../../generator/name/tool-name.js';
import type { SelectedOperation } from '../../../../generator/select/select-operations.js';
import type { HttpMethod } from '../../../../runtime/contract/tool-definition.js';

function op(operationId: string | undefined, method: HttpMethod, path: string, name?: string): SelectedOperation {
  return {
    spec: { operationId: operationId ?? `${method} ${path}`, hasOperationId: operationId !== undefined, method, path, operation: {}, tags: [], pointer: '#' },
    selection: name ? { name } : {},
    configPointer: '#/tools/0',
  };
}

describe('toSnakeCase', () => {
  it.each([
    ['listUserAccounts', 'list_user_accounts'],
    ['getHTTPStatus', 'get_http_status'],
    ['repos/get-content', 'repos_get_content'],
    ['get /v1/accounts/{id}/orders', 'get_v1_accounts_id_orders'],
    ['__weird__', 'weird'],
  ])('%s -> %s', (given, want) => expect(toSnakeCase(given)).toBe(want));
});

describe('nameTools', () => {
  it('uses configured names and derives the rest from operationIds', () => {
    const { names, issues } = nameTools([op('listUserAccounts', 'get', '/a', 'list_accounts'), op('getAccountBalances', 'get', '/b')], 'cfg');
    expect(names).toEqual(['list_accounts', 'get_account_balances']);
    expect(issues).toEqual([]);
  });

  it('derives a name from method and path when there is no operationId', () => {
    expect(nameTools([op(undefined, 'delete', '/v1/orders/{id}')], 'cfg').names).toEqual(['delete_v1_orders_id']);
  });

  it('disambiguates collisions with a hash of each operation itself, independent of order', () => {
    const a = op('get-thing', 'get', '/a');
    const b = op('getThing', 'get', '/b');
    const forward = nameTools([a, b], 'cfg').names;
    const backward = nameTools([b, a], 'cfg').names;
    expect(forward).toEqual([`get_thing_${operationHash('get', '/a')}`, `get_thing_${operationHash('get', '/b')}`]);
    expect(backward).toEqual([...forward].reverse());
  });

  it('keeps existing names when unrelated operations are added', () => {
    const before = nameTools([op('listUserAccounts', 'get', '/a'), op('getQuote', 'get', '/q')], 'cfg').names;
    const after = nameTools([op('newThing', 'post', '/n'), op('getQuote', 'get', '/q'), op('listUserAccounts', 'get', '/a')], 'cfg').names;
    expect(after.slice(1).reverse()).toEqual(before);
  });

  it('cuts long names to 64 characters with a stable hash', () => {
    const long = 'x'.repeat(100);
    const [name] = nameTools([op(long, 'get', '/long')], 'cfg').names;
    expect(name).toMatch(TOOL_NAME_PATTERN);
    expect(name).toHaveLength(64);
    expect(name!.endsWith(operationHash('get', '/long'))).toBe(true);
  });

  it('reports two configured tools with the same name', () => {
    const { issues } = nameTools([op('a', 'get', '/a', 'same'), op('b', 'get', '/b', 'same')], 'cfg');
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({ code: 'config.duplicate-name', severity: 'error', pointer: '#/tools/0/name' });
  });
});

describe('the committed surface as a name lock', () => {
  const lock = nameLockFromSurface(
    JSON.stringify({
      tools: [
        { name: 'get_thing', operation: { method: 'get', path: '/things/{id}', operationId: 'getThing' } },
        { name: 'list_items', operation: { method: 'get', path: '/items', operationId: 'listItems' } },
      ],
    }),
  );

  it('keeps a name when the spec renames the operationId', () => {
    const { names, issues } = nameTools([op('fetchThing', 'get', '/things/{id}')], 'cfg', lock);
    expect(names).toEqual(['get_thing']);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'name.locked',
        severity: 'info',
        fix: 'To rename the tool, give it an explicit entry with name: fetch_thing in the config.',
      }),
    ]);
  });

  it('keeps a name when the spec moves the path but not the operationId', () => {
    expect(nameTools([op('listItems', 'get', '/v2/items')], 'cfg', lock).names).toEqual(['list_items']);
  });

  it('lets an explicit config name rename the tool', () => {
    expect(nameTools([op('getThing', 'get', '/things/{id}', 'read_thing')], 'cfg', lock).names).toEqual(['read_thing']);
  });

  it('gives a new operation that would take a locked name a suffix instead', () => {
    const { names } = nameTools([op('getThing', 'get', '/things/{id}'), op('get-thing', 'post', '/other')], 'cfg', lock);
    expect(names).toEqual(['get_thing', `get_thing_${operationHash('post', '/other')}`]);
  });

  it('ignores an unreadable surface', () => {
    expect(nameLockFromSurface('{not json')).toEqual(EMPTY_NAME_LOCK);
  });
});
