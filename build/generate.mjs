/**
 * `npm run generate`: runs the generator precompiled instead of through tsx.
 *
 * The first run (and any run after a generator source changed) bundles
 * `generator/cli.ts` with esbuild into `node_modules/.cache/aries-generator/`
 * (npm packages stay external, loaded from node_modules as usual); later runs
 * check the size and mtime of every bundled source file and start the bundle
 * directly, which saves tsx's start-up and per-file TypeScript compilation.
 * Arguments and exit code are the generator's own (`generator/cli.ts`).
 *
 * Plain JavaScript on purpose: it must start without a TypeScript loader.
 * It does not touch the runtime build (`build/build.ts`, `dist/`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'aries-generator');
const BUNDLE = join(OUT_DIR, 'cli.mjs');
const INPUTS = join(OUT_DIR, 'inputs.json');

/** [file relative to the root, mtimeMs, size] of every source the bundle was built from. */
function stamp(file) {
  const stats = statSync(join(ROOT, file));
  return [file, stats.mtimeMs, stats.size];
}

function isFresh() {
  if (!existsSync(BUNDLE) || !existsSync(INPUTS)) return false;
  try {
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return inputs.every(([file, mtimeMs, size]) => {
      const [, now, length] = stamp(file);
      return now === mtimeMs && length === size;
    });
  } catch {
    return false;
  }
}

async function bundle() {
  const { build } = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  const temporary = `${BUNDLE}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [join(ROOT, 'generator', 'cli.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'error',
    // The templates are read next to render.ts (generator/emit/templates/), not next to the bundle.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'generator', 'emit', 'render.ts')).href) },
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => stamp(relative(ROOT, join(ROOT, file))));
  const templates = ['tool-module', 'index', 'client'].map((name) => stamp(join('generator', 'emit', 'templates', `${name}.hbs`)));
  // Several generators may start at once (tests): each writes its own file, then renames it into place.
  renameSync(temporary, BUNDLE);
  writeFileSync(`${INPUTS}.${process.pid}.tmp`, JSON.stringify([...inputs, ...templates]));
  renameSync(`${INPUTS}.${process.pid}.tmp`, INPUTS);
}

if (!isFresh()) await bundle();
await import(pathToFileURL(BUNDLE).href);
