/**
 * Test helper: a schema the lowering stage emits must compile with Ajv 2020
 * in strict mode (unknown keywords, missing types, union types, loose tuples
 * and undeclared `required` names all fail) with ajv-formats loaded.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

// ajv-formats is CommonJS; under NodeNext its callable export is `.default`.
const addFormats = addFormatsModule.default;

export function createStrictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, code: { optimize: false } });
  addFormats(ajv);
  return ajv;
}

/** Throws the Ajv error when `schema` does not compile in strict mode. */
export function compileStrict(schema: unknown, ajv: Ajv2020 = createStrictAjv()): void {
  if (typeof schema !== 'object' || schema === null) throw new Error('not a schema object');
  ajv.compile(schema);
}

export function expectStrictSchema(schema: unknown): void {
  expect(() => compileStrict(schema)).not.toThrow();
}
