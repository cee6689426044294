import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../../../runtime/contract/tool-definition.js';
import { diffTools, pairTools } from '../../../../generator/diff/diff-tools.js';
import { orderTool, searchTool } from './surface-kit.js';

const search = searchTool();
const order = orderTool();
const op = (tool: ToolDefinition, patch: Partial<ToolDefinition['operation']>): ToolDefinition => ({ ...tool, operation: { ...tool.operation, ...patch } });

/** Pairs as `old -> new`, `- old` (removed) or `+ new` (added). */
function pairs(before: ToolDefinition[], after: ToolDefinition[]): string[] {
  return pairTools(before, after).map(({ before: b, after: a }) => (b && a ? `${b.name} -> ${a.name}` : b ? `- ${b.name}` : `+ ${a?.name}`));
}

describe('pairTools', () => {
  it.each<[string, { given: { before: ToolDefinition[]; after: ToolDefinition[] }; want: string[] }]>([
    [
      'same names pair',
      { given: { before: [search, order], after: [order, search] }, want: ['place_order -> place_order', 'search_symbols -> search_symbols'] },
    ],
    ['same method and path is a rename', { given: { before: [search], after: [{ ...search, name: 'find' }] }, want: ['search_symbols -> find'] }],
    [
      'same operationId on a new path is a rename',
      { given: { before: [search], after: [op({ ...search, name: 'find' }, { path: '/v2/search' })] }, want: ['search_symbols -> find'] },
    ],
    [
      'method + path wins over operationId',
      {
        given: {
          before: [search],
          after: [op({ ...search, name: 'a_by_id' }, { path: '/v2/x' }), op({ ...search, name: 'b_by_path' }, { operationId: 'other' })],
        },
        want: ['+ a_by_id', 'search_symbols -> b_by_path'],
      },
    ],
    ['a different operation is a removal and an addition', { given: { before: [search], after: [order] }, want: ['+ place_order', '- search_symbols'] }],
    [
      'two candidates: the first by name wins',
      {
        given: {
          before: [search],
          after: [
            { ...search, name: 'zeta' },
            { ...search, name: 'alpha' },
          ],
        },
        want: ['search_symbols -> alpha', '+ zeta'],
      },
    ],
    [
      'two removed for one added: the first by name is renamed',
      {
        given: {
          before: [
            { ...search, name: 'b_old' },
            { ...search, name: 'a_old' },
          ],
          after: [{ ...search, name: 'new' }],
        },
        want: ['- b_old', 'a_old -> new'],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(pairs(given.before, given.after)).toEqual(want);
  });
});

describe('diffTools', () => {
  it('leaves unchanged tools out and reports a renamed tool with its old name', () => {
    const diffs = diffTools([search, order], [order, { ...search, name: 'find_symbols', title: 'Find symbols' }]);
    expect(diffs.map(({ name, previousName, status, changes }) => ({ name, previousName, status, kinds: changes.map((change) => change.kind) }))).toEqual([
      { name: 'find_symbols', previousName: 'search_symbols', status: 'renamed', kinds: ['tool.renamed', 'tool.title-changed'] },
    ]);
  });
});
