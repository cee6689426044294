import { describe, expect, it } from 'vitest';
import { parseAcknowledgements, type Acknowledgement } from '../../../../generator/diff/acknowledge.js';
import { compareSurfaces, needsReview } from '../../../../generator/diff/compare-surfaces.js';
import { orderTool, searchArguments, searchTool, surfaceOf } from './surface-kit.js';

const before = surfaceOf(searchTool(), orderTool());
/** limit newly required (breaking), venue removed (breaking), a scope added (risky), title changed (compatible). */
const after = surfaceOf(
  searchTool({
    inputSchema: searchArguments({ venue: undefined }, ['query', 'limit']),
    scopes: ['market:information', 'account:information'],
    title: 'Find symbols',
  }),
  orderTool(),
);
const ack = (change: string, tool = 'search_symbols'): Acknowledgement => ({ tool, change, reason: 'Agreed with the API team.' });

describe('acknowledgements', () => {
  it.each<[string, { given: Acknowledgement[]; want: { counts: object; review: boolean; acknowledged: string[]; unused: number } }]>([
    ['none', { given: [], want: { counts: { breaking: 2, risky: 1, compatible: 1, acknowledged: 0 }, review: true, acknowledged: [], unused: 0 } }],
    [
      'one change by id',
      {
        given: [ack('argument.now-required:limit')],
        want: { counts: { breaking: 1, risky: 1, compatible: 1, acknowledged: 1 }, review: true, acknowledged: ['argument.now-required:limit'], unused: 0 },
      },
    ],
    [
      'every breaking and risky change',
      {
        given: [ack('argument.now-required'), ack('argument.removed:venue'), ack('scope.added')],
        want: {
          counts: { breaking: 0, risky: 0, compatible: 1, acknowledged: 3 },
          review: false,
          acknowledged: ['argument.removed:venue', 'argument.now-required:limit', 'scope.added:account:information'],
          unused: 0,
        },
      },
    ],
    [
      'the right change on the wrong tool',
      {
        given: [ack('argument.now-required', 'place_order')],
        want: { counts: { breaking: 2, risky: 1, compatible: 1, acknowledged: 0 }, review: true, acknowledged: [], unused: 1 },
      },
    ],
    [
      'an id with another subject',
      {
        given: [ack('argument.now-required:query')],
        want: { counts: { breaking: 2, risky: 1, compatible: 1, acknowledged: 0 }, review: true, acknowledged: [], unused: 1 },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const report = compareSurfaces(before, after, given);
    expect(report.counts).toEqual(want.counts);
    expect(needsReview(report)).toBe(want.review);
    expect(report.tools.flatMap((tool) => tool.changes.filter((change) => change.acknowledged).map((change) => change.id))).toEqual(want.acknowledged);
    expect(report.unusedAcknowledgements).toHaveLength(want.unused);
  });

  it('matches a renamed tool by its old name', () => {
    const report = compareSurfaces(surfaceOf(searchTool()), surfaceOf(searchTool({ name: 'find_symbols' })), [ack('tool.renamed')]);
    expect(report.tools[0]?.changes).toEqual([expect.objectContaining({ id: 'tool.renamed', acknowledged: { reason: 'Agreed with the API team.' } })]);
    expect(needsReview(report)).toBe(false);
  });
});

describe('parseAcknowledgements', () => {
  it('reads entries and trims the reason', () => {
    expect(parseAcknowledgements([{ tool: 'a', change: 'scope.added:x', reason: ' ok ' }], 'spec/tools.yaml')).toEqual({
      value: [{ tool: 'a', change: 'scope.added:x', reason: 'ok' }],
      issues: [],
    });
  });

  it('treats an absent list as empty', () => {
    expect(parseAcknowledgements(undefined, 'spec/tools.yaml')).toEqual({ value: [], issues: [] });
  });

  it.each<[string, { given: unknown; want: string[] }]>([
    ['not a list', { given: { tool: 'a' }, want: ['#/acknowledged'] }],
    ['an entry that is not an object', { given: ['scope.added'], want: ['#/acknowledged/0'] }],
    ['missing reason', { given: [{ tool: 'a', change: 'scope.added' }], want: ['#/acknowledged/0/reason'] }],
    ['blank reason', { given: [{ tool: 'a', change: 'scope.added', reason: '  ' }], want: ['#/acknowledged/0/reason'] }],
    ['unknown key', { given: [{ tool: 'a', change: 'scope.added', reason: 'r', until: '2026' }], want: ['#/acknowledged/0/until'] }],
    ['unknown change kind', { given: [{ tool: 'a', change: 'argument.renamed:x', reason: 'r' }], want: ['#/acknowledged/0/change'] }],
  ])('refuses %s', (_name, { given, want }) => {
    const { value, issues } = parseAcknowledgements(given, 'spec/tools.yaml');
    expect(value).toEqual([]);
    expect(issues.map((issue) => issue.pointer)).toEqual(want);
    expect(issues.every((issue) => issue.code === 'config.invalid-acknowledgement' && issue.severity === 'error' && issue.file === 'spec/tools.yaml')).toBe(
      true,
    );
  });
});
