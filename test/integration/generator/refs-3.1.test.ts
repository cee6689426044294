/**
 * OpenAPI 3.1 references as 3.1 defines them (issue 14 item 2): each spec of
 * `test/fixtures/specs/refs-3.1/` exercises one way of referring, and every
 * operation must become a tool whose schemas hold the referenced shapes.
 */
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../runtime/contract/tool-definition.js';
import { generateFromFiles } from './support.js';

const DIR = 'test/fixtures/specs/refs-3.1';

type Side = 'input' | 'output';

interface Expectation {
  readonly spec: string;
  readonly tool: string;
  readonly side: Side;
  /** Property names from the schema root; `[]` steps into an array's `items`. */
  readonly path: readonly string[];
  readonly want: Record<string, unknown>;
}

const CASES: readonly [string, Expectation][] = [
  [
    'absolute $id: a ref by URI expands to the identified schema',
    {
      spec: 'id-absolute',
      tool: 'get_owner',
      side: 'output',
      path: ['pet'],
      want: { type: 'object', properties: { name: { type: 'string' }, legs: { type: 'integer' } } },
    },
  ],
  ['absolute $id: a URI with a pointer fragment', { spec: 'id-absolute', tool: 'get_owner', side: 'output', path: ['petName'], want: { type: 'string' } }],
  [
    'absolute $id: #/$defs inside the resource',
    { spec: 'id-absolute', tool: 'get_owner', side: 'output', path: ['address'], want: { type: 'object', properties: { city: { type: 'string' } } } },
  ],
  [
    'relative $id against the document and the enclosing resource',
    {
      spec: 'id-relative',
      tool: 'get_catalog',
      side: 'output',
      path: ['items', '[]', 'price'],
      want: { type: 'object', properties: { amount: { type: 'string' }, currency: { type: 'string' } } },
    },
  ],
  ['relative $id with a pointer fragment', { spec: 'id-relative', tool: 'get_catalog', side: 'output', path: ['currency'], want: { type: 'string' } }],
  [
    '$anchor in the document resource (request body)',
    { spec: 'anchor', tool: 'create_quote', side: 'input', path: ['limit_amount'], want: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' } },
  ],
  ['$anchor inside an $id resource', { spec: 'anchor', tool: 'create_quote', side: 'input', path: ['symbol'], want: { type: 'string', maxLength: 12 } }],
  [
    '$anchor as the response schema',
    {
      spec: 'anchor',
      tool: 'create_quote',
      side: 'output',
      path: ['bid'],
      want: { type: 'object', properties: { amount: { type: 'string' }, currency: { type: 'string' } } },
    },
  ],
  [
    '$defs inside a component, by document pointer',
    { spec: 'defs-in-components', tool: 'create_order', side: 'input', path: ['lines', '[]', 'quantity'], want: { type: 'integer', minimum: 1 } },
  ],
  ['$defs inside a component as a response', { spec: 'defs-in-components', tool: 'create_order', side: 'output', path: ['sku'], want: { type: 'string' } }],
  [
    '$dynamicRef to its own resource (recursion, bounded)',
    { spec: 'dynamic-ref', tool: 'get_tree', side: 'output', path: ['children', '[]', 'label'], want: { type: 'string' } },
  ],
  [
    '$dynamicRef to a default $dynamicAnchor in $defs',
    { spec: 'dynamic-ref', tool: 'list_pages', side: 'output', path: ['items', '[]'], want: { type: ['string', 'null'] } },
  ],
  [
    'components/pathItems with a parameter ref',
    { spec: 'component-refs', tool: 'list_things', side: 'input', path: ['limit'], want: { type: 'integer', maximum: 100 } },
  ],
  [
    'a path-level parameter ref',
    { spec: 'component-refs', tool: 'get_thing', side: 'input', path: ['id'], want: { type: 'string', pattern: '^t_[a-z0-9]+$' } },
  ],
  ['a response ref', { spec: 'component-refs', tool: 'get_thing', side: 'output', path: ['weight'], want: { type: 'number' } }],
  [
    'a request body ref whose schema points into paths',
    { spec: 'component-refs', tool: 'add_thing_row', side: 'input', path: ['weight'], want: { type: 'number' } },
  ],
];

/** Steps through `properties` by name, or into `items` for the token `[]`. */
function schemaAt(schema: JsonSchema, path: readonly string[]): unknown {
  let node: unknown = schema;
  for (const token of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    const record: Record<string, unknown> = { ...node };
    if (token === '[]') {
      node = record.items;
    } else {
      const properties = record.properties;
      node = typeof properties === 'object' && properties !== null ? Object.getOwnPropertyDescriptor(properties, token)?.value : undefined;
    }
  }
  return node;
}

const runs = new Map<string, ReturnType<typeof generateFromFiles>>();
function run(spec: string): ReturnType<typeof generateFromFiles> {
  let result = runs.get(spec);
  if (result === undefined) {
    result = generateFromFiles(`${DIR}/${spec}.yaml`, undefined);
    runs.set(spec, result);
  }
  return result;
}

describe('OpenAPI 3.1 references', () => {
  it.each(CASES)('%s', async (_name, { spec, tool, side, path, want }) => {
    const result = await run(spec);
    const built = result.tools.find((candidate) => candidate.definition.name === tool);
    expect(built, `no tool ${tool}; issues: ${JSON.stringify(result.issues)}`).toBeDefined();
    const schema = side === 'input' ? built!.definition.inputSchema : built!.definition.outputSchema;
    expect(schemaAt(schema, path)).toMatchObject(want);
  });

  it.each([
    ['id-absolute', ['get_owner']],
    ['id-relative', ['get_catalog']],
    ['anchor', ['create_quote']],
    ['defs-in-components', ['create_order']],
    ['dynamic-ref', ['get_tree', 'list_pages', 'get_loose']],
    ['dynamic-generic', ['list_users', 'import_groups', 'get_tree']],
    ['component-refs', ['list_things', 'get_thing', 'replace_thing', 'add_thing_row']],
  ])('%s generates every operation, its typed client included, with no error', async (spec, tools) => {
    const result = await run(spec);
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(result.tools.map((built) => built.definition.name).sort()).toEqual([...tools].sort());
    expect(result.files.get('aries-api.d.ts')).toContain('paths');
  });

  it('accepts a 3.1 Path Item $ref in allowlist mode, where a schema violation is an error', async () => {
    const result = await generateFromFiles(`${DIR}/component-refs.yaml`, `${DIR}/component-refs.tools.yaml`);
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(result.tools.map((built) => built.definition.name)).toEqual(['list_things', 'get_thing']);
  });

  it('stubs a $dynamicRef with no static target and says so in the report', async () => {
    const result = await run('dynamic-ref');
    expect(result.issues).toContainEqual(
      expect.objectContaining({
        code: 'spec.dynamic-ref',
        severity: 'warning',
        pointer: '#/components/schemas/Loose/properties/value',
        line: expect.any(Number),
      }),
    );
    const loose = result.tools.find((built) => built.definition.name === 'get_loose');
    expect(schemaAt(loose!.definition.outputSchema, ['value'])).not.toHaveProperty('$dynamicRef');
  });

  it('does not bind a generic template to one of its uses: a $dynamicRef that several schemas bind is unconstrained, with a warning', async () => {
    const result = await run('dynamic-generic');
    const warning = result.issues.find((issue) => issue.code === 'spec.dynamic-ref');
    expect(warning).toMatchObject({ severity: 'warning', pointer: '#/components/schemas/Page/properties/items/items' });
    expect(warning?.message).toContain('#/components/schemas/UserPage/$defs/item');
    expect(warning?.message).toContain('#/components/schemas/GroupPage/$defs/item');
    const schemaOf = (name: string, side: Side): JsonSchema => {
      const built = result.tools.find((candidate) => candidate.definition.name === name);
      expect(built, name).toBeDefined();
      return (side === 'input' ? built?.definition.inputSchema : built?.definition.outputSchema) ?? {};
    };
    // Neither the Group shape, nor the User shape, nor the placeholder `not: {}` that would refuse every item.
    for (const items of [schemaAt(schemaOf('list_users', 'output'), ['items']), schemaAt(schemaOf('import_groups', 'input'), ['items'])]) {
      expect(items).toMatchObject({ type: 'array' });
      expect(JSON.stringify(items)).not.toMatch(/members|"name"|"not"/);
    }
    expect(schemaAt(schemaOf('list_users', 'output'), ['total'])).toMatchObject({ type: 'integer' });
    // One `$dynamicAnchor: node` in the whole document: its binding is certain, and kept.
    expect(schemaAt(schemaOf('get_tree', 'output'), ['children', '[]', 'label'])).toMatchObject({ type: 'string' });
    expect(result.issues.filter((issue) => issue.code === 'spec.dynamic-ref')).toHaveLength(1);
  });

  it('refuses a $ref to an anchor its schema resource declares twice, naming both', async () => {
    const result = await run('anchor-duplicate');
    expect(result.issues).toContainEqual(
      expect.objectContaining({
        code: 'spec.anchor-duplicate',
        severity: 'error',
        message: expect.stringMatching(/#\/components\/schemas\/Balance.*#\/components\/schemas\/Price/),
      }),
    );
  });
});
