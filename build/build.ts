/**
 * The precompiled start path: `npm run build` turns the two entries into a
 * self-contained `dist/` that starts with plain `node dist/main.cjs`
 * (`npm run serve`), without compiling TypeScript and without resolving
 * hundreds of files in `node_modules` at start-up.
 *
 *   dist/main.cjs                 start file (`launcher.ts`): picks the bundle the settings select
 *                                 (`runtime/start-up.ts` `entryFor`), as `npm start` does
 *   dist/bundle/main.cjs          the production entry (`runtime/production-main.ts`) and every npm
 *                                 package it imports, one CommonJS file; no sandbox inside
 *   dist/bundle/*.cjs.map         their source maps (positions only, not read at run time): the bundles are
 *                                 whitespace-minified, so a stack trace's line:column maps back through them
 *   dist/bundle/demo.cjs          the demo entry (`demo/main.ts`: embedded sandbox + gateway), run
 *                                 when no ARIES_* is set; it does not use or write the code cache
 *   dist/spec/aries.openapi.yaml  the embedded sandbox's OpenAPI document (found at ../spec from the demo bundle)
 *   dist/.code-cache/             V8 code cache of the production bundle: written by the build's priming
 *                                 start, and by a production start that found none
 *
 * Why this shape (cold start is spawn to first answer; see bench/README.md):
 * - one bundle with the npm packages inside: Node 20 resolves, reads and
 *   compiles each ESM/CommonJS file separately and has no compile cache;
 * - whitespace-minified (identifiers and syntax as written): every start
 *   reads, decodes (UTF-8) and hands V8 the whole text, which without
 *   comments and indentation is a quarter smaller;
 * - CommonJS, so the bundle can be compiled through `vm.Script` with V8's
 *   code cache (`code-cache.ts`); ESM cannot use one on Node 20. Modules the
 *   code imports dynamically (ioredis, simple-oauth2, prom-client) are in the
 *   bundle but run only when first imported;
 * - two bundles, not one with the sandbox imported on demand: production
 *   images carry no fake brokerage code in the file they run, and the
 *   production bundle is smaller to read at every start;
 * - `import.meta.url` becomes the bundle's own URL (the sandbox finds its
 *   document relative to it, hence the copy under `dist/spec`);
 * - priming: the build starts the built gateway once (real-Aries mode on
 *   loopback, nothing reachable), answers one `/mcp` request and stops it
 *   with SIGTERM, which writes the code cache. An image built with
 *   `npm run build` therefore starts warm on the same Node binary.
 *
 * The benchmark builds its gateway entry with `bundleEntry` as well, so the
 * measured start path is the one shipped.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { isBuiltin } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { GATEWAY_SETTING } from '../runtime/settings/settings.js';
import { freePort } from './free-port.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const DEFAULT_OUT_DIR = join(ROOT, 'dist');
const LAUNCHER = join(ROOT, 'build', 'launcher.ts');
const SPEC = join(ROOT, 'spec', 'aries.openapi.yaml');

export interface BundleOptions {
  /** The entry module, absolute or relative to the project root. */
  readonly entry: string;
  /** Output folder; emptied first. */
  readonly outDir: string;
  /** Start file name without extension: `<outDir>/<name>.cjs`. Default `main`. */
  readonly name?: string;
}

/** One bundled module: `<outDir>/bundle/<name>.cjs`. */
export interface Bundle {
  readonly bundleFile: string;
  /** First 16 hex digits of the bundle's SHA-256 (names its code cache). */
  readonly bundleHash: string;
  readonly bundleBytes: number;
  /** Every source module inside, relative to the project root (`runtime/app.ts`, `node_modules/express/index.js`), from esbuild's metafile. */
  readonly modules: readonly string[];
  /** esbuild warnings, formatted. */
  readonly warnings: readonly string[];
}

export interface BuiltEntry extends Bundle {
  readonly outDir: string;
  /** What to run: `node <startFile>`. */
  readonly startFile: string;
}

