/**
 * Robustness smoke test: lowers every operation of GitHub's REST description
 * and of every OpenAPI 3.x JSON document in @readme/oas-examples, and checks
 * the invariants every lowered tool must hold (or report an error for).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lowerOperation } from '../../../../generator/lower/lower-operation.js';
import type { LowerInput } from '../../../../generator/lower/lower-types.js';
import { compileStrict, createStrictAjv } from './strict-ajv.js';

const require = createRequire(import.meta.url);
const METHODS: readonly LowerInput['method'][] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ARGUMENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_BYTES = 16384;

const examples = dirname(require.resolve('@readme/oas-examples/package.json'));
const files: [string, string][] = [
  ['github', require.resolve('@octokit/openapi/generated/api.github.com.json')],
  ...['3.0', '3.1'].flatMap((version) =>
    readdirSync(join(examples, version, 'json'))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name): [string, string] => [`${version}/${name}`, join(examples, version, 'json', name)]),
  ),
];

type Json = { [key: string]: unknown };
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every subschema with its path, depth-first. */
function* walk(schema: unknown, path: string): Generator<[Json, string]> {
  if (!isJson(schema)) return;
  yield [schema, path];
  for (const keyword of ['properties', 'patternProperties']) {
    const map = schema[keyword];
    if (isJson(map)) for (const [name, child] of Object.entries(map)) yield* walk(child, `${path}/${keyword}/${name}`);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const [index, child] of list.entries()) yield* walk(child, `${path}/${keyword}/${index}`);
  }
  for (const keyword of ['items', 'additionalProperties', 'not', 'contains', 'propertyNames']) yield* walk(schema[keyword], `${path}/${keyword}`);
}

const isObjectNode = (node: Json): boolean => node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || isJson(node.properties);

function inputProblems(schema: Json): string[] {
  const problems: string[] = [];
  if (schema.type !== 'object' || ['oneOf', 'anyOf', 'allOf'].some((keyword) => keyword in schema)) problems.push('input root is not a plain object');
  for (const [node, path] of walk(schema, '#')) {
    if (isJson(node.properties))
      for (const name of Object.keys(node.properties)) if (!ARGUMENT_NAME.test(name)) problems.push(`bad property name ${path}/${name}`);
  }
  const properties = isJson(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    for (const [node, path] of walk(property, `#/properties/${name}`)) {
      if (isObjectNode(node) && path !== `#/properties/${name}/items`) problems.push(`object below a root argument at ${path}`);
    }
  }
  return problems;
}

function outputProblems(schema: Json): string[] {
  const problems: string[] = [];
  if (schema.type !== 'object' || ['oneOf', 'anyOf', 'allOf'].some((keyword) => keyword in schema)) problems.push('output root is not a plain object');
  for (const [node, path] of walk(schema, '#')) if ('oneOf' in node || 'anyOf' in node) problems.push(`union in output at ${path}`);
  return problems;
}

const totals = { operations: 0, ok: 0, reported: 0 };
const reasons = new Map<string, number>();
const warnings = new Map<string, number>();
const ajv = createStrictAjv();
const compiled = new Set<string>();

function compileOnce(schema: unknown): string | undefined {
  const key = JSON.stringify(schema);
  if (compiled.has(key)) return undefined;
  compiled.add(key);
  try {
    compileStrict(schema, ajv);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('lowering real specs', () => {
  afterAll(() => {
    console.log(`lowered ${totals.operations} operations: ${totals.ok} ok, ${totals.reported} reported with errors`);
    console.log('errors by code:', Object.fromEntries([...reasons].sort()));
    console.log('warnings by code:', Object.fromEntries([...warnings].sort()));
  });

  it.each(files)('%s', (_label, file) => {
    const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isJson(doc)) throw new Error(`${file} is not a JSON object`);
    const paths = isJson(doc.paths) ? doc.paths : {};
    const problems: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        if (!isJson(item) || !isJson(item[method])) continue;
        totals.operations += 1;
        const where = `${method.toUpperCase()} ${path}`;
        const { value, issues } = lowerOperation({ doc, file, path, method, operationId: where });
        const errors = issues.filter((issue) => issue.severity === 'error');
        for (const issue of issues) {
          const counter = issue.severity === 'error' ? reasons : warnings;
          counter.set(issue.code, (counter.get(issue.code) ?? 0) + 1);
        }
        if (errors.length > 0) totals.reported += 1;
        else totals.ok += 1;
        const found = [...inputProblems(value.inputSchema), ...outputProblems(value.outputSchema)];
        const inputError = compileOnce(value.inputSchema);
        if (inputError) found.push(`input does not compile: ${inputError}`);
        const outputError = compileOnce(value.outputSchema);
        if (outputError) found.push(`output does not compile: ${outputError}`);
        if (JSON.stringify(value.inputSchema).length > MAX_BYTES && !errors.some((issue) => issue.code === 'lower.input-too-large'))
          found.push('input over budget without an error');
        if (value.routes.length !== Object.keys(value.inputSchema.properties ?? {}).length) found.push('routes do not match properties');
        problems.push(...found.map((problem) => `${where}: ${problem}`));
      }
    }
    expect(problems).toEqual([]);
  });
});
