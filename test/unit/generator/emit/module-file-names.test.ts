import { describe, expect, it } from 'vitest';
import { kebabCase, toolModulePaths } from '../../../../generator/emit/module-file-names.js';

describe('kebabCase', () => {
  it.each([
    ['place_order', 'place-order'],
    ['getUserRepos', 'get-user-repos'],
    ['meta/root', 'meta-root'],
    ['getHTTPStatus', 'get-http-status'],
    ['actions__list-runs', 'actions-list-runs'],
    ['already-kebab', 'already-kebab'],
    ['__', 'tool'],
  ])('%s -> %s', (name, file) => {
    expect(kebabCase(name)).toBe(file);
  });
});

describe('toolModulePaths', () => {
  it('puts each tool in tools/<kebab-case>, and names that meet in one file get -2, -3 in name order', () => {
    const paths = toolModulePaths(['get_foo', 'place_order', 'getFoo', 'Get_Foo']);
    expect(Object.fromEntries(paths)).toEqual({
      Get_Foo: 'tools/get-foo',
      getFoo: 'tools/get-foo-2',
      get_foo: 'tools/get-foo-3',
      place_order: 'tools/place-order',
    });
  });

  it('depends only on the set of names, not their order', () => {
    expect([...toolModulePaths(['b_x', 'bX', 'a'])].sort()).toEqual([...toolModulePaths(['a', 'bX', 'b_x'])].sort());
  });
});
