/**
 * `npm run generate` runs the generator bundled by `build/generate.mjs`, whose
 * input validators (OpenAPI 3.0 and 3.1 schemas, tools-config schema) are
 * precompiled into Ajv standalone code and cached beside the bundle. These
 * tests check that the precompiled validators report exactly what the ones
 * compiled at run time report (`generator/cli.ts` under tsx), that the cached
 * files are what a run uses, and that a change of their inputs (the schema
 * definitions, Ajv's version) rebuilds them.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FIXTURES = 'test/fixtures/specs/validators';
const OUT = join('.tmp', `precompiled-validators-${process.pid}`);
// Inside node_modules: the bundle and the standalone validators resolve their packages from there.
const CACHE = join('node_modules', '.cache', `aries-generator-test-${process.pid}`);

interface Run {
  readonly code: number;
  readonly issues: readonly string[];
  readonly summary: string | undefined;
}

async function generate(how: 'bundled' | 'tsx', args: readonly string[]): Promise<Run> {
  const entry = how === 'bundled' ? ['build/generate.mjs'] : ['--import', 'tsx', 'generator/cli.ts'];
  const options = { timeout: 120_000, env: { ...process.env, ARIES_GENERATOR_CACHE: CACHE } };
  const { code, stdout } = await run(process.execPath, [...entry, ...args], options).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  const lines = stdout.split('\n');
  return { code, issues: lines.filter((line) => /\[(spec|config)\.invalid\]/.test(line)), summary: lines.find((line) => line.startsWith('generate:')) };
}

const CASES = [
  ['an OpenAPI 3.0 JSON document (draft-04 schema)', ['--spec', join(FIXTURES, 'invalid-3.0.json'), '--all'], 9],
  ['an OpenAPI 3.1 YAML document (2020-12 schema)', ['--spec', join(FIXTURES, 'invalid-3.1.yaml'), '--all'], 3],
  ['a tools config', ['--spec', join(FIXTURES, 'valid-3.1.yaml'), '--config', join(FIXTURES, 'bad-tools.yaml')], 2],
] as const;

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  rmSync(CACHE, { recursive: true, force: true });
});

describe('precompiled input validators', () => {
  it.each(CASES)(
    'report the same issues as the validators compiled at run time: %s',
    async (_name, args, count) => {
      const out = ['--out', join(OUT, String(count))];
      const bundled = await generate('bundled', [...args, ...out]);
      const compiled = await generate('tsx', [...args, ...out]);
      expect(bundled.issues).toHaveLength(count);
      expect(bundled).toEqual(compiled);
    },
    240_000,
  );

  it('refuses a cache folder outside the project, where the bundle could not import its packages', async () => {
    const outside = await run(process.execPath, ['build/generate.mjs', '--check'], { env: { ...process.env, ARIES_GENERATOR_CACHE: '/tmp' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('ARIES_GENERATOR_CACHE=/tmp: the generator cache must be a folder inside');
  });

  it('are what a run uses, and are rebuilt when the schema definitions or Ajv change', async () => {
    const args = ['--spec', join(FIXTURES, 'invalid-3.1.yaml'), '--all', '--out', join(OUT, 'rebuild')];
    expect((await generate('bundled', args)).issues).toHaveLength(3);

    // A validator that accepts everything, written over the cached one: the next run reports nothing, so runs use the file.
    const validator = join(CACHE, 'validator-openapi-3.1.cjs');
    const acceptAll = 'module.exports = Object.assign(() => true, { errors: null });\n';
    writeFileSync(validator, acceptAll);
    expect((await generate('bundled', args)).issues).toEqual([]);

    // The recorded size of an input no longer matches the file, as after an edit or an upgrade: the validators are rebuilt.
    for (const input of ['generator/load/validator-schemas.ts', 'node_modules/ajv/package.json']) {
      writeFileSync(validator, acceptAll);
      const inputsFile = join(CACHE, 'inputs.json');
      const inputs: unknown = JSON.parse(readFileSync(inputsFile, 'utf8'));
      if (!Array.isArray(inputs)) throw new Error(`${inputsFile} is not an array`);
      const stamps = inputs.filter((stamp): stamp is [string, number, number] => Array.isArray(stamp) && stamp[0] === input);
      expect(stamps, `${input} is an input of the bundle`).toHaveLength(1);
      stamps[0]![2] += 1;
      writeFileSync(inputsFile, JSON.stringify(inputs));
      expect((await generate('bundled', args)).issues, `after a change of ${input}`).toHaveLength(3);
    }
  }, 240_000);
});
