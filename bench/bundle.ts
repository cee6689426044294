/**
 * The precompiled path for cold-start and memory comparisons: esbuild (a
 * dependency of tsx) bundles our TypeScript into ESM under `bench/.tmp/dist/`
 * with every npm package left external, so the bundle runs the same
 * dependency code as `tsx` does, only without compiling TypeScript at start.
 *
 * It does not change how the product starts; `runtime/main.ts` is bundled
 * only to measure it. The embedded sandbox finds its OpenAPI document at
 * `../spec/` next to the running module, so `bench/.tmp/spec` links to the
 * real `spec/`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './child-process.js';

export const TMP_DIR = join(ROOT, 'bench', '.tmp');
export const DIST_DIR = join(TMP_DIR, 'dist');

const run = promisify(execFile);

/** Bundles `entry` (relative to the project root) to `bench/.tmp/dist/<name>.mjs` and returns that path. */
export async function bundle(entry: string, name: string): Promise<string> {
  mkdirSync(DIST_DIR, { recursive: true });
  const out = join(DIST_DIR, `${name}.mjs`);
  await run(join(ROOT, 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', '--format=esm', '--target=node20', '--packages=external', '--log-level=warning', `--outfile=${out}`], {
    cwd: ROOT,
  });
  return out;
}

/** Lets a bundle of `runtime/main.ts` in `bench/.tmp/dist/` find `spec/aries.openapi.yaml`. */
export function linkSpecForBundles(): void {
  const link = join(TMP_DIR, 'spec');
  if (!existsSync(link)) symlinkSync(join(ROOT, 'spec'), link, 'dir');
}
