/**
 * ESM bundles for the benchmark's own needs (not the product's start path,
 * which is `build/build.ts`): esbuild bundles our TypeScript into ESM under
 * `bench/.tmp/dist/` with every npm package left external, so CPU profiles
 * still attribute time to `node_modules/<package>` (`profile-gateway.ts`)
 * and a generated GitHub surface can be imported by the built gateway.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './child-process.js';

export const TMP_DIR = join(ROOT, 'bench', '.tmp');
export const DIST_DIR = join(TMP_DIR, 'dist');

const run = promisify(execFile);

/**
 * Bundles `entry` (relative to the project root) to `bench/.tmp/dist/<name>.mjs` and returns that path.
 * `selfContained`: CommonJS with its npm packages inside (`<name>.cjs`), for the built gateway, which runs
 * in a `vm.Script` where Node 20 cannot `import()` but can `require`.
 */
export async function bundle(entry: string, name: string, selfContained = false): Promise<string> {
  mkdirSync(DIST_DIR, { recursive: true });
  const out = join(DIST_DIR, `${name}.${selfContained ? 'cjs' : 'mjs'}`);
  const format = selfContained ? ['--format=cjs'] : ['--format=esm', '--packages=external'];
  await run(
    join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [entry, '--bundle', '--platform=node', ...format, '--target=node20', '--log-level=warning', `--outfile=${out}`],
    {
      cwd: ROOT,
    },
  );
  return out;
}
