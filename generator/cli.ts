/**
 * `npm run generate [-- --check] [--spec F] [--config F] [--out DIR] [--all]`.
 * The only impure part of the generator: arguments, files, printing and the
 * exit code (0 ok, 1 problems or stale output, 2 usage).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors } from './issues.js';
import { generate } from './pipeline.js';
import { compareOutput } from './report/check.js';
import { formatSummary } from './report/summary.js';
import { summarizeSurfaceChange } from './diff/summarize-surface-change.js';

const USAGE = 'usage: npm run generate -- [--check] [--spec spec/aries.openapi.yaml] [--config spec/tools.yaml] [--out generated] [--all] [--quiet]';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        spec: { type: 'string', default: 'spec/aries.openapi.yaml' },
        config: { type: 'string', default: 'spec/tools.yaml' },
        out: { type: 'string', default: 'generated' },
        all: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
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
  const result = await generate({ specFile, specText, configFile, configText, all: args.all, runtimeImport, lockedSurface });
  if (!args.quiet || hasErrors(result.issues)) console.log(formatSummary(result.tools, result.notAllowlisted, result.issues));
  if (hasErrors(result.issues) && !args.all) {
    console.error('\ngenerate failed: fix the errors above; nothing was written.');
    return 1;
  }

  const comparison = compareOutput(result.files, current);
  if (args.check) {
    if (comparison.upToDate) {
      console.log(`\n${args.out}/ is up to date.`);
      return 0;
    }
    console.error(`\n${args.out}/ is stale; run \`npm run generate\` and commit the result:\n${comparison.lines.map((line) => `  ${line}`).join('\n')}`);
    return 1;
  }
  await writeOutput(args.out, result.files, current);
  const written = compareOutput(result.files, current, 'write');
  console.log(written.upToDate ? `\n${args.out}/ unchanged.` : `\nwrote ${args.out}/:\n${written.lines.map((line) => `  ${line}`).join('\n')}`);
  // What changed for reviewers, in the words of `npm run surface:diff`.
  const oldSurface = current.get('tool-surface.json') ?? '';
  const newSurface = result.files.get('tool-surface.json') ?? '';
  if (oldSurface !== newSurface) console.log(`\n${summarizeSurfaceChange(oldSurface, newSurface)}`);
  return 0;
}

async function readText(file: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read the ${what} file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: pass the right path with --${what}.`);
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
