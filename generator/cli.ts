/**
 * `npm run generate [-- --check] [--spec F] [--config F] [--out DIR] [--all]`.
 * The only impure part of the generator: arguments, files, printing and the
 * exit code: 0 ok (warnings allowed), 1 any error issue, no tool from
 * `--all`, or stale output with `--check`, 2 usage.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Issue } from './issues.js';
import { generate, type ApiTypesCache } from './pipeline.js';
import { compareOutput } from './report/check.js';
import { formatSummary } from './report/summary.js';
import { firstSurfaceNote, summarizeSurfaceChange } from './diff/summarize-surface-change.js';

const DEFAULTS = { spec: 'spec/aries.openapi.yaml', config: 'spec/tools.yaml', out: 'generated' } as const;
const USAGE = 'usage: npm run generate -- [--check] [--spec spec/aries.openapi.yaml] [--config spec/tools.yaml] [--out generated] [--all] [--quiet]';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        spec: { type: 'string', default: DEFAULTS.spec },
        config: { type: 'string', default: DEFAULTS.config },
        out: { type: 'string', default: DEFAULTS.out },
        all: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const specFile = displayPath(args.spec);
  const configFile = displayPath(args.config);
  const specBytes = await readBytes(args.spec, 'spec');
  const configText = args.all ? undefined : (await readBytes(args.config, 'config'))?.toString('utf8');
  if (specBytes === undefined || (!args.all && configText === undefined)) return 1;
  const specText = specBytes.toString('utf8');

  const runtimeImport = relative(args.out, 'runtime').split('\\').join('/');
  const current = await readOutput(args.out);
  const lockedSurface = current.get('tool-surface.json');
  const apiTypesCache = createApiTypesCache(specFile, { text: specText, bytes: specBytes });
  const result = await generate({ specFile, specText, configFile, configText, all: args.all, runtimeImport, lockedSurface, apiTypesCache });
  const counts = countIssues(result.issues);
  if (!args.quiet || counts.errors > 0) console.log(formatSummary(result.tools, result.notAllowlisted, result.issues));
  console.log(`\ngenerate: ${result.tools.length} tools, ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}`);
  if (result.files.size === 0) {
    console.error('\ngenerate failed: fix the errors above; nothing was written.');
    return 1;
  }
  // Any error fails the run (exit 1), also in --all mode where the tools that could be built are still written for review.
  const failure = counts.errors > 0 ? `\ngenerate failed: ${plural(counts.errors, 'error')} above (exit status 1).` : undefined;
  const comparison = compareOutput(result.files, current);
  if (args.check) {
    if (comparison.upToDate) {
      console.log(`\n${args.out}/ is up to date.`);
    } else {
      console.error(
        `\n${args.out}/ is stale; run \`${refreshCommand(args)}\` and commit the result:\n${comparison.lines.map((line) => `  ${line}`).join('\n')}`,
      );
    }
    if (failure) console.error(failure);
    return comparison.upToDate && !failure ? 0 : 1;
  }
  writeOutput(args.out, result.files, current);
  const written = compareOutput(result.files, current, 'write');
  console.log(written.upToDate ? `\n${args.out}/ unchanged.` : `\nwrote ${args.out}/:\n${written.lines.map((line) => `  ${line}`).join('\n')}`);
  // What changed for reviewers, in the words of `npm run surface:diff`.
  const oldSurface = current.get('tool-surface.json');
  const newSurface = result.files.get('tool-surface.json') ?? '';
  if (oldSurface === undefined) console.log(`\n${firstSurfaceNote(result.tools.length)}`);
  else if (oldSurface !== newSurface) console.log(`\n${summarizeSurfaceChange(oldSurface, newSurface)}`);
  if (failure) {
    console.error(failure);
    return 1;
  }
  return 0;
}

/**
 * `node_modules/.cache/aries-generator/api-types-<sha256>.d.ts`, keyed by the spec file name, its text and
 * openapi-typescript's version: the types are regenerated whenever any of them changes. Failing to read or write
 * the cache only costs time. The text read from the spec file is hashed as the bytes read, once: encoding GitHub's
 * 10 MB spec back to UTF-8 for each hash took 0.1 to 0.3 s.
 */
