/**
 * The validators of the generator's inputs (OpenAPI 3.0 and 3.1 documents,
 * `tools-config` files), compiled with Ajv from `validator-schemas.ts` on
 * first use and kept for the process.
 *
 * `npm run generate` does not run this module: its build
 * (`build/generate.mjs`) swaps it for one with the same exports that loads
 * the validators precompiled into standalone code, because compiling the
 * OpenAPI schema took 0.5 to 0.7 s of every run. Tests and tsx run this one,
 * and both read the same schema definitions.
 */
import type { ValidateFunction } from 'ajv';
import type { ToolsConfig } from './tools-config.js';
import { validatorSetup, type ValidatorName } from './validator-schemas.js';

const compiled = new Map<ValidatorName, ValidateFunction>();
let configValidator: ValidateFunction<ToolsConfig> | undefined;

function compile(name: ValidatorName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    const { ajv, schema } = validatorSetup(name);
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

export function openApiValidator(version: '3.0' | '3.1'): ValidateFunction {
  return compile(version === '3.1' ? 'openapi-3.1' : 'openapi-3.0');
}

/** The config's schema is the source of `ToolsConfig`: a document it accepts is one. */
export function toolsConfigValidator(): ValidateFunction<ToolsConfig> {
  if (configValidator === undefined) {
    const { ajv, schema } = validatorSetup('tools-config');
    configValidator = ajv.compile<ToolsConfig>(schema);
  }
  return configValidator;
}
