/**
 * Size budgets that fail the build: a tool whose tools/list entry is too large
 * for a model to read cheaply, or a whole surface that would crowd the
 * model's context. Per-tool input schema size is enforced by lowering.
 */
import type { Issue } from '../issues.js';
import type { BuiltTool } from '../emit/view-model.js';
import { measureTool } from './tool-stats.js';

export interface Budgets {
  readonly maxToolTokens?: number;
  readonly maxTotalTokens?: number;
}

export function checkBudgets(tools: readonly BuiltTool[], budgets: Budgets, configFile: string): Issue[] {
  const issues: Issue[] = [];
  let total = 0;
  for (const { definition } of tools) {
    const { estimatedTokens } = measureTool(definition);
    total += estimatedTokens;
    if (budgets.maxToolTokens !== undefined && estimatedTokens > budgets.maxToolTokens) {
      issues.push({
        code: 'budget.tool-tokens',
        severity: 'error',
        file: configFile,
        pointer: '#/defaults/maxToolTokens',
        message: `Tool ${definition.name} costs ~${estimatedTokens} tokens, over the budget of ${budgets.maxToolTokens}.`,
        fix: 'Shorten its description, hide or pin parameters, or project the response to fewer fields.',
      });
    }
  }
  if (budgets.maxTotalTokens !== undefined && total > budgets.maxTotalTokens) {
    issues.push({
      code: 'budget.total-tokens',
      severity: 'error',
      file: configFile,
      pointer: '#/defaults/maxTotalTokens',
      message: `All tools together cost ~${total} tokens, over the budget of ${budgets.maxTotalTokens}.`,
      fix: 'Expose fewer tools or make the largest ones smaller (see the per-tool sizes above).',
    });
  }
  return issues;
}
