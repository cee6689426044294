import { describe, expect, it } from 'vitest';
import { canonicalizeRefs, mayNeedCanonicalRefs } from '../../../../generator/load/canonical-refs.js';
import { resolvePointer } from '../../../../generator/lower/lower-context.js';

const BASE = 'file:///specs/api.yaml';
const FILE = 'specs/api.yaml';

const schemas = (entries: Record<string, unknown>): Record<string, unknown> => ({ openapi: '3.1.1', components: { schemas: entries } });

describe('canonicalizeRefs', () => {
  it.each([
    [
      'absolute $id, referenced by its URI',
      {
        given: schemas({ A: { $ref: 'https://x.test/b' }, B: { $id: 'https://x.test/b', type: 'string' } }),
        at: '#/components/schemas/A',
        want: '#/components/schemas/B',
      },
    ],
    [
      '#/ inside an $id resource points into that resource, not the document',
      {
        given: schemas({ B: { $id: 'https://x.test/b', properties: { c: { $ref: '#/$defs/C' } }, $defs: { C: { type: 'integer' } } } }),
        at: '#/components/schemas/B/properties/c',
        want: '#/components/schemas/B/$defs/C',
      },
    ],
    [
      'relative $id, resolved against the enclosing resource',
      {
        given: schemas({
          Outer: { $id: 'https://x.test/api/outer', $defs: { Inner: { $id: 'inner', type: 'string' } }, properties: { i: { $ref: 'inner' } } },
        }),
        at: '#/components/schemas/Outer/properties/i',
        want: '#/components/schemas/Outer/$defs/Inner',
      },
    ],
    [
      'relative $id, resolved against the document URI',
      { given: schemas({ A: { $ref: 'models/b' }, B: { $id: 'models/b', type: 'string' } }), at: '#/components/schemas/A', want: '#/components/schemas/B' },
    ],
    [
      '$anchor in the document resource',
      {
        given: schemas({ A: { $ref: '#money' }, Money: { $anchor: 'money', type: 'string' } }),
        at: '#/components/schemas/A',
        want: '#/components/schemas/Money',
      },
    ],
    [
      '$anchor inside an $id resource, by absolute URI',
      {
        given: schemas({ A: { $ref: 'https://x.test/t#tick' }, T: { $id: 'https://x.test/t', $defs: { K: { $anchor: 'tick', type: 'string' } } } }),
        at: '#/components/schemas/A',
        want: '#/components/schemas/T/$defs/K',
      },
    ],
    [
      '$dynamicRef to a $dynamicAnchor of its resource becomes a $ref to it',
      {
        given: schemas({ Tree: { $id: 'https://x.test/tree', $dynamicAnchor: 'node', properties: { kids: { items: { $dynamicRef: '#node' } } } } }),
        at: '#/components/schemas/Tree/properties/kids/items',
        want: '#/components/schemas/Tree',
      },
    ],
    [
      'a pointer with percent-encoded characters',
      {
        given: schemas({ A: { $ref: 'https://x.test/b#/$defs/a%20b' }, B: { $id: 'https://x.test/b', $defs: { 'a b': { type: 'string' } } } }),
        at: '#/components/schemas/A',
        want: '#/components/schemas/B/$defs/a%20b',
      },
    ],
  ])('%s', (_name, { given, at, want }) => {
    const result = canonicalizeRefs(given, BASE, FILE);
    expect(result.issues).toEqual([]);
    const node = resolvePointer(result.doc, at);
    expect(node).toMatchObject({ $ref: want });
    expect(resolvePointer(result.doc, want)).toBeDefined();
  });

  it.each([
    ['a reference to another document', schemas({ A: { $ref: 'https://elsewhere.test/x' } }), '#/components/schemas/A', { $ref: 'https://elsewhere.test/x' }],
    [
      'a plain document pointer',
      schemas({ A: { $ref: '#/components/schemas/B' }, B: { type: 'string' } }),
      '#/components/schemas/A',
      { $ref: '#/components/schemas/B' },
    ],
    [
      'an $id inside an example (data, not a schema)',
      schemas({ A: { example: { $id: 'https://x.test/b' }, properties: { p: { $ref: '#/components/schemas/B' } } }, B: {} }),
      '#/components/schemas/A/properties/p',
      { $ref: '#/components/schemas/B' },
    ],
  ])('leaves %s as it is', (_name, given, at, want) => {
    const result = canonicalizeRefs(given, BASE, FILE);
    expect(resolvePointer(result.doc, at)).toEqual(want);
  });

  it('does not modify the input document and shares the untouched subtrees', () => {
    const untouched = { type: 'object', properties: { x: { type: 'string' } } };
    const given = schemas({ A: { $ref: '#money' }, Money: { $anchor: 'money', type: 'string' }, Other: untouched });
    const before = structuredClone(given);
    const result = canonicalizeRefs(given, BASE, FILE);
    expect(given).toEqual(before);
    expect(resolvePointer(result.doc, '#/components/schemas/Other')).toBe(untouched);
  });

  it('resolves a pointer inside an $id resource to a key that URL resolution percent-encodes (a space)', () => {
    const result = canonicalizeRefs(
      schemas({ Pet: { $id: 'https://x.test/pet', $defs: { 'a b': { type: 'string' } }, properties: { n: { $ref: '#/$defs/a b' } } } }),
      BASE,
      FILE,
    );
    expect(result.issues).toEqual([]);
    expect(resolvePointer(result.doc, String(resolvePointer(result.doc, '#/components/schemas/Pet/properties/n/$ref')))).toEqual({ type: 'string' });
  });

  it('explains a #/components/... pointer written inside an $id resource, where it points into that resource', () => {
    const result = canonicalizeRefs(
      schemas({ User: { type: 'object' }, Page: { $id: 'https://x.test/page', properties: { user: { $ref: '#/components/schemas/User' } } } }),
      BASE,
      FILE,
    );
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'spec.ref',
        severity: 'error',
        pointer: '#/components/schemas/Page/properties/user',
        message: expect.stringContaining('inside the schema resource https://x.test/page'),
      }),
    ]);
  });

  it.each([
    ['plain $anchor', { $anchor: 'm' }, '$ref', 'spec.anchor-duplicate', 'error'],
    ['$dynamicAnchor bound in two places', { $dynamicAnchor: 'm' }, '$dynamicRef', 'spec.dynamic-ref', 'warning'],
  ])('does not pick one of two same-named anchors (%s)', (_name, anchor, keyword, code, severity) => {
    const result = canonicalizeRefs(schemas({ A: { [keyword]: '#m' }, B: { ...anchor, type: 'string' }, C: { ...anchor, type: 'integer' } }), BASE, FILE);
    expect(result.issues).toEqual([expect.objectContaining({ code, severity, pointer: '#/components/schemas/A' })]);
    expect(result.issues[0]?.message).toMatch(/#\/components\/schemas\/B.*#\/components\/schemas\/C/);
    expect(resolvePointer(result.doc, '#/components/schemas/A')).not.toHaveProperty('$ref', '#/components/schemas/B');
    expect(resolvePointer(result.doc, '#/components/schemas/A')).not.toHaveProperty('$ref', '#/components/schemas/C');
  });

  it('replaces a $dynamicRef with no static target by a stub and warns where it is written', () => {
    const result = canonicalizeRefs(schemas({ L: { properties: { v: { $dynamicRef: '#nowhere' } } } }), BASE, FILE);
    expect(resolvePointer(result.doc, '#/components/schemas/L/properties/v')).toEqual({
      description: 'Dynamic reference #nowhere has no static target; any value is accepted.',
    });
    expect(result.issues).toEqual([expect.objectContaining({ code: 'spec.dynamic-ref', severity: 'warning', pointer: '#/components/schemas/L/properties/v' })]);
  });
});

describe('mayNeedCanonicalRefs', () => {
  it.each([
    ['plain pointers only', 'openapi: 3.1.0', [{ ref: '#/components/schemas/A' }], false],
    ['an $id in the text', 'openapi: 3.1.0\n  $id: x', [], true],
    ['an anchor reference', 'openapi: 3.1.0', [{ ref: '#money' }], true],
    ['a URI reference', 'openapi: 3.1.0', [{ ref: 'https://x.test/a' }], true],
  ])('%s', (_name, text, refs, want) => {
    expect(mayNeedCanonicalRefs(text, refs)).toBe(want);
  });
});
