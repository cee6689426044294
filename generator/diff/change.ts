/**
 * The vocabulary of a tool-surface diff: every kind of change the differ can
 * report, in display order, and the three review classes. A change is data
 * (tool, kind, subject, before, after); its class comes from classify.ts and
 * its wording from describe-change.ts, so a kind added here fails to compile
 * until both say what it means.
 */
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';
import { GUARDRAIL_CHANGE_KINDS } from './diff-guardrails.js';

export const CHANGE_KINDS = [
  'tool.removed',
  'tool.renamed',
  'tool.added',
  'upstream.method-changed',
  'upstream.path-changed',
  'upstream.operation-id-changed',
  'pinned.added',
  'pinned.removed',
  'pinned.value-changed',
  'annotation.read-only-lost',
  'annotation.read-only-gained',
  'annotation.destructive-gained',
  'annotation.destructive-lost',
  'annotation.idempotent-changed',
  'annotation.open-world-changed',
  'annotation.title-changed',
  'scope.added',
  'scope.removed',
  ...GUARDRAIL_CHANGE_KINDS,
  'argument.removed',
  'argument.added-required',
  'argument.added',
  'argument.now-required',
  'argument.now-optional',
  'argument.type-changed',
  'argument.type-widened',
  'argument.enum-narrowed',
  'argument.enum-widened',
  'argument.constraint-tightened',
  'argument.constraint-loosened',
  'argument.schema-changed',
  'argument.route-changed',
  'argument.default-changed',
  'argument.description-changed',
  'argument.metadata-changed',
  'output.property-removed',
  'output.property-added',
  'output.type-changed',
  'output.schema-changed',
  'response.projection-removed',
  'response.projection-widened',
  'response.projection-added',
  'response.projection-narrowed',
  'response.item-cap-changed',
  'response.budget-changed',
  'response.wrap-changed',
  'tool.title-changed',
  'tool.description-changed',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * - `breaking`: a call that worked may now fail or mean something else.
 * - `risky`: safety-relevant (more write power, more scopes, more data exposed,
 *   any change to the trading guardrails).
 * - `compatible`: everything else.
 */
export type ChangeClass = 'breaking' | 'risky' | 'compatible';

export const CHANGE_CLASSES: readonly ChangeClass[] = ['breaking', 'risky', 'compatible'];

export interface SurfaceChange {
  /** The tool's name in the new surface (the old name for a removed tool). */
  readonly tool: string;
  readonly kind: ChangeKind;
  /** What changed inside the tool: an argument path (`legs[].side`), a scope, a pinned field; '' for the tool itself. */
  readonly subject: string;
  /** The keyword for schema changes (`maximum`, `pattern`). */
  readonly keyword?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ClassifiedChange extends SurfaceChange {
  /** `kind` or `kind:subject`; what an `acknowledged` entry names. */
  readonly id: string;
  readonly class: ChangeClass;
  /** Set when an `acknowledged` entry in the config covers this change. */
  readonly acknowledged?: { readonly reason: string };
}

export type ToolStatus = 'added' | 'removed' | 'renamed' | 'changed';

/** One tool that differs between the surfaces; unchanged tools have none. */
export interface ToolDiff<Change extends SurfaceChange = SurfaceChange> {
  readonly name: string;
  readonly previousName?: string;
  readonly status: ToolStatus;
  readonly before?: ToolDefinition;
  readonly after?: ToolDefinition;
  readonly changes: readonly Change[];
}

export function changeId(change: Pick<SurfaceChange, 'kind' | 'subject'>): string {
  return change.subject === '' ? change.kind : `${change.kind}:${change.subject}`;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
