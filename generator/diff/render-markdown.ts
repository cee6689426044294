/**
 * The surface review as Markdown for a pull-request comment:
 * 1. a heading with the unacknowledged count per class (and the acknowledged count);
 * 2. what was compared, and what to do when review is needed;
 * 3. the trading-guardrail changes, together (safety-relevant: what the
 *    gateway checks before an order reaches Aries), one line each;
 * 4. one table row per changed tool (status and counts);
 * 5. one section per tool: a table of its changes, each with its class badge,
 *    its id (what an `acknowledged` entry names) and what changed;
 * 6. acknowledgements that matched nothing.
 * Order is stable: tools by name, changes by class, kind, subject.
 */
import { CHANGE_CLASSES, type ChangeClass, type ClassifiedChange, type ToolDiff } from './change.js';
import { needsReview, type SurfaceReport } from './compare-surfaces.js';
import { code, describeChange } from './describe-change.js';
import { isGuardrailChange } from './diff-guardrails.js';

export interface RenderOptions {
  /** What the old and new surfaces are, e.g. `HEAD` and `a fresh generation`. */
  readonly beforeLabel: string;
  readonly afterLabel: string;
  /** Where acknowledgements live, named in the call to action. */
  readonly configFile?: string;
}

export const BADGE: { readonly [Class in ChangeClass]: string } = {
  breaking: '🔴 breaking',
  risky: '🟠 risky',
  compatible: '🟢 compatible',
};

export function renderSurfaceReport(report: SurfaceReport, options: RenderOptions): string {
  const compared = `Compared ${code(options.beforeLabel)} (${report.toolCount.before} tools) with ${code(options.afterLabel)} (${report.toolCount.after} tools).`;
  if (report.tools.length === 0) {
    return joinLines(['## Tool surface: no changes', '', compared, ...renderUnused(report)]);
  }
  return joinLines([
    `## Tool surface: ${headingCounts(report)}`,
    '',
    `${compared} ${statusCounts(report.tools)}`,
    '',
    ...callToAction(report, options.configFile ?? 'spec/tools.yaml'),
    ...renderGuardrailChanges(report.tools),
    '| Tool | Status | Breaking | Risky | Compatible |',
    '| --- | --- | ---: | ---: | ---: |',
    ...report.tools.map(
      (tool) => `| ${code(tool.name)} | ${statusLabel(tool)} | ${CHANGE_CLASSES.map((changeClass) => classCount(tool, changeClass)).join(' | ')} |`,
    ),
    ...report.tools.flatMap(renderTool),
    ...renderUnused(report),
  ]);
}

export function headingCounts(report: SurfaceReport): string {
  const parts = CHANGE_CLASSES.map((changeClass) => `${report.counts[changeClass]} ${changeClass}`);
  if (report.counts.acknowledged > 0) parts.push(`${report.counts.acknowledged} acknowledged`);
  return parts.join(' · ');
}

function renderTool(tool: ToolDiff<ClassifiedChange>): string[] {
  return [
    '',
    `### ${code(tool.name)}${tool.previousName ? ` (renamed from ${code(tool.previousName)})` : tool.status === 'changed' ? '' : ` (${tool.status})`}`,
    '',
    '| Class | Change | What changed |',
    '| --- | --- | --- |',
    ...tool.changes.map(
      (change) =>
        `| ${badge(change)} | ${code(change.id)} | ${cell(describeChange(change))}${change.acknowledged ? ` (acknowledged: ${cell(change.acknowledged.reason)})` : ''} |`,
    ),
  ];
}

/** Every guardrail change of every tool, before the per-tool tables, so no reviewer misses one. */
function renderGuardrailChanges(tools: readonly ToolDiff<ClassifiedChange>[]): string[] {
  const lines = tools.flatMap((tool) =>
    tool.changes
      .filter(isGuardrailChange)
      .map(
        (change) =>
          `- ${badge(change)} ${code(change.tool)} ${code(change.id)}: ${describeChange(change)}${change.acknowledged ? ` (acknowledged: ${change.acknowledged.reason})` : ''}`,
      ),
  );
  if (lines.length === 0) return [];
  return [
    '### Trading guardrails changed',
    '',
    'What the gateway checks before an order reaches Aries (the limits the account owner chose on the connection page):',
    '',
    ...lines,
    '',
  ];
}

function callToAction(report: SurfaceReport, configFile: string): string[] {
  if (!needsReview(report)) return [];
  const pending = report.counts.breaking + report.counts.risky;
  return [
    `> [!WARNING]`,
    `> ${pending} breaking or risky ${pending === 1 ? 'change needs' : 'changes need'} review. Revert ${pending === 1 ? 'it' : 'them'}, or acknowledge each in ${code(configFile)} under ${code('acknowledged:')} as ${code('{ tool, change, reason }')} with the tool and the id from the Change column.`,
    '',
  ];
}

function renderUnused(report: SurfaceReport): string[] {
  if (report.unusedAcknowledgements.length === 0) return [];
  return [
    '',
    '### Acknowledgements that matched no change',
    '',
    'These `acknowledged:` entries cover no change in this diff (already merged, or a typo in `tool` or `change`); remove them:',
    '',
    ...report.unusedAcknowledgements.map((ack) => `- ${code(ack.tool)} ${code(ack.change)}: ${ack.reason}`),
  ];
}

function badge(change: ClassifiedChange): string {
  return change.acknowledged ? `✅ ${change.class}, acknowledged` : BADGE[change.class];
}

function classCount(tool: ToolDiff<ClassifiedChange>, changeClass: ChangeClass): number {
  return tool.changes.filter((change) => change.class === changeClass && !change.acknowledged).length;
}

function statusLabel(tool: ToolDiff): string {
  return tool.previousName ? `renamed from ${code(tool.previousName)}` : tool.status;
}

function statusCounts(tools: readonly ToolDiff[]): string {
  const count = (status: ToolDiff['status']): number => tools.filter((tool) => tool.status === status).length;
  return `${count('added')} added, ${count('removed')} removed, ${count('renamed')} renamed, ${count('changed')} changed.`;
}

/** Keeps a table cell on one line and its pipes literal (GFM escapes `|` even in code spans). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function joinLines(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}
