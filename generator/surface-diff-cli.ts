/**
 * `npm run surface:diff -- [<old> [<new>]] [--spec F] [--config F] [--out F]`:
 * reviews the change between two tool surfaces and prints it as Markdown for
 * a pull-request comment. The only impure part of generator/diff/: arguments,
 * files, git, printing and the exit code:
 * - 0: nothing to review (no breaking or risky change, or all acknowledged);
 * - 1: an unacknowledged breaking or risky change;
 * - 2: could not compare: usage error (bad argument, unreadable or invalid input,
 *   generation failed) or a crash.
 * `<old>`/`<new>` is a tool-surface.json, a folder holding one, or a git revision
 * (its generated/tool-surface.json). Defaults: `<old>` HEAD, `<new>` a fresh
 * generation from --spec and --config. Acknowledgements come from --config when
 * given, else from `<new>`'s spec/tools.yaml when `<new>` is a revision, else
 * from spec/tools.yaml.
 */
import { spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue, hasErrors, type Issue } from './issues.js';
import { parseSource } from './load/source-map.js';
import { parseAcknowledgements, type Acknowledgement } from './diff/acknowledge.js';
import { compareSurfaces, needsReview } from './diff/compare-surfaces.js';
import { loadSurface, type ToolSurface } from './diff/load-surface.js';
import { renderSurfaceReport } from './diff/render-markdown.js';

const USAGE = `usage: npm run surface:diff -- [<old> [<new>]] [--spec spec/aries.openapi.yaml] [--config spec/tools.yaml] [--out report.md]
  <old>, <new>: a tool-surface.json, a folder holding one, or a git revision (HEAD~1, main): its generated/tool-surface.json.
  Defaults: <old> = HEAD, <new> = a fresh generation from --spec and --config.
  Exit: 0 nothing to review, 1 unacknowledged breaking or risky changes, 2 usage error.`;
const SURFACE_PATH = 'generated/tool-surface.json';
const DEFAULT_SPEC = 'spec/aries.openapi.yaml';
const DEFAULT_CONFIG = 'spec/tools.yaml';

/** A usage error: printed with its fix, exit 2. */
class UsageError extends Error {}

interface Source {
  readonly label: string;
  readonly text: string;
  /** Set when the surface came from a git revision. */
  readonly revision?: string;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { spec: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 2) throw new UsageError(`expected at most two surfaces, got ${positionals.length}.`);
  const [oldArg = 'HEAD', newArg] = positionals;
  const before = await readSource(oldArg);
  const oldSurface = checkSurface(before);
  const after = newArg === undefined ? await generateFresh(values.spec ?? DEFAULT_SPEC, values.config ?? DEFAULT_CONFIG) : await readSource(newArg);
  const newSurface = checkSurface(after);
  const report = compareSurfaces(oldSurface, newSurface, await readAcknowledgements(values.config, after));
  const markdown = renderSurfaceReport(report, { beforeLabel: before.label, afterLabel: after.label, configFile: values.config ?? DEFAULT_CONFIG });
  process.stdout.write(markdown);
  if (values.out) await writeFile(values.out, markdown);
  return needsReview(report) ? 1 : 0;
}

async function readSource(arg: string): Promise<Source> {
  const info = await stat(arg).catch(() => undefined);
  if (info) {
    const file = info.isDirectory() ? join(arg, 'tool-surface.json') : arg;
    return { label: displayPath(file), text: await readText(file, 'surface file') };
  }
  if (arg.endsWith('.json')) throw new UsageError(`${arg}: file not found. Fix: pass an existing tool-surface.json, e.g. ${SURFACE_PATH}.`);
  return { label: arg, text: showAtRevision(arg, SURFACE_PATH, true) ?? '', revision: arg };
}

/** `git show <rev>:<path>`; undefined when the revision exists but lacks the file and `required` is false. */
function showAtRevision(revision: string, path: string, required: boolean): string | undefined {
  if (revision.startsWith('-')) throw new UsageError(`${revision}: not a file and not a git revision.`);
  const verify = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { encoding: 'utf8' });
  if (verify.error || verify.status !== 0) {
    throw new UsageError(`${revision}: no such file, and not a known git revision. Fix: pass a tool-surface.json or a revision such as HEAD~1 or main.`);
  }
  const shown = spawnSync('git', ['show', `${revision}:${path}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (shown.status === 0) return shown.stdout;
  if (!required) return undefined;
  throw new UsageError(
    `${revision}: the revision has no ${path} (run \`npm run generate\` and commit generated/). Fix: compare with a revision that has it, or pass files.`,
  );
}

async function generateFresh(specFile: string, configFile: string): Promise<Source> {
  const specText = await readText(specFile, 'spec file');
  const configText = await readText(configFile, 'config file');
  // Loaded only when needed: the pipeline pulls in the spec parser and openapi-typescript.
  const { generate } = await import('./pipeline.js');
  // Only tool-surface.json is needed, so openapi-typescript's aries-api.d.ts is skipped.
  const result = await generate({ specFile: displayPath(specFile), specText, configFile: displayPath(configFile), configText, skipApiTypes: true });
  const surface = result.files.get('tool-surface.json');
  if (hasErrors(result.issues) || surface === undefined) throw new UsageError(`cannot generate the new surface:\n${issueLines(result.issues)}`);
  return { label: 'fresh generation', text: surface };
}

async function readAcknowledgements(configOption: string | undefined, after: Source): Promise<Acknowledgement[]> {
  let file = configOption ?? DEFAULT_CONFIG;
  let text: string | undefined;
  if (configOption === undefined && after.revision !== undefined) {
    file = `${after.revision}:${DEFAULT_CONFIG}`;
    text = showAtRevision(after.revision, DEFAULT_CONFIG, false);
  } else {
    text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined && configOption !== undefined) throw new UsageError(`${file}: cannot read the config file. Fix: pass the right path with --config.`);
  }
  if (text === undefined) return [];
  // Read from the raw YAML: tools-config.schema.json does not describe `acknowledged` yet.
  const source = parseSource(text);
  if (source.errors.length > 0)
    throw new UsageError(`${file}: not valid YAML (${source.errors.map((error) => `line ${error.line ?? '?'}: ${error.message}`).join('; ')}).`);
  const config = source.value;
  const raw = typeof config === 'object' && config !== null ? (Reflect.get(config, 'acknowledged') as unknown) : undefined;
  const parsed = parseAcknowledgements(raw, file);
  const issues = parsed.issues.map((issue) => ({ ...issue, line: source.sourceMap.lineOf(issue.pointer) }));
  if (hasErrors(issues)) throw new UsageError(`invalid acknowledgements:\n${issueLines(issues)}`);
  return parsed.value;
}

function checkSurface(source: Source): ToolSurface {
  const loaded = loadSurface(source.text, source.label);
  if (!loaded.value) throw new UsageError(`${source.label} is not a tool-surface.json:\n${issueLines(loaded.issues)}`);
  return loaded.value;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${file}: cannot read the ${what} (${(error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined) ?? (error instanceof Error ? error.message : String(error))}).`,
    );
  }
}

function issueLines(issues: readonly Issue[]): string {
  return issues.map((issue) => `  ${formatIssue(issue)}`).join('\n');
}

function displayPath(file: string): string {
  return (relative(process.cwd(), file) || file).split('\\').join('/');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    console.error(
      usage
        ? `surface:diff: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`
        : `surface:diff crashed (a bug, please report it): ${String(error)}`,
    );
    process.exitCode = 2;
  },
);
