/**
 * `npm run generate` exit codes, whole process: any error issue exits 1 (also
 * with `--all`), `--all` that yields no tool exits 1 and says why, warnings
 * alone exit 0, and the summary line counts errors and warnings (issue 14
 * item 3: a run that printed an error and "0 tools" used to exit 0).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FIXTURES = 'test/fixtures/specs/exit-codes';
const OUT = join('.tmp', 'exit-codes');

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'generator/cli.ts', ...args], { timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

afterAll(() => rm(OUT, { recursive: true, force: true }));

describe('generate exit codes', () => {
  it.each([
    [
      '--all on a spec with only webhooks: no tool is an error',
      {
        spec: 'webhooks-only.yaml',
        code: 1,
        summary: 'generate: 0 tools, 1 error, 0 warnings',
        says: 'error [select.no-operations]: The spec yields no tool: it has no paths (its 1 webhooks are requests the API sends, not operations a client can call).',
      },
    ],
    [
      '--all on a spec with a dangling $ref: the load error fails the run',
      { spec: 'dangling-ref.yaml', code: 1, summary: 'generate: 0 tools, 1 error, 0 warnings', says: 'error [spec.ref]' },
    ],
    [
      '--all with warnings only succeeds',
      { spec: 'warnings-only.yaml', code: 0, summary: 'generate: 1 tools, 0 errors, 1 warning', says: 'warning [lower.cookie-skipped]' },
    ],
  ] as const)(
    '%s',
    async (name, { spec, code, summary, says }) => {
      const out = join(OUT, spec);
      const result = await cli('--spec', join(FIXTURES, spec), '--all', '--out', out);
      expect(result.stdout).toContain(summary);
      expect(result.stdout).toContain(says);
      expect(result.code, `${name}\n${result.stdout}\n${result.stderr}`).toBe(code);
      if (code === 1) expect(result.stderr).toMatch(/generate failed/);
    },
    120_000,
  );
});
