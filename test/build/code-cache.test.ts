/**
 * `build/code-cache.ts`, each run in a fresh process (within one process V8
 * reuses a script it compiled and never consults the cache): the bundle runs
 * as Node runs a CommonJS file; a clean exit writes the cache and the next
 * start uses it; a damaged cache, or one V8 refuses, is refused and
 * replaced; a failing start
 * writes nothing; `GATEWAY_CODE_CACHE=off` and an unwritable directory run
 * without a cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DRIVER = 'test/build/fixtures/run-with-code-cache.ts';
const dir = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundleFile = join(dir, 'bundle.cjs');
writeFileSync(
  bundleFile,
  "const path = require('node:path');\nfunction twice(n) { return n * 2; }\nmodule.exports = { answer: twice(21), file: __filename, dir: path.basename(__dirname), exports: typeof exports };\n",
);
const EXPECTED_EXPORTS = { answer: 42, file: bundleFile, dir: basename(dir), exports: 'object' };

const runSchema = z.looseObject({ status: z.string(), exports: z.unknown() });
type Run = z.infer<typeof runSchema>;

function start(hash: string, env: Record<string, string> = {}, cacheDir = join(dir, `cache-${hash}`)): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER], {
      cwd: ROOT,
      env: { ...process.env, GATEWAY_CODE_CACHE: '', PROBE_BUNDLE: bundleFile, PROBE_HASH: hash, PROBE_CACHE_DIR: cacheDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => {
      if (stderr !== '' || stdout === '') reject(new Error(`driver failed:\n${stderr}`));
      else resolve(runSchema.parse(JSON.parse(stdout)));
    });
  });
}

const cacheFiles = (cacheDir: string): string[] => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);

describe.concurrent('runWithCodeCache', { timeout: 60_000 }, () => {
  it('runs the bundle like a CommonJS file; a clean exit writes the cache; the next start uses it', async () => {
    const cacheDir = join(dir, 'cache-a');
    expect(await start('a')).toEqual({ status: 'absent', exports: EXPECTED_EXPORTS });
    expect(cacheFiles(cacheDir)).toEqual([expect.stringMatching(/^bundle-a-[0-9a-f]{12}\.bin$/)]);
    expect(await start('a')).toEqual({ status: 'accepted', exports: EXPECTED_EXPORTS });
    // Another bundle hash never reads that file.
    expect((await start('b', {}, cacheDir)).status).toBe('absent');
  });

  it('a damaged cache is refused, the bundle still runs, and the cache is replaced', async () => {
    const cacheDir = join(dir, 'cache-c');
    await start('c');
    const [file] = cacheFiles(cacheDir);
    const stored = readFileSync(join(cacheDir, file!));
    stored[stored.length - 10]! ^= 0xff;
    writeFileSync(join(cacheDir, file!), stored);
    expect(await start('c')).toEqual({ status: 'rejected', exports: EXPECTED_EXPORTS });
    expect((await start('c')).status).toBe('accepted');
  });

  it('a cache V8 refuses (made for other source under the same name) is refused and replaced', async () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    const otherBundle = join(other, 'bundle.cjs');
    writeFileSync(otherBundle, 'module.exports = { other: true };\n');
    const cacheDir = join(dir, 'cache-g');
    await start('g', { PROBE_BUNDLE: otherBundle }, cacheDir);
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    expect(await start('g', {}, cacheDir)).toEqual({ status: 'rejected', exports: EXPECTED_EXPORTS });
    expect((await start('g', {}, cacheDir)).status).toBe('accepted');
  });

  it('a start that exits with an error writes no cache', async () => {
    expect((await start('d', { PROBE_EXIT: '1' })).status).toBe('absent');
    expect(cacheFiles(join(dir, 'cache-d'))).toEqual([]);
  });

  it('GATEWAY_CODE_CACHE=off runs without reading or writing a cache', async () => {
    expect(await start('e', { GATEWAY_CODE_CACHE: 'off' })).toEqual({ status: 'off', exports: EXPECTED_EXPORTS });
    expect(cacheFiles(join(dir, 'cache-e'))).toEqual([]);
  });

  it('a cache directory that cannot be created is ignored', async () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    expect(await start('f', {}, join(blocked, 'cache'))).toEqual({ status: 'absent', exports: EXPECTED_EXPORTS });
  });
});
