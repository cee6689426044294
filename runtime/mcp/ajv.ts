/**
 * The JSON Schema (draft 2020-12) validator instances the runtime uses.
 *
 * Generated schemas come from a third-party spec, so `strict` is off (unknown
 * keywords such as `x-` notes or `example` must not fail compilation), while
 * formats are on (`date`, `date-time`, `email`, ...). Input validation fills
 * in schema defaults; output validation never changes the value it checks.
 *
 * Every validator stops at the first error (`allErrors: false`): the cost of
 * a failing check must not grow with the number of problems a caller packs
 * into one value. `createListingAjv` is the exception, for listing every
 * problem of arguments already known to be of plausible size
 * (`validate-args.ts`).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its callable export is `.default`.
const addFormats = addFormatsModule.default;

export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

export function createInputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: false, useDefaults: true });
  addFormats(ajv);
  return ajv;
}

/** All errors, no defaults: only for explaining a failure of arguments that passed `findOversizedArgument`. */
export function createListingAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

export function createOutputAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  return ajv;
}
