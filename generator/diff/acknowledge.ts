/**
 * `acknowledged:` in spec/tools.yaml: breaking or risky surface changes a
 * reviewer has accepted, each `{ tool, change, reason }`. Rules:
 * - `acknowledged` is a list; each entry has non-empty strings `tool`, `change`, `reason`;
 * - `change` is a change kind (`argument.now-required`, covers every such change
 *   of the tool) or a change id (`argument.now-required:limit`, covers one);
 *   a kind the differ does not know is an error, so a typo cannot pass silently;
 * - `tool` is the tool's new name; for a renamed tool its old name matches too.
 * Entries that match nothing are reported (stale after the merge), not failed.
 */
import { joinPointer, type Issue, type StageResult } from '../issues.js';
import { CHANGE_KINDS, type ClassifiedChange, type ToolDiff } from './change.js';

export interface Acknowledgement {
  readonly tool: string;
  readonly change: string;
  readonly reason: string;
}

const FIELDS = ['tool', 'change', 'reason'] as const;
const KNOWN_KINDS: ReadonlySet<string> = new Set(CHANGE_KINDS);

/** Checks the raw `acknowledged` value of the config (undefined when the key is absent). */
export function parseAcknowledgements(raw: unknown, file: string): StageResult<Acknowledgement[]> {
  if (raw === undefined || raw === null) return { value: [], issues: [] };
  if (!Array.isArray(raw)) return { value: [], issues: [ackIssue(file, '#/acknowledged', '`acknowledged` must be a list of { tool, change, reason }.')] };
  const issues: Issue[] = [];
  const value: Acknowledgement[] = [];
  raw.forEach((entry: unknown, index) => {
    const pointer = joinPointer('#/acknowledged', index);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      issues.push(ackIssue(file, pointer, 'An acknowledgement must be an object { tool, change, reason }.'));
      return;
    }
    const fields = new Map(Object.entries(entry));
    const missing = FIELDS.filter((field) => typeof fields.get(field) !== 'string' || String(fields.get(field)).trim() === '');
    for (const field of missing) issues.push(ackIssue(file, joinPointer(pointer, field), `\`${field}\` must be a non-empty string.`));
    const extra = [...fields.keys()].filter((key) => !(FIELDS as readonly string[]).includes(key));
    for (const key of extra) issues.push(ackIssue(file, joinPointer(pointer, key), `Unknown key \`${key}\`; an acknowledgement has tool, change and reason.`));
    if (missing.length > 0 || extra.length > 0) return;
    const ack = { tool: String(fields.get('tool')), change: String(fields.get('change')), reason: String(fields.get('reason')).trim() };
    if (!KNOWN_KINDS.has(kindOf(ack.change))) {
      issues.push(ackIssue(file, joinPointer(pointer, 'change'), `\`${ack.change}\` is not a change kind or id; kinds are ${[...KNOWN_KINDS].join(', ')}.`));
      return;
    }
    value.push(ack);
  });
  return { value, issues };
}

/** The acknowledgement covering `change` of the tool `diff`, if any. */
export function findAcknowledgement(
  change: ClassifiedChange,
  diff: Pick<ToolDiff, 'name' | 'previousName'>,
  acknowledgements: readonly Acknowledgement[],
): Acknowledgement | undefined {
  return acknowledgements.find((ack) => (ack.tool === diff.name || ack.tool === diff.previousName) && (ack.change === change.kind || ack.change === change.id));
}

function kindOf(change: string): string {
  const colon = change.indexOf(':');
  return colon === -1 ? change : change.slice(0, colon);
}

function ackIssue(file: string, pointer: string, message: string): Issue {
  return {
    code: 'config.invalid-acknowledgement',
    severity: 'error',
    file,
    pointer,
    message,
    fix: 'Write each entry as { tool: <tool name>, change: <kind or id from the surface diff>, reason: <why this is fine> }.',
  };
}
