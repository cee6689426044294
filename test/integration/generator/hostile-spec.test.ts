/**
 * Template injection must be impossible: text from a spec reaches generated
 * code only as JSON string literals. A hostile spec full of quotes, comment
 * terminators, template syntax and code is generated, typechecked, imported,
 * and its strings must come back byte for byte.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';
import { isJsonObject } from '../../../runtime/json-object.js';

const run = promisify(execFile);
const OUT = join('.tmp', 'hostile');
const EVIL = '*/ "\'`${process.exit(7)}` {{json this}} {{{x}}} </script><script>alert(1)</script> \\u0000 \u2028 ); process.exit(9); //';

const hostileSpec = {
  openapi: '3.1.0',
  info: { title: EVIL, version: '1' },
  paths: {
    '/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        summary: EVIL,
        description: EVIL,
        parameters: [
          { name: 'id', in: 'path', required: true, description: EVIL, schema: { type: 'string', pattern: '^[a-z]+$' } },
          { name: 'q"\'`}{', in: 'query', description: EVIL, schema: { type: 'string', enum: [EVIL, 'ok'] } },
          { name: 'X-Evil*/', in: 'header', schema: { type: 'string', default: EVIL } },
        ],
        responses: {
          '200': {
            description: EVIL,
            content: { 'application/json': { schema: { type: 'object', properties: { [EVIL]: { type: 'string', description: EVIL } } } } },
          },
        },
      },
    },
  },
};

afterAll(() => rm(OUT, { recursive: true, force: true }));

describe('a hostile spec', () => {
  it('generates code that typechecks and carries the text only as data', async () => {
    const result = await generate({
      specFile: 'hostile.json',
      specText: JSON.stringify(hostileSpec),
      configFile: 'hostile.tools.yaml',
      configText: `version: 1\ntools:\n  - operation: getThing\n`,
      runtimeImport: '../../runtime',
    });
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    for (const [file, content] of result.files) {
      await mkdir(join(OUT, file, '..'), { recursive: true });
      await writeFile(join(OUT, file), content);
    }

    await writeFile(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', include: ['./**/*.ts'], exclude: [], compilerOptions: { noEmit: true } }),
    );
    const typecheck = () =>
      run('npx', ['tsc', '-p', join(OUT, 'tsconfig.json')], { timeout: 120_000 }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
    expect(await typecheck()).toBe('');

    const module = await import(pathToFileURL(join(process.cwd(), OUT, 'tools', 'get-thing.ts')).href);
    expect(module.definition.description).toBe(EVIL.replace(/\s+/g, ' ').trim());
    expect(module.definition.title.startsWith(EVIL.slice(0, 20))).toBe(true);
    const properties = module.definition.inputSchema.properties;
    expect(Object.values(properties).some((schema) => isJsonObject(schema) && schema['description'] === EVIL)).toBe(true);

    // The generated call is checked against the spec's paths: a parameter the spec does not have no longer compiles.
    const modulePath = join(OUT, 'tools', 'get-thing.ts');
    const source = await readFile(modulePath, 'utf8');
    const renamed = source.replace('"id": [\n        "arg"', '"identifier": [\n        "arg"');
    expect(renamed).not.toBe(source);
    await writeFile(modulePath, renamed);
    expect(await typecheck()).toMatch(/get-thing\.ts.*error TS/);
  }, 180_000);
});
