import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../generator/load/load-config.js';

const FILE = 'spec/tools.yaml';

describe('loadConfig', () => {
  it('accepts a minimal valid config', () => {
    const result = loadConfig(FILE, 'version: 1\ntools:\n  - operation: listUserAccounts\n    name: list_accounts\n');
    expect(result.issues).toEqual([]);
    expect(result.value.config?.tools[0]?.name).toBe('list_accounts');
  });

  it('accepts the surface-size defaults', () => {
    const result = loadConfig(FILE, 'version: 1\ndefaults:\n  outputSchemaDetail: fields\n  inputExamples: informative\n  annotationTitle: false\ntools: []\n');
    expect(result.issues).toEqual([]);
    expect(result.value.config?.defaults).toEqual({ outputSchemaDetail: 'fields', inputExamples: 'informative', annotationTitle: false });
  });

  it.each([
    [
      'unknown outputSchemaDetail',
      {
        given: 'version: 1\ndefaults:\n  outputSchemaDetail: none\ntools: []\n',
        want: { pointer: '#/defaults/outputSchemaDetail', line: 3, message: 'Must be one of types, fields, types-within-budget.' },
      },
    ],
    [
      'unknown inputExamples',
      {
        given: 'version: 1\ndefaults:\n  inputExamples: some\ntools: []\n',
        want: { pointer: '#/defaults/inputExamples', line: 3, message: 'Must be one of all, informative, none.' },
      },
    ],
    [
      'annotationTitle not a boolean',
      {
        given: 'version: 1\ndefaults:\n  annotationTitle: "no"\ntools: []\n',
        want: { pointer: '#/defaults/annotationTitle', line: 3, message: 'Must be boolean.' },
      },
    ],
    [
      'unknown key, with its line',
      { given: 'version: 1\ntools:\n  - operation: a\n    nmae: x\n', want: { pointer: '#/tools/0', line: 3, message: 'Unknown key "nmae".' } },
    ],
    [
      'tool name with a space',
      {
        given: 'version: 1\ntools:\n  - operation: a\n    name: get positions\n',
        want: { pointer: '#/tools/0/name', line: 4, message: 'Value does not match ^[a-zA-Z0-9_-]{1,64}$.' },
      },
    ],
    ['missing tools', { given: 'version: 1\n', want: { pointer: '#', line: 1, message: 'Missing required key "tools".' } }],
    ['wrong version', { given: 'version: 2\ntools: []\n', want: { pointer: '#/version', line: 1, message: 'Must be 1.' } }],
    [
      'annotation of the wrong type',
      {
        given: 'version: 1\ntools:\n  - operation: a\n    annotations:\n      readOnlyHint: "yes"\n',
        want: { pointer: '#/tools/0/annotations/readOnlyHint', line: 5, message: 'Must be boolean.' },
      },
    ],
    [
      'parameter override with no effect',
      {
        given: 'version: 1\ntools:\n  - operation: a\n    parameters:\n      id: {}\n',
        want: { pointer: '#/tools/0/parameters/id', line: 5, message: 'must NOT have fewer than 1 properties.' },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const result = loadConfig(FILE, given);
    expect(result.value.config).toBeUndefined();
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'config.invalid', severity: 'error', file: FILE, ...want }));
    for (const issue of result.issues) expect(issue.fix.length).toBeGreaterThan(0);
  });

  it('reports YAML syntax errors with a line', () => {
    const result = loadConfig(FILE, 'version: 1\ntools:\n  - operation: [unclosed\n');
    expect(result.issues[0]).toMatchObject({ code: 'config.parse', severity: 'error', file: FILE });
    expect(result.issues[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects an entry with both operation and tag', () => {
    const result = loadConfig(FILE, 'version: 1\ntools:\n  - operation: a\n    tag: Orders\n');
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues[0]).toMatchObject({ pointer: '#/tools/0', line: 3 });
  });
});
