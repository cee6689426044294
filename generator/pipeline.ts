/**
 * `npm run generate`, minus the file system: spec and config text in, the
 * generated files (path -> content) and every issue out. Same input, same
 * bytes: nothing here reads the clock, randomness or the environment.
 */
import { hasErrors, type Issue } from './issues.js';
import { loadConfig } from './load/load-config.js';
import { loadSpec, type OpenApiDocument } from './load/load-spec.js';
import type { SourceMap } from './load/source-map.js';
import { ALL_OPERATIONS_CONFIG, type ToolsConfig } from './load/tools-config.js';
import { listOperations, type SpecOperation } from './select/list-operations.js';
import { selectOperations } from './select/select-operations.js';
import { nameLockFromSurface, nameTools } from './name/tool-name.js';
import { buildTool } from './build-tool.js';
import { checkToolReferences } from './facts/tool-references.js';
import { checkBudgets } from './report/budgets.js';
import { renderApiTypes } from './emit/api-types.js';
import { render } from './emit/render.js';
import { indexView, toolModuleView, type BuiltTool } from './emit/view-model.js';
import { toolModulePaths } from './emit/module-file-names.js';
import { definedOAuthScopes } from './select/defined-scopes.js';
import { renderSurfaceJson, renderToolsMarkdown } from './report/surface.js';

export interface GenerateInput {
  readonly specFile: string;
  readonly specText: string;
  readonly configFile: string;
  /** Absent with `all`. */
  readonly configText?: string;
  /** Every operation of the spec, no config (robustness mode). */
  readonly all?: boolean;
  /** Skip openapi-typescript (robustness tests of huge third-party specs only). */
  readonly skipApiTypes?: boolean;
  /** Import path of `runtime/` as seen from the output folder; default `../runtime` (output in `generated/`). */
  readonly runtimeImport?: string;
  /** The committed `tool-surface.json`: tool names in it are kept (see `name/tool-name.ts`). */
  readonly lockedSurface?: string;
  /** Earlier openapi-typescript output by key (the CLI keeps it on disk); the pipeline itself never touches files. */
  readonly apiTypesCache?: ApiTypesCache;
}

/** openapi-typescript output keyed by a hash of the spec text (the CLI adds openapi-typescript's version to the key). */
export interface ApiTypesCache {
  get(specText: string): string | undefined;
  set(specText: string, types: string): void;
}

export interface GenerateResult {
  /** Relative path inside the output folder -> file content. Empty when there were errors. */
  readonly files: ReadonlyMap<string, string>;
  readonly tools: readonly BuiltTool[];
  readonly notAllowlisted: readonly SpecOperation[];
  readonly issues: readonly Issue[];
}

const DEFAULT_BUDGETS = { maxInputSchemaBytes: 16384, maxRecursionDepth: 3, openWorldHint: true } as const;

export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const maps = new Map<string, SourceMap>();
  const result = await generateUnmapped(input, maps);
  return { ...result, issues: withLines(result.issues, maps) };
}

/** Every issue gets a line number when its file and pointer can be mapped: one lookup per file for all its issues. */
function withLines(issues: readonly Issue[], maps: ReadonlyMap<string, SourceMap>): Issue[] {
  const lines = new Map<Issue, number | undefined>();
  for (const [file, map] of maps) {
    const unmapped = issues.filter((issue) => issue.file === file && issue.line === undefined);
    map.linesOf(unmapped.map((issue) => issue.pointer)).forEach((line, index) => lines.set(unmapped[index]!, line));
  }
  return issues.map((issue) => (issue.line === undefined ? { ...issue, line: lines.get(issue) } : issue));
}