/** Bundles `entry` and writes its start file; see the file comment for the layout. */
export async function bundleEntry(options: BundleOptions): Promise<BuiltEntry> {
  const name = options.name ?? 'main';
  const outDir = resolve(ROOT, options.outDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundled = await bundleModule(options.entry, outDir, name);
  const launcher = await writeStartFile(outDir, name, { production: bundled });
  return { ...bundled, outDir, startFile: launcher.startFile, warnings: [...bundled.warnings, ...launcher.warnings] };
}

/** `entry` and every npm package it imports as one CommonJS file, `<outDir>/bundle/<name>.cjs`. */
async function bundleModule(entry: string, outDir: string, name: string): Promise<Bundle> {
  const bundleFile = join(outDir, 'bundle', `${name}.cjs`);
  const bundled = await build({
    entryPoints: [isAbsolute(entry) ? entry : join(ROOT, entry)],
    outfile: bundleFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // import.meta does not exist in CommonJS: give the code the bundle's own URL.
    define: { 'import.meta.url': '__bundle_import_meta_url' },
    banner: { js: "var __bundle_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    legalComments: 'none',
    // Whitespace only (no renaming, no syntax rewrites): a quarter less text to read, decode and scan at every start.
    // Names stay, so stack traces still name their functions; the external source map (not loaded at run time) maps
    // a position back to the source file and line.
    minifyWhitespace: true,
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: ROOT,
    plugins: [builtinDynamicImports],
  });
  const source = readFileSync(bundleFile);
  return {
    bundleFile,
    bundleHash: createHash('sha256').update(source).digest('hex').slice(0, 16),
    bundleBytes: source.length,
    modules: Object.keys(bundled.metafile.inputs),
    warnings: formatWarnings(bundled.warnings),
  };
}

/** The start file (`launcher.ts`), told which bundles it may run. */
async function writeStartFile(
  outDir: string,
  name: string,
  bundles: { readonly production: Bundle; readonly demo?: Bundle },
): Promise<{ startFile: string; warnings: readonly string[] }> {
  const startFile = join(outDir, `${name}.cjs`);
  const describe = (bundle: Bundle) => ({ file: relative(outDir, bundle.bundleFile), hash: bundle.bundleHash });
  const launcher = await build({
    entryPoints: [LAUNCHER],
    outfile: startFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: {
      GATEWAY_BUNDLES: JSON.stringify({ production: describe(bundles.production), demo: bundles.demo === undefined ? undefined : describe(bundles.demo) }),
    },
    logLevel: 'silent',
  });
  return { startFile, warnings: formatWarnings(launcher.warnings) };
}

function formatWarnings(warnings: readonly { readonly text: string; readonly location: { readonly file: string; readonly line: number } | null }[]): string[] {
  return warnings.map((warning) => `${warning.location ? `${warning.location.file}:${warning.location.line}: ` : ''}${warning.text}`);
}

/**
 * `await import('fs')` (swagger-parser does this) would stay a real dynamic
 * import in a CommonJS bundle, which a `vm.Script` can only run behind an
 * experimental flag. Such imports of Node built-ins become `require` calls:
 * the bundle then holds no `import()` at all.
 */
const builtinDynamicImports: Plugin = {
  name: 'builtin-dynamic-imports',
  setup(build) {
    build.onResolve({ filter: /^[a-z:_/]+$/ }, (args) =>
      args.kind === 'dynamic-import' && isBuiltin(args.path) ? { path: args.path, namespace: 'node-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** A `npm run build` output: the production bundle (the start file's default) and the demo bundle beside it. */
export interface BuiltGateway extends BuiltEntry {
  readonly demo: Bundle;
  readonly codeCache: string | undefined;
}

/**
 * `npm run build`: the production entry (`runtime/production-main.ts`) as
 * `bundle/main.cjs`, the demo entry (`demo/main.ts`) as `bundle/demo.cjs`,
 * the start file that picks one, the sandbox's OpenAPI document; then one
 * priming start unless `prime` is false.
 */
export async function buildGateway(options: { outDir?: string; prime?: boolean } = {}): Promise<BuiltGateway> {
  const outDir = resolve(ROOT, options.outDir ?? DEFAULT_OUT_DIR);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const [production, demo] = await Promise.all([bundleModule('runtime/production-main.ts', outDir, 'main'), bundleModule('demo/main.ts', outDir, 'demo')]);
  const launcher = await writeStartFile(outDir, 'main', { production, demo });
  cpSync(SPEC, join(outDir, 'spec', 'aries.openapi.yaml'));
  const built: BuiltEntry = {
    ...production,
    outDir,
    startFile: launcher.startFile,
    warnings: [...production.warnings, ...demo.warnings, ...launcher.warnings],
  };
  const codeCache = options.prime === false ? undefined : await primeCodeCache(built);
  return { ...built, demo, codeCache };
}

/**
 * Starts the built gateway once so it writes its code cache: real-Aries mode
 * with every Aries URL on a closed loopback port (nothing is contacted), the
 * in-memory store, one `POST /mcp` (the 401 challenge), then SIGTERM. Returns
 * the cache file; throws if the gateway does not start, does not exit 0 or
 * wrote no cache (so a broken build fails here rather than in production).
 */
export async function primeCodeCache(built: BuiltEntry, timeoutMs = 60_000): Promise<string> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GATEWAY_SETTING.test(name)));
  const child = spawn(process.execPath, [built.startFile], {
    cwd: built.outDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ARIES_API_BASE: 'http://127.0.0.1:9',
      ARIES_AUTHORIZE_URL: 'http://127.0.0.1:9/oauth2/authorize',
      ARIES_TOKEN_URL: 'http://127.0.0.1:9/v1/oauth2/token',
      GATEWAY_PUBLIC_URL: origin,
      GATEWAY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  try {
    const deadline = Date.now() + timeoutMs;
    while ((await postMcp(`${origin}/mcp`)) === undefined) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the built gateway did not answer /mcp:\n${output}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`the built gateway exited with ${code} after SIGTERM:\n${output}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const cacheDir = join(built.outDir, '.code-cache');
  const written = (existsSync(cacheDir) ? readdirSync(cacheDir, { withFileTypes: true }) : []).find(
    (entry) => entry.isFile() && entry.name.includes(built.bundleHash) && entry.name.endsWith('.bin'),
  );
  if (written === undefined || statSync(join(cacheDir, written.name)).size === 0) throw new Error(`the priming start wrote no code cache in ${cacheDir}`);
  return join(cacheDir, written.name);
}

function postMcp(url: string): Promise<number | undefined> {
  return new Promise((done) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
      },
    );
    req.on('error', () => done(undefined));
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }));
  });
}
