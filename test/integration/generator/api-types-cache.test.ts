/**
 * The openapi-typescript cache of `npm run generate` (`generator/cli.ts`,
 * `node_modules/.cache/aries-generator/api-types-<sha256>.d.ts`): the same
 * spec bytes reuse the cached types, and any change to the spec produces
 * fresh types, never a stale copy. Whole process, through the precompiled
 * generator `npm run generate` runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CACHE_DIR = join('node_modules', '.cache', 'aries-generator');
const WORK = join('.tmp', `api-types-cache-${process.pid}`);
const SPEC = join(WORK, 'fixture-api.yaml');
const CONFIG = 'test/fixtures/registry/tools.yaml';
const ORIGINAL = readFileSync('test/fixtures/registry/fixture-api.yaml', 'utf8');

function cacheFiles(): Set<string> {
  return new Set(existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR).filter((name) => name.startsWith('api-types-')) : []);
}

const created = new Set<string>();

/**
 * Generates `SPEC` into `out`; returns the types it wrote and the cache entries added meanwhile that hold exactly
 * those types (other suites may generate other specs into the same cache at the same time).
 */
async function generate(out: string): Promise<{ types: string; added: string[] }> {
  const before = cacheFiles();
  await run(process.execPath, ['build/generate.mjs', '--spec', SPEC, '--config', CONFIG, '--out', join(WORK, out)], { timeout: 120_000 });
  const types = readFileSync(join(WORK, out, 'aries-api.d.ts'), 'utf8');
  const added = [...cacheFiles()].filter((name) => !before.has(name) && readFileSync(join(CACHE_DIR, name), 'utf8') === types);
  for (const name of added) created.add(name);
  return { types, added };
}

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  for (const name of created) rmSync(join(CACHE_DIR, name), { force: true });
});

describe('openapi-typescript cache', () => {
  it('reuses the types for the same spec bytes and regenerates them when the spec changes', { timeout: 240_000 }, async () => {
    mkdirSync(WORK, { recursive: true });
    writeFileSync(SPEC, ORIGINAL);
    const first = await generate('first');
    expect(first.added).toHaveLength(1);
    expect(first.types).toContain('lastPrice');
    const entry = join(CACHE_DIR, first.added[0] ?? '');

    // Same bytes: the entry is read, not regenerated (a marker written into it shows up in the output).
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}\n// cache-probe: served from the cache\n`);
    const again = await generate('again');
    expect(again.added).toEqual([]);
    expect(again.types).toContain('// cache-probe: served from the cache');

    // A changed spec (one more property): new types under a new key, without the marker.
    writeFileSync(
      SPEC,
      ORIGINAL.replace('        lastPrice: { type: string }\n', '        lastPrice: { type: string }\n        cacheProbeField: { type: string }\n'),
    );
    const changed = await generate('changed');
    expect(changed.added).toHaveLength(1);
    expect(changed.types).toContain('cacheProbeField');
    expect(changed.types).not.toContain('cache-probe: served from the cache');
  });
});