async function generateUnmapped(input: GenerateInput, maps: Map<string, SourceMap>): Promise<GenerateResult> {
  const issues: Issue[] = [];
  const failed = (): GenerateResult => ({ files: new Map(), tools: [], notAllowlisted: [], issues });

  // 1. Load and validate the config (unless every operation is wanted).
  let config: ToolsConfig = ALL_OPERATIONS_CONFIG;
  if (!input.all) {
    const loaded = loadConfig(input.configFile, input.configText ?? '');
    maps.set(input.configFile, loaded.value.sourceMap);
    issues.push(...loaded.issues);
    if (!loaded.value.config) return failed();
    config = loaded.value.config;
  }

  // 2. Load and validate the spec. In --all mode a spec that fails validation is still lowered.
  const spec = await loadSpec(input.specFile, input.specText, { validate: true });
  if (spec.value.sourceMap) maps.set(input.specFile, spec.value.sourceMap);
  const doc: OpenApiDocument | undefined = spec.value.doc;
  issues.push(...spec.issues.map((issue) => (input.all && issue.code === 'spec.invalid' ? { ...issue, severity: 'warning' as const } : issue)));
  if (!doc || hasErrors(issues)) return failed();

  // 3. Select operations.
  const selection = selectOperations(listOperations(doc), config, { configFile: input.configFile, all: input.all });
  issues.push(...selection.issues);
  if (input.all && selection.value.selected.length === 0) {
    issues.push(noOperationsIssue(doc, input.specFile));
    return failed();
  }

  // 4. Name, lower, describe and annotate each tool.
  const defaults = { ...DEFAULT_BUDGETS, ...config.defaults };
  const naming = nameTools(selection.value.selected, input.configFile, nameLockFromSurface(input.lockedSurface));
  issues.push(...naming.issues);
  const tools: BuiltTool[] = [];
  selection.value.selected.forEach((selected, index) => {
    const built = buildTool(selected, naming.names[index]!, {
      doc,
      specFile: input.specFile,
      configFile: input.configFile,
      defaults,
      recovery: config.recovery,
    });
    tools.push(built.tool);
    issues.push(...built.issues);
  });

  if (!input.all) {
    const named = selection.value.selected.map((selected, index) => ({
      toolName: naming.names[index]!,
      configPointer: selected.configPointer,
      recovery: selected.selection.recovery,
    }));
    issues.push(...checkToolReferences(config, named, input.configFile));
  }

  // 5. Budgets.
  if (!input.all) issues.push(...checkBudgets(tools, defaults, input.configFile));
  if (hasErrors(issues) && !input.all) return { ...failed(), tools, notAllowlisted: selection.value.notAllowlisted };

  // 6. Emit.
  const files = new Map<string, string>();
  const paths = { specFile: input.specFile, configFile: input.all ? '(all operations)' : input.configFile, runtimeImport: input.runtimeImport ?? '../runtime' };
  if (!input.skipApiTypes) files.set('aries-api.d.ts', await apiTypes(doc, input));
  files.set('client.ts', render('client', {}));
  const modulePaths = toolModulePaths(tools.map((tool) => tool.definition.name));
  for (const tool of tools) files.set(`${modulePaths.get(tool.definition.name)}.ts`, render('tool-module', toolModuleView(tool, paths)));
  files.set('index.ts', render('index', indexView(tools, paths, definedOAuthScopes(doc), { modulePaths, instructions: config.instructions })));
  files.set('tool-surface.json', renderSurfaceJson(tools, input.specFile));
  files.set('TOOLS.md', renderToolsMarkdown(tools, input.specFile));
  return { files, tools, notAllowlisted: selection.value.notAllowlisted, issues };
}

/** `--all` on a spec with nothing callable: an error that says why, so CI does not pass on zero tools. */
function noOperationsIssue(doc: OpenApiDocument, specFile: string): Issue {
  const webhooks = isObject(doc.webhooks) ? Object.keys(doc.webhooks).length : 0;
  const paths = isObject(doc.paths) ? Object.keys(doc.paths).length : 0;
  const why = paths === 0 ? 'it has no paths' : `none of its ${paths} paths has a get, put, post, delete, patch, head, options or trace operation`;
  const hooks = webhooks > 0 ? ` (its ${webhooks} webhooks are requests the API sends, not operations a client can call)` : '';
  return {
    code: 'select.no-operations',
    severity: 'error',
    file: specFile,
    pointer: '#/paths',
    message: `The spec yields no tool: ${why}${hooks}.`,
    fix: 'Point --spec at a document whose paths declare operations.',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** openapi-typescript is the slowest step for a small spec, and its output depends only on the spec and its own version. */
async function apiTypes(doc: OpenApiDocument, input: GenerateInput): Promise<string> {
  const cached = input.apiTypesCache?.get(input.specText);
  if (cached !== undefined) return cached;
  const rendered = await renderApiTypes(doc, input.specFile);
  input.apiTypesCache?.set(input.specText, rendered);
  return rendered;
}
