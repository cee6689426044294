/**
 * The generator's build step for its input validators: compiles each schema
 * of `generator/load/validator-schemas.ts` with Ajv into standalone code
 * (a CommonJS module whose export is the validate function), which
 * `build/generate.mjs` writes beside the generator bundle and loads instead
 * of compiling the schemas on every run.
 *
 * It returns code and writes nothing; it is not part of the runtime build.
 */
import standalone from 'ajv/dist/standalone/index.js';
import { VALIDATOR_NAMES, validatorSetup, type ValidatorName } from '../generator/load/validator-schemas.js';

export interface StandaloneValidator {
  readonly name: ValidatorName;
  readonly code: string;
}

export function standaloneValidators(): StandaloneValidator[] {
  return VALIDATOR_NAMES.map((name) => {
    const { ajv, schema } = validatorSetup(name, { source: true });
    // CommonJS, not `code.esm`: Ajv 8's ESM output still `require`s its runtime helpers (ajv-validator/ajv#2209).
    return { name, code: standalone.default(ajv, ajv.compile(schema)) };
  });
}
