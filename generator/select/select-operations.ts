/**
 * Matches the allowlist in `spec/tools.yaml` against the spec's operations.
 * - An allowlisted operation missing from the spec is an error (with a guess).
 * - An operation selected twice is an error.
 * - Spec operations nobody selected are returned so the report can list them.
 * With `all`, every operation is selected (the robustness mode).
 */
import type { Issue, StageResult } from '../issues.js';
import { joinPointer } from '../issues.js';
import type { ToolSelection, ToolsConfig } from '../load/tools-config.js';
import type { SpecOperation } from './list-operations.js';

export interface SelectedOperation {
  readonly spec: SpecOperation;
  /** Overrides for this tool; empty for tag and --all selections. */
  readonly selection: ToolSelection;
  /** Pointer of the config entry that selected it (`#/tools/3`). */
  readonly configPointer: string;
}

export interface Selection {
  readonly selected: readonly SelectedOperation[];
  readonly notAllowlisted: readonly SpecOperation[];
}

export interface SelectOptions {
  readonly configFile: string;
  readonly all?: boolean;
}

export function selectOperations(operations: readonly SpecOperation[], config: ToolsConfig, options: SelectOptions): StageResult<Selection> {
  if (options.all) {
    return { value: { selected: operations.map((spec) => ({ spec, selection: {}, configPointer: '#' })), notAllowlisted: [] }, issues: [] };
  }
  const issues: Issue[] = [];
  const chosen = new Map<SpecOperation, SelectedOperation>();
  const choose = (spec: SpecOperation, selection: ToolSelection, configPointer: string) => {
    const earlier = chosen.get(spec);
    if (earlier) {
      issues.push({
        code: 'config.duplicate-operation',
        severity: 'error',
        file: options.configFile,
        pointer: configPointer,
        message: `Operation ${spec.operationId} is already selected by ${earlier.configPointer}.`,
        fix: 'Select each operation once; remove one of the entries or add it to the tag entry\'s "exclude".',
      });
      return;
    }
    chosen.set(spec, { spec, selection, configPointer });
  };

  config.tools.forEach((selection, index) => {
    const pointer = joinPointer('#', 'tools', index);
    if (selection.tag !== undefined) {
      selectByTag(operations, selection, pointer, options.configFile, issues).forEach((spec) => choose(spec, {}, pointer));
      return;
    }
    const spec = findOperation(operations, selection);
    if (spec) choose(spec, selection, pointer);
    else issues.push(missingOperationIssue(operations, selection, pointer, options.configFile));
  });

  const selected = operations.filter((spec) => chosen.has(spec)).map((spec) => chosen.get(spec)!);
  return { value: { selected, notAllowlisted: operations.filter((spec) => !chosen.has(spec)) }, issues };
}

function findOperation(operations: readonly SpecOperation[], selection: ToolSelection): SpecOperation | undefined {
  const ref = selection.operation;
  if (typeof ref === 'string') return operations.find((operation) => operation.operationId === ref);
  if (ref) return operations.find((operation) => operation.method === ref.method && operation.path === ref.path);
  return undefined;
}

function selectByTag(operations: readonly SpecOperation[], selection: ToolSelection, pointer: string, file: string, issues: Issue[]): SpecOperation[] {
  const overrideKeys = (['name', 'title', 'description', 'parameters', 'response'] as const).filter((key) => selection[key] !== undefined);
  if (overrideKeys.length > 0) {
    issues.push({
      code: 'config.tag-override',
      severity: 'error',
      file,
      pointer,
      message: `A tag selection cannot set ${overrideKeys.join(', ')}: they would apply to several tools.`,
      fix: 'Exclude the operation from the tag entry and give it its own entry with the overrides.',
    });
  }
  const tagged = operations.filter((operation) => operation.tags.includes(selection.tag!));
  if (tagged.length === 0) {
    issues.push({
      code: 'config.unknown-tag',
      severity: 'error',
      file,
      pointer: joinPointer(pointer, 'tag'),
      message: `No operation in the spec has tag "${selection.tag}".`,
      fix: 'Use a tag listed under the operations\' "tags" in the spec.',
    });
  }
  for (const excluded of selection.exclude ?? []) {
    if (!tagged.some((operation) => operation.operationId === excluded)) {
      issues.push({
        code: 'config.unknown-exclude',
        severity: 'error',
        file,
        pointer: joinPointer(pointer, 'exclude'),
        message: `"${excluded}" is not an operation with tag "${selection.tag}".`,
        fix: 'Remove it from "exclude" or correct the operationId.',
      });
    }
  }
  return tagged.filter((operation) => !(selection.exclude ?? []).includes(operation.operationId));
}

function missingOperationIssue(operations: readonly SpecOperation[], selection: ToolSelection, pointer: string, file: string): Issue {
  const ref = selection.operation;
  const label = typeof ref === 'string' ? ref : `${ref?.method.toUpperCase()} ${ref?.path}`;
  const guess = closest(
    label,
    operations.map((operation) => operation.operationId),
  );
  return {
    code: 'config.unknown-operation',
    severity: 'error',
    file,
    pointer: joinPointer(pointer, 'operation'),
    message: `Allowlisted operation ${label} is not in the spec.`,
    fix: guess ? `Did you mean "${guess}"? Otherwise remove the entry (the endpoint is gone).` : 'Remove the entry or restore the operation in the spec.',
  };
}

function closest(target: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(target.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(3, target.length / 3) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
