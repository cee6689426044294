import { describe, expect, it } from 'vitest';
import { compareOutput } from '../../../../generator/report/check.js';
import { canonicalJson } from '../../../../generator/report/canonical-json.js';

describe('compareOutput', () => {
  it('names changed, missing and stale tools and files', () => {
    const expected = new Map([
      ['index.ts', 'new'],
      ['tools/a.ts', 'a2'],
      ['tools/b.ts', 'b'],
      ['TOOLS.md', 'same'],
    ]);
    const actual = new Map([
      ['index.ts', 'old'],
      ['tools/a.ts', 'a1'],
      ['tools/c.ts', 'c'],
      ['TOOLS.md', 'same'],
    ]);
    expect(compareOutput(expected, actual)).toEqual({
      upToDate: false,
      lines: ['index.ts: changed', 'tool a: changed', 'tool b: missing (would be added)', 'tool c: stale (would be removed)'],
    });
  });

  it('is up to date when every file matches', () => {
    const files = new Map([['index.ts', 'x']]);
    expect(compareOutput(files, new Map(files))).toEqual({ upToDate: true, lines: [] });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
