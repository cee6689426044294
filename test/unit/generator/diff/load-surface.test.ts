import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSurface } from '../../../../generator/diff/load-surface.js';
import { orderTool, searchTool, surfaceJson } from './surface-kit.js';

const valid = z.looseObject({ tools: z.array(z.record(z.string(), z.unknown())) }).parse(JSON.parse(surfaceJson(searchTool(), orderTool())));
const withFirstTool = (patch: Record<string, unknown>): string => JSON.stringify({ ...valid, tools: [{ ...valid.tools[0], ...patch }, valid.tools[1]] });

describe('loadSurface', () => {
  it('reads a surface', () => {
    const { value, issues } = loadSurface(surfaceJson(searchTool(), orderTool()), 'a.json');
    expect(issues).toEqual([]);
    expect(value?.tools.map((tool) => tool.name)).toEqual(['place_order', 'search_symbols']);
  });

  it('reads a surface without annotations.title (annotationTitle: false)', () => {
    const { value, issues } = loadSurface(
      withFirstTool({ annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } }),
      'a.json',
    );
    expect(issues).toEqual([]);
    expect(value?.tools[0]?.annotations.title).toBeUndefined();
  });

  it.each<[string, { given: string; want: { code: string; pointer: string } }]>([
    ['not JSON', { given: '{"tools": [', want: { code: 'surface.not-a-surface', pointer: '#' } }],
    ['no tools array', { given: '{"openapi": "3.1.0"}', want: { code: 'surface.not-a-surface', pointer: '#' } }],
    ['an array', { given: '[]', want: { code: 'surface.not-a-surface', pointer: '#' } }],
    ['wrong toolCount', { given: JSON.stringify({ ...valid, toolCount: 3 }), want: { code: 'surface.invalid', pointer: '#/toolCount' } }],
    ['a tool is not an object', { given: JSON.stringify({ ...valid, tools: [1, valid.tools[1]] }), want: { code: 'surface.invalid', pointer: '#/tools/0' } }],
    ['name missing', { given: withFirstTool({ name: undefined }), want: { code: 'surface.invalid', pointer: '#/tools/0/name' } }],
    ['scopes not strings', { given: withFirstTool({ scopes: [1] }), want: { code: 'surface.invalid', pointer: '#/tools/0/scopes' } }],
    [
      'an annotations title that is not a string',
      {
        given: withFirstTool({ annotations: { title: 1, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } }),
        want: { code: 'surface.invalid', pointer: '#/tools/0/annotations/title' },
      },
    ],
    [
      'a hint missing',
      {
        given: withFirstTool({ annotations: { title: 'T', readOnlyHint: true, destructiveHint: false, idempotentHint: true } }),
        want: { code: 'surface.invalid', pointer: '#/tools/0/annotations/openWorldHint' },
      },
    ],
    [
      'operation path missing',
      { given: withFirstTool({ operation: { operationId: 'x', method: 'get' } }), want: { code: 'surface.invalid', pointer: '#/tools/0/operation/path' } },
    ],
    ['a route without argument', { given: withFirstTool({ routes: [{ in: 'query' }] }), want: { code: 'surface.invalid', pointer: '#/tools/0/routes' } }],
    [
      'duplicate names',
      { given: JSON.stringify({ ...valid, tools: [valid.tools[0], valid.tools[0]] }), want: { code: 'surface.invalid', pointer: '#/tools/1/name' } },
    ],
  ])('refuses %s', (_name, { given, want }) => {
    const { value, issues } = loadSurface(given, 'a.json');
    expect(value).toBeUndefined();
    expect(issues).toEqual([expect.objectContaining({ ...want, severity: 'error', file: 'a.json' })]);
  });
});