function createApiTypesCache(specFile: string, read: { readonly text: string; readonly bytes: Buffer }): ApiTypesCache {
  const dir = join('node_modules', '.cache', 'aries-generator');
  let version = 'unknown';
  try {
    const manifest: unknown = JSON.parse(readFileSync(join('node_modules', 'openapi-typescript', 'package.json'), 'utf8'));
    const declared = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
    if (typeof declared === 'string') version = declared;
  } catch {
    // No version: the key still changes with the spec.
  }
  let readKey: string | undefined;
  const key = (specText: string) => {
    const digest = (content: string | Buffer) => createHash('sha256').update(`${version}\0${specFile}\0`).update(content).digest('hex');
    if (specText !== read.text) return digest(specText);
    readKey ??= digest(read.bytes);
    return readKey;
  };
  const file = (specText: string) => join(dir, `api-types-${key(specText)}.d.ts`);
  return {
    get(specText) {
      try {
        return readFileSync(file(specText), 'utf8');
      } catch {
        return undefined;
      }
    },
    set(specText, types) {
      try {
        mkdirSync(dir, { recursive: true });
        const target = file(specText);
        writeFileSync(`${target}.${process.pid}.tmp`, types);
        renameSync(`${target}.${process.pid}.tmp`, target);
      } catch {
        // Read-only node_modules: generate without the cache.
      }
    },
  };
}

/** The command that rewrites this output: `npm run generate`, plus every option that differs from its default. */
function refreshCommand(args: { spec: string; config: string; out: string; all: boolean }): string {
  const options = [
    ...(args.spec === DEFAULTS.spec ? [] : ['--spec', args.spec]),
    ...(args.all ? ['--all'] : args.config === DEFAULTS.config ? [] : ['--config', args.config]),
    ...(args.out === DEFAULTS.out ? [] : ['--out', args.out]),
  ];
  return options.length === 0 ? 'npm run generate' : `npm run generate -- ${options.join(' ')}`;
}

function countIssues(issues: readonly Issue[]): { errors: number; warnings: number } {
  return {
    errors: issues.filter((issue) => issue.severity === 'error').length,
    warnings: issues.filter((issue) => issue.severity === 'warning').length,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

async function readBytes(file: string, what: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    console.error(
      `${file}: cannot read the ${what} file (${(error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined) ?? (error instanceof Error ? error.message : String(error))}). Fix: pass the right path with --${what}.`,
    );
    return undefined;
  }
}

/** Every file the generator owns under `out` (relative path -> content). */
async function readOutput(out: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries: string[] = [];
  try {
    entries = (await readdir(out, { recursive: true })).map(String);
  } catch {
    return files;
  }
  for (const entry of entries.sort()) {
    const path = entry.split('\\').join('/');
    if (!isOwnedFile(path)) continue;
    files.set(path, await readFile(join(out, path), 'utf8'));
  }
  return files;
}

function isOwnedFile(path: string): boolean {
  return ['aries-api.d.ts', 'client.ts', 'index.ts', 'tool-surface.json', 'TOOLS.md'].includes(path) || /^tools\/[^/]+\.ts$/.test(path);
}

/**
 * Writes the files that changed and removes those no longer generated. Synchronous on purpose: there is nothing else
 * to do meanwhile, and a promise (and a mkdir) per file took about three times as long for GitHub's 1,229 files; each folder is made once.
 */
function writeOutput(out: string, files: ReadonlyMap<string, string>, current: ReadonlyMap<string, string>): void {
  for (const stale of current.keys()) if (!files.has(stale)) rmSync(join(out, stale));
  const folders = new Set<string>();
  for (const [path, content] of files) {
    if (current.get(path) === content) continue;
    const folder = dirname(join(out, path));
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
    folders.add(folder);
    writeFileSync(join(out, path), content);
  }
}

function displayPath(file: string): string {
  const shown = relative(process.cwd(), file) || file;
  return shown.split('\\').join('/');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('generate crashed (a generator bug, please report it):', error);
    process.exitCode = 1;
  },
);
