/**
 * Parses a `tool-surface.json` and checks it has the shape
 * report/surface.ts writes, so the differ can trust every field it reads.
 * Rules:
 * - the text is JSON: an object with `tools` (array) and `toolCount` (= tools.length);
 * - each tool has string `name`, `title`, `description`; object `inputSchema`,
 *   `outputSchema`, `response`; `annotations` with all four boolean hints
 *   and, when present, a string `title`;
 *   `scopes` (strings); `operation` { operationId, method, path } (strings);
 *   `routes` and `pinned` (arrays of objects with string `argument` / `name`);
 *   `guardrails`, when present, an object (diff-guardrails.ts compares its leaves);
 * - tool names are unique.
 * It does not validate the JSON Schemas themselves; `stats` are ignored.
 */
import { joinPointer, type Issue, type StageResult } from '../issues.js';
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';

export interface ToolSurface {
  readonly generatedFrom: string;
  readonly tools: readonly ToolDefinition[];
}

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isBoolean: Check = (value) => typeof value === 'boolean';
const isStringArray: Check = (value) => Array.isArray(value) && value.every(isString);
const isArrayOf =
  (key: string): Check =>
  (value) =>
    Array.isArray(value) && value.every((item) => isObject(item) && isString(item[key]));

const TOOL_FIELDS: readonly (readonly [string, Check, string])[] = [
  ['name', isString, 'a string'],
  ['title', isString, 'a string'],
  ['description', isString, 'a string'],
  ['inputSchema', isObject, 'an object'],
  ['outputSchema', isObject, 'an object'],
  ['response', isObject, 'an object'],
  ['scopes', isStringArray, 'an array of strings'],
  ['routes', isArrayOf('argument'), 'an array of routes'],
  ['pinned', isArrayOf('name'), 'an array of pinned values'],
  ['guardrails', (value) => value === undefined || isObject(value), 'an object when present'],
];

const NESTED_FIELDS: readonly (readonly [string, string, Check, string])[] = [
  ...['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'].map((hint) => ['annotations', hint, isBoolean, 'a boolean'] as const),
  ['annotations', 'title', (value) => value === undefined || isString(value), 'a string when present'],
  ...['operationId', 'method', 'path'].map((field) => ['operation', field, isString, 'a string'] as const),
];

export function loadSurface(text: string, file: string): StageResult<ToolSurface | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return failed(file, '#', `is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.tools)) return failed(file, '#', 'is not a tool-surface.json: no `tools` array at the top level.');
  const issues: Issue[] = [];
  if (parsed.toolCount !== parsed.tools.length)
    issues.push(shapeIssue(file, '#/toolCount', `toolCount is ${JSON.stringify(parsed.toolCount)} but there are ${parsed.tools.length} tools.`));
  const seen = new Set<string>();
  parsed.tools.forEach((tool, index) => {
    const pointer = joinPointer('#/tools', index);
    issues.push(...checkTool(tool, pointer, file));
    if (isObject(tool) && isString(tool.name)) {
      if (seen.has(String(tool.name))) issues.push(shapeIssue(file, joinPointer(pointer, 'name'), `tool name ${String(tool.name)} appears twice.`));
      seen.add(String(tool.name));
    }
  });
  if (issues.length > 0) return { value: undefined, issues };
  // Every field the differ reads was checked above.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- checkTool proved each entry's fields just above (no issues)
  const tools = parsed.tools as ToolDefinition[];
  return { value: { generatedFrom: isString(parsed.generatedFrom) ? String(parsed.generatedFrom) : '', tools }, issues };
}

function checkTool(tool: unknown, pointer: string, file: string): Issue[] {
  if (!isObject(tool)) return [shapeIssue(file, pointer, 'a tool is not an object.')];
  const issues: Issue[] = [];
  for (const [field, check, what] of TOOL_FIELDS) {
    if (!check(tool[field])) issues.push(shapeIssue(file, joinPointer(pointer, field), `${field} must be ${what}.`));
  }
  for (const [parent, field, check, what] of NESTED_FIELDS) {
    const value = tool[parent];
    if (!isObject(value) || !check(value[field])) issues.push(shapeIssue(file, joinPointer(pointer, parent, field), `${parent}.${field} must be ${what}.`));
  }
  return issues;
}

function shapeIssue(file: string, pointer: string, message: string): Issue {
  return {
    code: 'surface.invalid',
    severity: 'error',
    file,
    pointer,
    message,
    fix: 'Pass a tool-surface.json written by `npm run generate` (generated/tool-surface.json).',
  };
}

function failed(file: string, pointer: string, message: string): StageResult<undefined> {
  return { value: undefined, issues: [{ ...shapeIssue(file, pointer, message), code: 'surface.not-a-surface' }] };
}
