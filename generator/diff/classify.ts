/**
 * The review class of each change kind. Rules:
 * - breaking: a call that worked may now fail or mean something else: tool
 *   removed or renamed; argument removed, added as required, newly required,
 *   type changed, enum narrowed, constraint tightened, other schema keyword
 *   changed, sent elsewhere upstream; upstream operation changed; pinned value
 *   added, removed or changed.
 * - risky: safety-relevant: lost readOnlyHint (became write-capable), gained
 *   destructiveHint, scope added, a new tool that can write, projection removed
 *   or widened (more data reaches the model), the tool's or an argument's
 *   description changed on a destructive tool (the model decides from it),
 *   any change to the trading guardrails (diff-guardrails.ts).
 * - compatible: everything else.
 */
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';
import { GUARDRAIL_CHANGE_CLASS } from './diff-guardrails.js';
import { changeId, type ChangeClass, type ChangeKind, type ClassifiedChange, type SurfaceChange, type ToolDiff } from './change.js';

type Rule = ChangeClass | ((change: SurfaceChange, diff: Pick<ToolDiff, 'before' | 'after'>) => ChangeClass);

const whenDestructive: Rule = (_change, { before, after }) => (isDestructive(before) || isDestructive(after) ? 'risky' : 'compatible');

export const CLASS_OF_KIND: { readonly [Kind in ChangeKind]: Rule } = {
  'tool.removed': 'breaking',
  'tool.renamed': 'breaking',
  'tool.added': (_change, { after }) => (after && !after.annotations.readOnlyHint ? 'risky' : 'compatible'),
  'upstream.method-changed': 'breaking',
  'upstream.path-changed': 'breaking',
  'upstream.operation-id-changed': 'breaking',
  'pinned.added': 'breaking',
  'pinned.removed': 'breaking',
  'pinned.value-changed': 'breaking',
  'annotation.read-only-lost': 'risky',
  'annotation.read-only-gained': 'compatible',
  'annotation.destructive-gained': 'risky',
  'annotation.destructive-lost': 'compatible',
  'annotation.idempotent-changed': 'compatible',
  'annotation.open-world-changed': 'compatible',
  'annotation.title-changed': 'compatible',
  'scope.added': 'risky',
  'scope.removed': 'compatible',
  ...GUARDRAIL_CHANGE_CLASS,
  'argument.removed': 'breaking',
  'argument.added-required': 'breaking',
  'argument.added': 'compatible',
  'argument.now-required': 'breaking',
  'argument.now-optional': 'compatible',
  'argument.type-changed': 'breaking',
  'argument.type-widened': 'compatible',
  'argument.enum-narrowed': 'breaking',
  'argument.enum-widened': 'compatible',
  'argument.constraint-tightened': 'breaking',
  'argument.constraint-loosened': 'compatible',
  'argument.schema-changed': 'breaking',
  'argument.route-changed': 'breaking',
  'argument.default-changed': 'compatible',
  'argument.description-changed': whenDestructive,
  'argument.metadata-changed': 'compatible',
  'output.property-removed': 'compatible',
  'output.property-added': 'compatible',
  'output.type-changed': 'compatible',
  'output.schema-changed': 'compatible',
  'response.projection-removed': 'risky',
  'response.projection-widened': 'risky',
  'response.projection-added': 'compatible',
  'response.projection-narrowed': 'compatible',
  'response.item-cap-changed': 'compatible',
  'response.budget-changed': 'compatible',
  'response.wrap-changed': 'compatible',
  'tool.title-changed': 'compatible',
  'tool.description-changed': whenDestructive,
};

export function classifyChange(change: SurfaceChange, diff: Pick<ToolDiff, 'before' | 'after'>): ClassifiedChange {
  const rule = CLASS_OF_KIND[change.kind];
  return { ...change, id: changeId(change), class: typeof rule === 'function' ? rule(change, diff) : rule };
}

function isDestructive(tool: ToolDefinition | undefined): boolean {
  return tool?.annotations.destructiveHint === true;
}
