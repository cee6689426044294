/**
 * The JSON Schema (draft 2020-12) validator instances the runtime uses.
 *
 * Generated schemas come from a third-party spec, so `strict` is off (unknown
 * keywords such as `x-` notes or `example` must not fail compilation), while
 * formats are on (`date`, `date-time`, `email`, ...). Input validation fills
 * in schema defaults; output validation never changes the value it checks.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its callable export is `.default`.
const addFormats = addFormatsModule.default;

export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

export function createInputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, useDefaults: true });
  addFormats(ajv);
  return ajv;
}

export function createOutputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  return ajv;
}
