/**
 * The whole review of a tool-surface change, as data: which tools changed,
 * each change classified and matched against the acknowledgements, counts per
 * class, and the acknowledgements that matched nothing. Rendering is
 * render-markdown.ts; the exit code is `needsReview`.
 */
import type { ToolSurface } from './load-surface.js';
import { CHANGE_CLASSES, CHANGE_KINDS, compareText, type ChangeClass, type ClassifiedChange, type ToolDiff } from './change.js';
import { classifyChange } from './classify.js';
import { diffTools } from './diff-tools.js';
import { findAcknowledgement, type Acknowledgement } from './acknowledge.js';

export interface SurfaceReport {
  readonly toolCount: { readonly before: number; readonly after: number };
  readonly tools: readonly ToolDiff<ClassifiedChange>[];
  /** Unacknowledged changes per class, plus the acknowledged ones. */
  readonly counts: { readonly [Class in ChangeClass | 'acknowledged']: number };
  readonly unusedAcknowledgements: readonly Acknowledgement[];
}

export function compareSurfaces(before: ToolSurface, after: ToolSurface, acknowledgements: readonly Acknowledgement[] = []): SurfaceReport {
  const used = new Set<Acknowledgement>();
  const tools = diffTools(before.tools, after.tools).map((diff): ToolDiff<ClassifiedChange> => {
    const changes = diff.changes.map((change) => {
      const classified = classifyChange(change, diff);
      const ack = findAcknowledgement(classified, diff, acknowledgements);
      if (!ack) return classified;
      used.add(ack);
      return { ...classified, acknowledged: { reason: ack.reason } };
    });
    return { ...diff, changes: changes.sort(compareChanges) };
  });
  const all = tools.flatMap((tool) => tool.changes);
  const count = (changeClass: ChangeClass): number => all.filter((change) => change.class === changeClass && !change.acknowledged).length;
  return {
    toolCount: { before: before.tools.length, after: after.tools.length },
    tools,
    counts: {
      breaking: count('breaking'),
      risky: count('risky'),
      compatible: count('compatible'),
      acknowledged: all.filter((change) => change.acknowledged).length,
    },
    unusedAcknowledgements: acknowledgements.filter((ack) => !used.has(ack)),
  };
}

/** True when a breaking or risky change is not acknowledged: the CLI exits 1. */
export function needsReview(report: SurfaceReport): boolean {
  return report.counts.breaking + report.counts.risky > 0;
}

/** Breaking first, then risky, then compatible; within a class in CHANGE_KINDS order, then by subject. */
export function compareChanges(a: ClassifiedChange, b: ClassifiedChange): number {
  return (
    CHANGE_CLASSES.indexOf(a.class) - CHANGE_CLASSES.indexOf(b.class) ||
    CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) ||
    compareText(a.subject, b.subject) ||
    compareText(a.keyword ?? '', b.keyword ?? '')
  );
}
