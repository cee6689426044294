/**
 * The generated `invoke` is typed: `tsc` refuses a value whose TYPE does not
 * fit the API's type at its place, not only a wrong name. One `tsc` run over
 * four generations of the golden shop spec: as committed (compiles), with a
 * `tools.yaml` pin of the wrong type (a string for the integer `limit`),
 * with an `Arguments` type that says `string` where the API wants a number,
 * and with a query parameter the API does not have (what generator bugs would
 * emit). Each error names the place.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';

const run = promisify(execFile);
const SPEC = 'test/fixtures/specs/golden/shop.openapi.yaml';
const CONFIG = 'test/fixtures/specs/golden/shop.tools.yaml';
const OUT = join('.tmp', `typed-invoke-${process.pid}`);

async function writeCase(name: string, configText: string, patch: (file: string, content: string) => string = (_file, content) => content): Promise<void> {
  const result = await generate({
    specFile: SPEC,
    specText: readFileSync(SPEC, 'utf8'),
    configFile: CONFIG,
    configText,
    all: false,
    runtimeImport: '../../../runtime',
  });
  for (const [file, content] of result.files) {
    const path = join(OUT, name, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, patch(file, content));
  }
}

/** `tsc` errors per case folder, as `file(line): TSxxxx message` lines. */
async function typecheck(): Promise<string> {
  // The project's settings, but for this folder only (the project excludes `.tmp`).
  writeFileSync(
    join(OUT, 'tsconfig.json'),
    JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noErrorTruncation: true }, include: ['./**/*.ts'], exclude: [] }),
  );
  return run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '--pretty', 'false', '-p', join(OUT, 'tsconfig.json')], {
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
}

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('typed invoke', () => {
  it('compiles as generated, and tsc names a wrongly typed pin or argument', async () => {
    const config = readFileSync(CONFIG, 'utf8');
    await writeCase('as-generated', config);
    await writeCase('wrong-pin', config.replace('response:\n      projection', 'parameters:\n      limit: { pin: twenty }\n    response:\n      projection'));
    await writeCase('wrong-argument', config, (file, content) =>
      file === 'tools/list-items.ts' ? content.replace('"limit": number;', '"limit": string;') : content,
    );
    await writeCase('wrong-name', config, (file, content) => (file === 'tools/list-items.ts' ? content.replace('"limit": [\n', '"limits": [\n') : content));
    expect(readFileSync(join(OUT, 'wrong-pin', 'tools', 'list-items.ts'), 'utf8')).toContain('"twenty"');
    expect(readFileSync(join(OUT, 'wrong-name', 'tools', 'list-items.ts'), 'utf8')).toContain('"limits": [');
    expect(readFileSync(join(OUT, 'wrong-argument', 'tools', 'list-items.ts'), 'utf8')).toContain('"limit": string;');

    // One entry per error: its first line and the indented lines that explain it.
    const errors = (await typecheck()).split(/\n(?=\S)/).filter((block) => block.includes('error TS'));
    expect(errors.filter((line) => line.includes('/as-generated/'))).toEqual([]);
    const pin = errors.filter((line) => line.includes('/wrong-pin/'));
    expect(pin).toHaveLength(1);
    expect(pin[0]).toMatch(/tools\/list-items\.ts\(\d+,\d+\): error TS2345: [^]*\{ place: "\.query\.limit"; pinned: "twenty"; apiType: number/);
    const argument = errors.filter((line) => line.includes('/wrong-argument/'));
    expect(argument).toHaveLength(1);
    const name = errors.filter((line) => line.includes('/wrong-name/'));
    expect(name).toHaveLength(1);
    expect(name[0]).toMatch(/tools\/list-items\.ts\(\d+,\d+\): error TS2345: [^]*\{ place: "\.query\.limits"; problem: "the API has nothing here"/);
    expect(argument[0]).toMatch(
      /tools\/list-items\.ts\(\d+,\d+\): error TS2345: [^]*\{ place: "\.query\.limit"; argument: "limit"; argumentType: string; apiType: number/,
    );
  }, 300_000);
});
