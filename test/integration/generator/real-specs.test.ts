/**
 * Robustness on specs no one here wrote: every operation of GitHub's REST
 * description and of every OpenAPI 3.x document in @readme/oas-examples goes
 * through the whole pipeline (`--all`). Each tool must satisfy the Claude-safe
 * rules, or be reported with a precise reason (an error issue on its operation).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';
import { TOOL_NAME_PATTERN } from '../../../generator/name/tool-name.js';
import type { JsonSchema } from '../../../runtime/contract/tool-definition.js';
import { isJsonObject } from '../../../runtime/json-object.js';
import { schemaMap } from '../../../testkit/json-body.js';

const EXAMPLES = 'node_modules/@readme/oas-examples';
const specs = [
  'node_modules/@octokit/openapi/generated/api.github.com.json',
  ...['3.0', '3.1'].flatMap((version) => {
    const dir = join(EXAMPLES, version, 'json');
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => join(dir, file));
  }),
];

const COMBINATORS = ['oneOf', 'anyOf', 'allOf', 'not'];

/** Keywords whose value maps names (data, not keywords) to subschemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value is one subschema (`items` may also be a draft-04 tuple list). */
const SCHEMA_SINGLES = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
];

const isSchemaNode = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every schema node below `schema` (itself included) with its JSON pointer.
 * Only subschema positions are visited: property names and the values of
 * data keywords (`enum`, `const`, `default`, `examples`) are never read as
 * schema keywords.
 */
function* schemaNodes(schema: unknown, pointer = '#'): Generator<[Record<string, unknown>, string]> {
  if (!isSchemaNode(schema)) return;
  yield [schema, pointer];
  const at = (...tokens: (string | number)[]) => [pointer, ...tokens.map((token) => String(token).replace(/~/g, '~0').replace(/\//g, '~1'))].join('/');
  for (const keyword of SCHEMA_MAPS) {
    const map = schema[keyword];
    if (isSchemaNode(map)) for (const [name, child] of Object.entries(map)) yield* schemaNodes(child, at(keyword, name));
  }
  for (const keyword of SCHEMA_LISTS) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const [index, child] of list.entries()) yield* schemaNodes(child, at(keyword, index));
  }
  for (const keyword of SCHEMA_SINGLES) {
    const child = schema[keyword];
    if (Array.isArray(child)) for (const [index, item] of child.entries()) yield* schemaNodes(item, at(keyword, index));
    else yield* schemaNodes(child, at(keyword));
  }
}

/** Pointers of the schema nodes that use `oneOf`/`anyOf` as keywords. */
function unionsIn(schema: unknown): string[] {
  return [...schemaNodes(schema)].filter(([node]) => Object.hasOwn(node, 'oneOf') || Object.hasOwn(node, 'anyOf')).map(([, pointer]) => pointer);
}

function ruleViolations(inputSchema: JsonSchema, outputSchema: JsonSchema, ajv: Ajv2020): string[] {
  const problems: string[] = [];
  if (inputSchema.type !== 'object') problems.push('input root is not type object');
  for (const keyword of COMBINATORS) if (keyword in inputSchema) problems.push(`input root has ${keyword}`);
  if (Buffer.byteLength(JSON.stringify(inputSchema)) > 16384) problems.push('input schema over 16 KiB');
  for (const [name, property] of Object.entries(schemaMap.parse(inputSchema.properties ?? {}))) {
    if (!TOOL_NAME_PATTERN.test(name)) problems.push(`argument name ${name}`);
    if (property.type === 'object') {
      for (const child of Object.values(schemaMap.parse(property.properties ?? {}))) {
        if (child.type === 'object' || (isJsonObject(child.items) && child.items['type'] === 'object'))
          problems.push(`object nested in object argument ${name}`);
      }
    }
  }
  if (outputSchema.type !== 'object') problems.push('output root is not type object');
  for (const pointer of unionsIn(outputSchema)) problems.push(`output schema has a union at ${pointer}`);
  for (const [label, schema] of [
    ['input', inputSchema],
    ['output', outputSchema],
  ] as const) {
    try {
      ajv.compile(schema);
    } catch (error) {
      problems.push(`${label} schema does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

describe('the output union check', () => {
  it.each([
    [
      'a property named oneOf or anyOf is not a union',
      { type: 'object', properties: { oneOf: { type: 'string' }, anyOf: { type: 'object', properties: { oneOf: {} } } } },
      [],
    ],
    ['data that looks like a union is not a union', { type: 'object', properties: { a: { enum: [{ oneOf: [] }], default: { anyOf: 1 } } } }, []],
    ['a union at the root', { type: 'object', oneOf: [{ type: 'object' }] }, ['#']],
    [
      'a union in a property named oneOf',
      { type: 'object', properties: { oneOf: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
      ['#/properties/oneOf'],
    ],
    [
      'unions in array items, map values and nested unions',
      {
        type: 'object',
        properties: { 'a/b': { type: 'array', items: { oneOf: [{ anyOf: [{}] }] } }, m: { type: 'object', additionalProperties: { anyOf: [{}] } } },
      },
      ['#/properties/a~1b/items', '#/properties/a~1b/items/oneOf/0', '#/properties/m/additionalProperties'],
    ],
  ] as const)('%s', (_name, schema, want) => {
    expect(unionsIn(schema)).toEqual(want);
  });
});

describe('generation of real third-party specs (--all)', () => {
  const totals = { specs: 0, operations: 0, ok: 0, reported: 0 };
  const reasons = new Map<string, number>();

  it.each(specs)(
    '%s',
    async (specFile) => {
      const result = await generate({ specFile, specText: readFileSync(specFile, 'utf8'), configFile: '(all)', all: true, skipApiTypes: true });
      const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
      addFormats.default(ajv);
      const errorsByOperation = new Map<string, string[]>();
      for (const issue of result.issues.filter((candidate) => candidate.severity === 'error')) {
        const operationPointer = /^#\/paths\/[^/]+\/[a-z]+/.exec(issue.pointer)?.[0] ?? '#';
        errorsByOperation.set(operationPointer, [...(errorsByOperation.get(operationPointer) ?? []), issue.code]);
        reasons.set(issue.code, (reasons.get(issue.code) ?? 0) + 1);
      }

      const names = new Set<string>();
      for (const { definition } of result.tools) {
        expect(definition.name).toMatch(TOOL_NAME_PATTERN);
        expect(names.has(definition.name), `duplicate name ${definition.name}`).toBe(false);
        names.add(definition.name);
        expect(Object.keys(definition.annotations).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title']);
        const pointer = `#/paths/${definition.operation.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${definition.operation.method}`;
        const violations = ruleViolations(definition.inputSchema, definition.outputSchema, ajv);
        if (violations.length === 0) totals.ok += 1;
        else {
          expect(errorsByOperation.get(pointer), `${definition.name} breaks rules without a reported reason: ${violations.join('; ')}`).toBeDefined();
          totals.reported += 1;
        }
      }
      totals.specs += 1;
      totals.operations += result.tools.length;
      // A spec with nothing callable (only webhooks) is an error that says so, and nothing is emitted.
      if (result.tools.length === 0) expect(result.issues.map((issue) => issue.code)).toContain('select.no-operations');
      else expect(result.files.size).toBeGreaterThan(0);
    },
    300_000,
  );

  it('summary', () => {
    console.log(
      `real specs: ${totals.specs} specs, ${totals.operations} operations, ${totals.ok} tools within every rule, ${totals.reported} reported with a reason`,
      Object.fromEntries(reasons),
    );
    expect(totals.operations).toBeGreaterThan(1000);
  });
});
