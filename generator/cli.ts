/**
 * `npm run generate [-- --check] [--spec F] [--config F] [--out DIR] [--all]`.
 * The only impure part of the generator: arguments, files, printing and the
 * exit code: 0 ok (warnings allowed), 1 any error issue, no tool from
 * `--all`, or stale output with `--check`, 2 usage.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Issue } from './issues.js';
import { generate, type ApiTypesCache } from './pipeline.js';
import { compareOutput } from './report/check.js';
import { formatSummary } from './report/summary.js';
import { summarizeSurfaceChange } from './diff/summarize-surface-change.js';

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
  const specText = await readText(args.spec, 'spec');
  const configText = args.all ? undefined : await readText(args.config, 'config');
  if (specText === undefined || (!args.all && configText === undefined)) return 1;

  const runtimeImport = relative(args.out, 'runtime').split('\\').join('/');
  const current = await readOutput(args.out);
  const lockedSurface = current.get('tool-surface.json');
  const apiTypesCache = createApiTypesCache(specFile);
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
  await writeOutput(args.out, result.files, current);
  const written = compareOutput(result.files, current, 'write');
  console.log(written.upToDate ? `\n${args.out}/ unchanged.` : `\nwrote ${args.out}/:\n${written.lines.map((line) => `  ${line}`).join('\n')}`);
  // What changed for reviewers, in the words of `npm run surface:diff`.
  const oldSurface = current.get('tool-surface.json') ?? '';
  const newSurface = result.files.get('tool-surface.json') ?? '';
  if (oldSurface !== newSurface) console.log(`\n${summarizeSurfaceChange(oldSurface, newSurface)}`);
  if (failure) {
    console.error(failure);
    return 1;
  }
  return 0;
}

/**
 * `node_modules/.cache/aries-generator/api-types-<sha256>.d.ts`, keyed by the spec file name, its text and
 * openapi-typescript's version: the types are regenerated whenever any of them changes. Failing to read or write
 * the cache only costs time.
 */
function createApiTypesCache(specFile: string): ApiTypesCache {
  const dir = join('node_modules', '.cache', 'aries-generator');
  let version = 'unknown';
  try {
    const manifest: unknown = JSON.parse(readFileSync(join('node_modules', 'openapi-typescript', 'package.json'), 'utf8'));
    const declared = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
    if (typeof declared === 'string') version = declared;
  } catch {
    // No version: the key still changes with the spec.
  }
  const file = (specText: string) => join(dir, `api-types-${createHash('sha256').update(`${version}\0${specFile}\0${specText}`).digest('hex')}.d.ts`);
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

async function readText(file: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
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

async function writeOutput(out: string, files: ReadonlyMap<string, string>, current: ReadonlyMap<string, string>): Promise<void> {
  for (const stale of current.keys()) if (!files.has(stale)) await rm(join(out, stale));
  for (const [path, content] of files) {
    if (current.get(path) === content) continue;
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), content);
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
