/**
 * Loads `spec/tools.yaml` and validates it against the JSON Schema the
 * generator ships. Every violation becomes an issue with the file, line,
 * pointer and a fix; nothing is thrown for user mistakes.
 */
import type { ErrorObject } from 'ajv';
import type { Issue, StageResult } from '../issues.js';
import { parseSource, type SourceMap } from './source-map.js';
import { toolsConfigValidator } from './schema-validators.js';
import type { ToolsConfig } from './tools-config.js';

export interface LoadedConfig {
  readonly config: ToolsConfig | undefined;
  readonly sourceMap: SourceMap;
}

export function loadConfig(file: string, text: string): StageResult<LoadedConfig> {
  const parsed = parseSource(text);
  if (parsed.errors.length > 0) {
    const issues = parsed.errors.map<Issue>((error) => ({
      code: 'config.parse',
      severity: 'error',
      file,
      pointer: '#',
      line: error.line,
      message: `Not valid YAML: ${error.message}`,
      fix: 'Fix the YAML syntax at the given line (indentation, quotes, colons).',
    }));
    return { value: { config: undefined, sourceMap: parsed.sourceMap }, issues };
  }
  const validateConfig = toolsConfigValidator();
  if (validateConfig(parsed.value)) {
    return { value: { config: parsed.value, sourceMap: parsed.sourceMap }, issues: [] };
  }
  const issues = relevantErrors(validateConfig.errors ?? []).map((error) => schemaIssue(file, error, parsed.sourceMap));
  return { value: { config: undefined, sourceMap: parsed.sourceMap }, issues };
}

/** `oneOf` failures repeat every branch's complaint; keep the most specific ones. */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if');
  const chosen = specific.length > 0 ? specific : [...errors];
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function schemaIssue(file: string, error: ErrorObject, sourceMap: SourceMap): Issue {
  const pointer = `#${error.instancePath}`;
  const { message, fix } = describe(error);
  return { code: 'config.invalid', severity: 'error', file, pointer, line: sourceMap.lineOf(pointer), message, fix };
}

function describe(error: ErrorObject): { message: string; fix: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        message: `Unknown key "${String(params.additionalProperty)}".`,
        fix: 'Remove it or correct its spelling; allowed keys are listed in generator/load/tools-config.schema.json.',
      };
    case 'required':
      return { message: `Missing required key "${String(params.missingProperty)}".`, fix: `Add "${String(params.missingProperty)}".` };
    case 'pattern':
      return {
        message: `Value does not match ${String(params.pattern)}.`,
        fix: 'Tool and argument names may use letters, digits, "_" and "-" only, at most 64 characters.',
      };
    case 'enum':
      return {
        message: `Must be one of ${Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : String(params.allowedValues)}.`,
        fix: 'Use one of the allowed values.',
      };
    case 'const':
      return { message: `Must be ${JSON.stringify(params.allowedValue)}.`, fix: `Set it to ${JSON.stringify(params.allowedValue)}.` };
    case 'type':
      return { message: `Must be ${String(params.type)}.`, fix: `Write a ${String(params.type)} here.` };
    case 'oneOf':
      return { message: 'A tool entry needs exactly one of "operation" or "tag".', fix: 'Keep one of the two keys.' };
    default:
      return { message: `${error.message ?? 'Invalid value'}.`, fix: 'See generator/load/tools-config.schema.json for the expected shape.' };
  }
}
