import { describe, expect, it } from 'vitest';
import { dropBadPatterns, isValidUnicodePattern } from '../../../../generator/lower/drop-bad-patterns.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import type { SchemaRecord } from '../../../../generator/lower/schema-walk.js';

type Case = [string, { given: SchemaRecord; want: SchemaRecord; issues: string[] }];

const cases: Case[] = [
  ['keeps a valid pattern', { given: { type: 'string', pattern: '^[A-Z]{1,5}$' }, want: { type: 'string', pattern: '^[A-Z]{1,5}$' }, issues: [] }],
  [
    'drops a pattern invalid with the u flag',
    {
      given: { type: 'string', pattern: '^\\-?\\d+$' },
      want: { type: 'string' },
      issues: ['lower.pattern-dropped warning #/components/schemas/Qty/pattern "^\\\\-?\\\\d+$"'],
    },
  ],
  [
    'drops a pattern that is no regex at all',
    {
      given: { type: 'string', pattern: '(?<name' },
      want: { type: 'string' },
      issues: ['lower.pattern-dropped warning #/components/schemas/Qty/pattern "(?<name"'],
    },
  ],
  [
    'drops invalid patternProperties keys only',
    {
      given: { type: 'object', patternProperties: { '^a': { type: 'string' }, '\\_x': { type: 'string' } } },
      want: { type: 'object', patternProperties: { '^a': { type: 'string' } } },
      issues: ['lower.pattern-dropped warning #/components/schemas/Qty/patternProperties/\\_x "\\\\_x"'],
    },
  ],
];

describe('dropBadPatterns', () => {
  it.each(cases)('%s', (_name, { given, want, issues }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    expect(dropBadPatterns(given, '#/components/schemas/Qty', ctx)).toEqual(want);
    expect(ctx.issues.map((issue) => `${issue.code} ${issue.severity} ${issue.pointer} ${issue.message.split(' ')[1]}`)).toEqual(issues);
  });

  it.each([
    ['^\\d+$', true],
    ['[a-z', false],
    ['\\-', false],
    ['a++', false],
  ] as const)('isValidUnicodePattern(%s) is %s', (pattern, want) => {
    expect(isValidUnicodePattern(pattern)).toBe(want);
  });
});
