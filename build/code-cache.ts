/**
 * Runs a CommonJS bundle with a V8 code cache: the start file of the build
 * (`launcher.ts`) calls `runWithCodeCache`. Node 20 has no compile cache of
 * its own (`module.enableCompileCache` arrived in Node 22.1), and compiling
 * the gateway's few megabytes of JavaScript is about a third of its cold
 * start; with the cache V8 deserializes the functions a previous start
 * compiled instead of compiling them again.
 *
 * - The bundle is compiled as Node compiles a CommonJS file (the same
 *   wrapper and arguments), through `vm.Script` with `cachedData`.
 * - The cache file's name carries the bundle's content hash (from the build)
 *   and a hash of the Node version, architecture and V8/Node flags, so a
 *   rebuilt bundle or another Node never reads a cache made for something
 *   else; V8 checks its own version and flags again and rejects a mismatch.
 * - The file starts with the SHA-256 of the cache data (V8 does not check
 *   its payload for damage in release builds); a mismatch counts as a
 *   rejected cache.
 * - Without a usable cache the process writes one: when it exits with code 0
 *   (a SIGTERM shutdown, or the build's priming start) or after
 *   `writeAfterMs`, whichever comes first, once, atomically (temporary file
 *   and rename). A directory that cannot be written is ignored: the gateway
 *   then starts without a cache, as it would without this file.
 * - `GATEWAY_CODE_CACHE=off` turns reading and writing off.
 *
 * The cache directory holds compiled code that this process will run: it
 * must be writable only by the account that runs the gateway (the default,
 * `dist/.code-cache`, is part of the build output).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { constants, Script } from 'node:vm';

export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent' | 'off';

export interface CodeCacheOptions {
  /** The CommonJS bundle to run. */
  readonly bundleFile: string;
  /** Content hash of the bundle, computed by the build. */
  readonly bundleHash: string;
  /** Where cache files live; `undefined` runs without a cache. */
  readonly cacheDir: string | undefined;
  /** A process still running this long after start writes the cache. Default 10 s. */
  readonly writeAfterMs?: number;
}

export interface CodeCacheRun {
  /** What happened to the cache at start: used (`accepted`), refused by V8, not there yet, or turned off. */
  readonly status: CodeCacheStatus;
  readonly cacheFile: string | undefined;
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
}

const DIGEST_BYTES = 32;

function digest(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The cache file for this bundle under this Node binary and these flags. */
export function codeCacheFile(cacheDir: string, bundleFile: string, bundleHash: string): string {
  const runtime = createHash('sha256')
    .update([process.version, process.arch, process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\n'))
    .digest('hex')
    .slice(0, 12);
  return join(cacheDir, `${basename(bundleFile, extname(bundleFile))}-${bundleHash}-${runtime}.bin`);
}

/** The cache directory from the environment: `dir` unless `GATEWAY_CODE_CACHE=off`. */
export function cacheDirFor(env: Readonly<Record<string, string | undefined>>, dir: string): string | undefined {
  return env.GATEWAY_CODE_CACHE?.trim().toLowerCase() === 'off' ? undefined : dir;
}

export function runWithCodeCache(options: CodeCacheOptions): CodeCacheRun {
  const { bundleFile } = options;
  const source = readFileSync(bundleFile, 'utf8');
  const cacheFile = options.cacheDir === undefined ? undefined : codeCacheFile(options.cacheDir, bundleFile, options.bundleHash);
  let cachedData: Buffer | undefined;
  let damaged = false;
  if (cacheFile !== undefined) {
    try {
      const stored = readFileSync(cacheFile);
      const data = stored.subarray(DIGEST_BYTES);
      if (stored.length > DIGEST_BYTES && digest(data).equals(stored.subarray(0, DIGEST_BYTES))) cachedData = data;
      else damaged = true;
    } catch {
      // No cache yet (or unreadable): compile from source.
    }
  }
  // The same wrapper Node puts around a CommonJS file, on the first line so line numbers stay those of the bundle.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundleFile,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const status: CodeCacheStatus =
    cacheFile === undefined ? 'off' : damaged || script.cachedDataRejected === true ? 'rejected' : cachedData === undefined ? 'absent' : 'accepted';
  if (cacheFile !== undefined && status !== 'accepted') writeLater(script, cacheFile, options.writeAfterMs ?? 10_000);

  const module = new Module(bundleFile);
  module.filename = bundleFile;
  // The bundle source is wrapped as `(function (exports, require, module, __filename, __dirname) { ... })`.
  const run: unknown = script.runInThisContext();
  if (typeof run !== 'function') throw new Error(`${bundleFile}: the wrapped bundle did not evaluate to a function`);
  Reflect.apply(run, undefined, [module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile)]);
  module.loaded = true;
  return { status, cacheFile, exports: module.exports };
}

/** Writes the code cache once: at a clean exit, or after `afterMs` if the process is still running. */
function writeLater(script: Script, cacheFile: string, afterMs: number): void {
  let done = false;
  const write = (): void => {
    if (done) return;
    done = true;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const data = script.createCachedData();
      writeFileSync(temporary, Buffer.concat([digest(data), data]));
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only or full disk: the next start compiles from source, as without a cache.
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  };
  setTimeout(write, afterMs).unref();
  process.once('exit', (code) => {
    if (code === 0) write();
  });
}
