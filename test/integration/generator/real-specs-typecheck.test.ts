/**
 * Generated code type-checks on specs no one here wrote (issue 14 item 5): the
 * `--all` output of GitHub's REST description and of every OpenAPI 3.x
 * document in @readme/oas-examples, with full openapi-typescript types, in ONE
 * `tsc` run with zero errors. Union bodies (`oneOf`, objects with different
 * properties), free-form bodies and self-contradictory `allOf` bodies are all
 * in there. About 1.5 GiB and one to two minutes of `tsc` on the 2-core machine.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';

const run = promisify(execFile);
const EXAMPLES = 'node_modules/@readme/oas-examples';
const GITHUB = 'node_modules/@octokit/openapi/generated/api.github.com.json';
/** openapi-typescript 7 stops on it (a discriminator mapping to a name, not a `$ref`), so no module is emitted to check. */
const UNTYPEABLE = join(EXAMPLES, '3.0', 'json', 'discriminators.json');
const specs = [
  GITHUB,
  ...['3.0', '3.1'].flatMap((version) => {
    const dir = join(EXAMPLES, version, 'json');
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => join(dir, file));
  }),
];
const OUT = join('.tmp', `real-specs-typecheck-${process.pid}`);

async function generateAll(specFile: string) {
  return generate({ specFile, specText: readFileSync(specFile, 'utf8'), configFile: '(all)', all: true, runtimeImport: '../../../runtime' });
}

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('generated code on real specs', () => {
  it('the one spec openapi-typescript cannot type is refused at generation, not emitted', async () => {
    await expect(generateAll(UNTYPEABLE)).rejects.toThrow(/Can't resolve \$ref/);
  }, 120_000);

  it('GitHub and every oas-examples spec, --all with full types, compile in one tsc run with zero errors', async () => {
    let modules = 0;
    for (const [index, specFile] of specs.entries()) {
      if (specFile === UNTYPEABLE) continue;
      const result = await generateAll(specFile);
      for (const [file, content] of result.files) {
        const path = join(OUT, `spec-${index}`, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
        if (file.startsWith('tools/')) modules += 1;
      }
    }
    expect(modules).toBeGreaterThan(1300); // GitHub alone has about 1,200 operations: the run checked them all
    // The project's settings, for this folder only (the project excludes `.tmp`).
    writeFileSync(join(OUT, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['./**/*.ts'], exclude: [] }));
    const output = await run(
      process.execPath,
      ['--max-old-space-size=3072', 'node_modules/typescript/bin/tsc', '--noEmit', '--pretty', 'false', '-p', join(OUT, 'tsconfig.json')],
      {
        // 65 to 100 s alone on the 2-core machine, about 230 s (with generation) beside the full suite.
        timeout: 600_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).then(
      () => '',
      (error: { stdout: string; stderr: string }) => error.stdout || error.stderr,
    );
    expect(
      output
        .split('\n')
        .filter((line) => line.includes('error TS'))
        .map((line) => line.slice(0, 300)),
    ).toEqual([]);
  }, 900_000);
});
