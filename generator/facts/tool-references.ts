/**
 * Checks every tool name that tools.yaml writes outside a tool's own `name`:
 * the recovery hints (`recovery.lookUpWith`, `recovery.checkOrdersWith`, top
 * level and per tool) and the server `instructions`, whose snake_case words
 * must each be a tool of the config. A name that is not a tool is an `error`
 * naming the file, the pointer and the tools there are, so renaming a tool
 * without updating the text that names it fails `npm run generate`.
 *
 * Does not check tool descriptions (free text a reviewer reads in TOOLS.md).
 */
import type { RecoveryHints } from '../../runtime/contract/tool-definition.js';
import type { Issue } from '../issues.js';
import type { ToolsConfig } from '../load/tools-config.js';

/** A snake_case word: lower-case letters and digits joined by at least one underscore (`place_order`). */
const SNAKE_WORD = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

export interface NamedSelection {
  readonly toolName: string;
  readonly configPointer: string;
  readonly recovery?: RecoveryHints;
}

export function checkToolReferences(config: ToolsConfig, tools: readonly NamedSelection[], configFile: string): Issue[] {
  const known = new Set(tools.map((tool) => tool.toolName));
  const fix = `Name one of the tools in this config: ${[...known].sort().join(', ')}.`;
  const unknown = (pointer: string, name: string, where: string): Issue => ({
    code: 'config.unknown-tool-reference',
    severity: 'error',
    file: configFile,
    pointer,
    message: `${where} names "${name}", which is not a tool of this config.`,
    fix,
  });
  const issues: Issue[] = [];
  const checkRecovery = (recovery: RecoveryHints | undefined, pointer: string): void => {
    for (const key of ['lookUpWith', 'checkOrdersWith'] as const) {
      (recovery?.[key] ?? []).forEach((name, index) => {
        if (!known.has(name)) issues.push(unknown(`${pointer}/recovery/${key}/${index}`, name, `recovery.${key}`));
      });
    }
  };
  checkRecovery(config.recovery, '#');
  for (const tool of tools) checkRecovery(tool.recovery, tool.configPointer);
  for (const word of new Set(config.instructions?.match(SNAKE_WORD) ?? [])) {
    if (!known.has(word)) issues.push(unknown('#/instructions', word, 'The server instructions'));
  }
  return issues;
}
