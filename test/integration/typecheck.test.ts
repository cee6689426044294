/**
 * `tsc --noEmit` over the whole project, including `generated/` and the golden
 * files: a generated call to a wrong path or parameter is a compile error.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('typecheck', () => {
  it('the project, generated/ and the golden files compile', async () => {
    const result = await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], { timeout: 300_000 }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('');
  }, 300_000);
});
