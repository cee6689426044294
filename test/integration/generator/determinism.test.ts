import { execFile } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFromFiles } from './support.js';

const run = promisify(execFile);
const OUT = join('.tmp', 'check', 'generated');
const SPEC = 'test/fixtures/specs/golden/shop.openapi.yaml';
const CONFIG = 'test/fixtures/specs/golden/shop.tools.yaml';

function cli(...args: string[]) {
  return run('npx', ['tsx', 'generator/cli.ts', ...args], { timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

afterAll(() => rm(join('.tmp', 'check'), { recursive: true, force: true }));

describe('determinism', () => {
  it('produces the same bytes for the Aries spec twice in a row', async () => {
    const first = await generateFromFiles('spec/aries.openapi.yaml', 'spec/tools.yaml');
    const second = await generateFromFiles('spec/aries.openapi.yaml', 'spec/tools.yaml');
    expect(first.files.size).toBeGreaterThan(5);
    expect([...second.files]).toEqual([...first.files]);
  }, 60_000);

  it('committed generated/ is what npm run generate produces (--check)', async () => {
    const result = await cli('--check', '--quiet');
    expect(result.stderr).not.toMatch(/stale/);
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('--check', () => {
  it('passes on fresh output and names the tool whose module was edited', async () => {
    const generated = await cli('--spec', SPEC, '--config', CONFIG, '--out', OUT, '--quiet');
    expect(generated.code).toBe(0);
    expect((await cli('--spec', SPEC, '--config', CONFIG, '--out', OUT, '--check', '--quiet')).code).toBe(0);

    const module = join(OUT, 'tools', 'create-item.ts');
    await writeFile(module, `${await readFile(module, 'utf8')}// hand edit\n`);
    await cp(join(OUT, 'tools', 'list-items.ts'), join(OUT, 'tools', 'old_tool.ts'));
    const stale = await cli('--spec', SPEC, '--config', CONFIG, '--out', OUT, '--check', '--quiet');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('tool create-item: changed');
    expect(stale.stderr).toContain('tool old_tool: stale (would be removed)');
  }, 120_000);

  it('fails generate with file, line and fix on a config error, writing nothing', async () => {
    await writeFile(join('.tmp', 'check', 'bad.tools.yaml'), 'version: 1\ntools:\n  - operation: listItemz\n');
    const result = await cli('--spec', SPEC, '--config', join('.tmp', 'check', 'bad.tools.yaml'), '--out', join('.tmp', 'check', 'never'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '.tmp/check/bad.tools.yaml:3 #/tools/0/operation error [config.unknown-operation]: Allowlisted operation listItemz is not in the spec. Fix: Did you mean "listItems"?',
    );
    expect(result.stderr).toContain('nothing was written');
  }, 120_000);
});
