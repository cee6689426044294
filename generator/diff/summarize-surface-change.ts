/**
 * The short note `npm run generate` prints when it rewrites
 * generated/tool-surface.json: counts per class, tools added, removed and
 * renamed, and one line per breaking or risky change (at most MAX_LINES).
 * Never throws: an old surface that cannot be read (first generation, hand
 * edit) is reported as such.
 */
import { formatIssue } from '../issues.js';
import type { Acknowledgement } from './acknowledge.js';
import { CHANGE_CLASSES } from './change.js';
import { compareSurfaces } from './compare-surfaces.js';
import { code, describeChange } from './describe-change.js';
import { loadSurface } from './load-surface.js';
import { BADGE, headingCounts } from './render-markdown.js';

const MAX_LINES = 10;

export interface SummarizeOptions {
  readonly acknowledgements?: readonly Acknowledgement[];
}

/** The note for a surface with nothing before it: the CLI prints it without parsing the new surface back (12 MB for GitHub). */
export function firstSurfaceNote(toolCount: number): string {
  return `Tool surface: ${toolCount} tools; no previous tool-surface.json to compare with.\n`;
}

export function summarizeSurfaceChange(oldSurfaceJson: string, newSurfaceJson: string, options: SummarizeOptions = {}): string {
  const after = loadSurface(newSurfaceJson, 'new tool-surface.json');
  if (!after.value) return `Tool surface: the new tool-surface.json cannot be read (${after.issues.map(formatIssue).join('; ')}).\n`;
  const before = loadSurface(oldSurfaceJson, 'old tool-surface.json');
  if (!before.value) return firstSurfaceNote(after.value.tools.length);
  const report = compareSurfaces(before.value, after.value, options.acknowledgements);
  if (report.tools.length === 0) return `Tool surface: no changes (${report.toolCount.after} tools).\n`;

  const membership = (['added', 'removed', 'renamed'] as const)
    .map((status) => ({
      status,
      names: report.tools
        .filter((tool) => tool.status === status)
        .map((tool) => (tool.previousName ? `${code(tool.previousName)} → ${code(tool.name)}` : code(tool.name))),
    }))
    .filter(({ names }) => names.length > 0)
    .map(({ status, names }) => `${status} ${names.join(', ')}`);
  const flagged = report.tools
    .flatMap((tool) => tool.changes)
    .filter((change) => change.class !== 'compatible' && !change.acknowledged)
    .sort((a, b) => CHANGE_CLASSES.indexOf(a.class) - CHANGE_CLASSES.indexOf(b.class))
    .map((change) => `- ${BADGE[change.class]} ${code(change.tool)}: ${describeChange(change)}`);
  const shown = flagged.length > MAX_LINES ? [...flagged.slice(0, MAX_LINES), `- … and ${flagged.length - MAX_LINES} more`] : flagged;
  const lines = [
    `Tool surface: ${headingCounts(report)} (${report.toolCount.before} → ${report.toolCount.after} tools${membership.length > 0 ? `; ${membership.join('; ')}` : ''}).`,
    ...shown,
    ...(flagged.length > 0 ? ['Run `npm run surface:diff` for the full report; acknowledge accepted changes under `acknowledged:` in spec/tools.yaml.'] : []),
  ];
  return `${lines.join('\n')}\n`;
}
