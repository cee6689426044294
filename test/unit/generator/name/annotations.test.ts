import { describe, expect, it } from 'vitest';
import { annotateTool } from '../../../../generator/name/annotations.js';
import type { HttpMethod } from '../../../../runtime/contract/tool-definition.js';

const base = { title: 'T', openWorldDefault: true, configFile: 'cfg', configPointer: '#/tools/0' };

describe('annotateTool', () => {
  it.each<[string, { method: HttpMethod; overrides?: object; want: object }]>([
    ['GET reads', { method: 'get', want: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } }],
    ['POST adds', { method: 'post', want: { readOnlyHint: false, destructiveHint: false, idempotentHint: false } }],
    ['PUT replaces', { method: 'put', want: { readOnlyHint: false, destructiveHint: true, idempotentHint: true } }],
    ['PATCH modifies', { method: 'patch', want: { readOnlyHint: false, destructiveHint: true, idempotentHint: false } }],
    ['DELETE destroys', { method: 'delete', want: { readOnlyHint: false, destructiveHint: true, idempotentHint: true } }],
    [
      'a POST preview marked read-only',
      { method: 'post', overrides: { readOnlyHint: true }, want: { readOnlyHint: true, destructiveHint: false, idempotentHint: true } },
    ],
    [
      'a POST order marked destructive',
      { method: 'post', overrides: { destructiveHint: true }, want: { readOnlyHint: false, destructiveHint: true, idempotentHint: false } },
    ],
  ])('%s', (_name, { method, overrides, want }) => {
    const { annotations, issues } = annotateTool({ ...base, method, overrides });
    expect(issues).toEqual([]);
    expect(annotations).toMatchObject({ title: 'T', ...want });
    expect(Object.keys(annotations).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title']);
  });

  it('leaves annotations.title out when includeTitle is false (annotationTitle: false)', () => {
    const { annotations, issues } = annotateTool({ ...base, method: 'get', includeTitle: false });
    expect(issues).toEqual([]);
    expect(annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
    expect(annotateTool({ ...base, method: 'get', includeTitle: true }).annotations.title).toBe('T');
  });

  it('refuses a tool that is both read-only and destructive', () => {
    const { issues } = annotateTool({ ...base, method: 'delete', overrides: { readOnlyHint: true, destructiveHint: true } });
    expect(issues).toEqual([expect.objectContaining({ code: 'config.contradictory-annotations', severity: 'error', pointer: '#/tools/0/annotations' })]);
  });
});
