/**
 * Pairs the tools of two surfaces and lists what changed in each pair.
 * Pairing, in order:
 * 1. same name;
 * 2. a removed and an added tool calling the same upstream method + path: a rename;
 * 3. a removed and an added tool with the same operationId: a rename;
 * 4. the rest are removed or added.
 * Candidates are taken in name order, so the same surfaces always pair the
 * same way. Unchanged tools are left out of the result.
 */
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';
import { compareText, type SurfaceChange, type ToolDiff } from './change.js';
import { diffFields } from './diff-fields.js';
import { diffGuardrails } from './diff-guardrails.js';
import { diffInputSchema, diffOutputSchema } from './diff-schema.js';

export interface ToolPair {
  readonly before?: ToolDefinition;
  readonly after?: ToolDefinition;
}

type RenameKey = (tool: ToolDefinition) => string;

const RENAME_KEYS: readonly RenameKey[] = [(tool) => `${tool.operation.method.toLowerCase()} ${tool.operation.path}`, (tool) => tool.operation.operationId];

export function pairTools(before: readonly ToolDefinition[], after: readonly ToolDefinition[]): ToolPair[] {
  const newByName = new Map(after.map((tool) => [tool.name, tool]));
  const oldNames = new Set(before.map((tool) => tool.name));
  const pairs: ToolPair[] = before.filter((tool) => newByName.has(tool.name)).map((tool) => ({ before: tool, after: newByName.get(tool.name) }));
  let removed = sortByName(before.filter((tool) => !newByName.has(tool.name)));
  let added = sortByName(after.filter((tool) => !oldNames.has(tool.name)));
  for (const key of RENAME_KEYS) {
    for (const old of removed) {
      const match = added.find((candidate) => key(candidate) === key(old));
      if (!match) continue;
      pairs.push({ before: old, after: match });
      added = added.filter((tool) => tool !== match);
    }
    const renamed = new Set(pairs.map((pair) => pair.before));
    removed = removed.filter((tool) => !renamed.has(tool));
  }
  pairs.push(...removed.map((tool) => ({ before: tool })), ...added.map((tool) => ({ after: tool })));
  return pairs.sort((a, b) => compareText(pairName(a), pairName(b)));
}

export function diffTools(before: readonly ToolDefinition[], after: readonly ToolDefinition[]): ToolDiff[] {
  return pairTools(before, after)
    .map(diffPair)
    .filter((diff) => diff.changes.length > 0);
}

export function diffPair(pair: ToolPair): ToolDiff {
  const { before, after } = pair;
  if (before && !after) return { name: before.name, status: 'removed', before, changes: [{ tool: before.name, kind: 'tool.removed', subject: '', before }] };
  if (after && !before)
    return {
      name: after.name,
      status: 'added',
      after,
      changes: [{ tool: after.name, kind: 'tool.added', subject: '', after }, ...diffGuardrails(after.name, undefined, after.guardrails)],
    };
  if (!before || !after) throw new Error('diffPair: a pair needs at least one tool');
  const changes: SurfaceChange[] = [
    ...(before.name === after.name ? [] : [{ tool: after.name, kind: 'tool.renamed' as const, subject: '', before: before.name, after: after.name }]),
    ...diffFields(after.name, before, after),
    ...diffInputSchema(after.name, before.inputSchema, after.inputSchema),
    ...diffOutputSchema(after.name, before.outputSchema, after.outputSchema),
    ...diffGuardrails(after.name, before.guardrails, after.guardrails),
  ];
  const renamed = before.name !== after.name;
  return { name: after.name, ...(renamed ? { previousName: before.name } : {}), status: renamed ? 'renamed' : 'changed', before, after, changes };
}

function pairName(pair: ToolPair): string {
  return (pair.after ?? pair.before)?.name ?? '';
}

function sortByName(tools: readonly ToolDefinition[]): ToolDefinition[] {
  return [...tools].sort((a, b) => compareText(a.name, b.name));
}
