import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../../../runtime/contract/tool-definition.js';
import type { Acknowledgement } from '../../../../generator/diff/acknowledge.js';
import { compareSurfaces } from '../../../../generator/diff/compare-surfaces.js';
import { renderSurfaceReport } from '../../../../generator/diff/render-markdown.js';
import { orderTool, searchTool, surfaceOf } from './surface-kit.js';

const labels = { beforeLabel: 'main', afterLabel: 'HEAD' };

describe('renderSurfaceReport', () => {
  it.each<[string, { given: { before: ToolDefinition[]; after: ToolDefinition[]; acks?: Acknowledgement[] }; want: string[]; not?: string[] }]>([
    [
      'no changes',
      {
        given: { before: [searchTool()], after: [searchTool()] },
        want: ['## Tool surface: no changes\n\nCompared `main` (1 tools) with `HEAD` (1 tools).\n'],
        not: ['[!WARNING]', '| Tool |'],
      },
    ],
    [
      'a compatible change only',
      {
        given: { before: [searchTool()], after: [searchTool({ title: 'Find' })] },
        want: [
          '## Tool surface: 0 breaking · 0 risky · 1 compatible\n',
          '| `search_symbols` | changed | 0 | 0 | 1 |',
          '| 🟢 compatible | `tool.title-changed` | title `Search symbols` → `Find` |',
        ],
        not: ['[!WARNING]'],
      },
    ],
    [
      'a rename, acknowledged',
      {
        given: {
          before: [searchTool()],
          after: [searchTool({ name: 'find_symbols' })],
          acks: [{ tool: 'find_symbols', change: 'tool.renamed', reason: 'Clearer | name.' }],
        },
        want: [
          '0 breaking · 0 risky · 0 compatible · 1 acknowledged',
          '### `find_symbols` (renamed from `search_symbols`)',
          '| ✅ breaking, acknowledged | `tool.renamed` | renamed from `search_symbols` (acknowledged: Clearer \\| name.) |',
        ],
        not: ['[!WARNING]'],
      },
    ],
    [
      'a removed tool and a stale acknowledgement',
      {
        given: { before: [searchTool(), orderTool()], after: [searchTool()], acks: [{ tool: 'gone', change: 'tool.removed', reason: 'Old.' }] },
        want: [
          '> 1 breaking or risky change needs review. Revert it,',
          '### `place_order` (removed)',
          '| 🔴 breaking | `tool.removed` | tool removed (was `POST /v1/orders`, scope `order:execution`) |',
          '- `gone` `tool.removed`: Old.',
        ],
      },
    ],
  ])('%s', (_name, { given, want, not = [] }) => {
    const markdown = renderSurfaceReport(compareSurfaces(surfaceOf(...given.before), surfaceOf(...given.after), given.acks), labels);
    for (const text of want) expect(markdown).toContain(text);
    for (const text of not) expect(markdown).not.toContain(text);
  });
});
