/**
 * Tool names: `^[a-zA-Z0-9_-]{1,64}$`, unique, and stable when unrelated
 * operations are added or reordered.
 * - A configured `name` is used as is (the config schema checks the pattern).
 * - Otherwise the operationId becomes snake_case (`listUserAccounts` ->
 *   `list_user_accounts`); without one, method and path are used.
 * - Names that collide, or that had to be cut to 64 characters, get a suffix
 *   hashed from the operation's own method and path, so the result never
 *   depends on which other operations exist or in which order.
 * - The committed surface is a lock: an operation that already had a tool
 *   (same method and path, else same operationId) keeps that tool's name when
 *   the name would only change because the spec renamed or moved it. Renaming
 *   a tool takes an explicit `name` in the config.
 */
import { createHash } from 'node:crypto';
import type { Issue } from '../issues.js';
import { isRecord } from '../lower/schema-walk.js';
import type { SelectedOperation } from '../select/select-operations.js';

export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME_LENGTH = 64;

export function toSnakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function operationHash(method: string, path: string): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}`).digest('hex').slice(0, 6);
}

function derivedName(selected: SelectedOperation): string {
  const { spec } = selected;
  const base = spec.hasOperationId ? toSnakeCase(spec.operationId) : toSnakeCase(`${spec.method} ${spec.path}`);
  return base.length > 0 ? base : `${spec.method}_${operationHash(spec.method, spec.path)}`;
}

function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_NAME_LENGTH - suffix.length - 1).replace(/_+$/, '')}_${suffix}`;
}

/** Tool names of the committed surface, by operation. */
export interface NameLock {
  readonly byRoute: ReadonlyMap<string, string>;
  readonly byOperationId: ReadonlyMap<string, string>;
}

export const EMPTY_NAME_LOCK: NameLock = { byRoute: new Map(), byOperationId: new Map() };

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Reads the lock from a committed `tool-surface.json`; an unreadable one locks nothing. */
export function nameLockFromSurface(surfaceJson: string | undefined): NameLock {
  if (!surfaceJson) return EMPTY_NAME_LOCK;
  try {
    const surface: unknown = JSON.parse(surfaceJson);
    const tools = isRecord(surface) && surface.tools !== undefined ? surface.tools : [];
    if (!Array.isArray(tools) || !tools.every(isLockedTool)) return EMPTY_NAME_LOCK;
    return {
      byRoute: new Map(tools.map((tool) => [routeKey(tool.operation.method, tool.operation.path), tool.name])),
      byOperationId: new Map(tools.map((tool) => [tool.operation.operationId, tool.name])),
    };
  } catch {
    return EMPTY_NAME_LOCK;
  }
}

/** A surface entry the lock reads: a name and the operation it was generated from. */
function isLockedTool(value: unknown): value is { name: string; operation: { method: string; path: string; operationId: string } } {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.operation)) return false;
  const { method, path, operationId } = value.operation;
  return typeof method === 'string' && typeof path === 'string' && typeof operationId === 'string';
}

/** Returns the tool name for each selected operation, in the same order. */
export function nameTools(selected: readonly SelectedOperation[], configFile: string, lock: NameLock = EMPTY_NAME_LOCK): { names: string[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const candidates = selected.map((entry) => {
    const configured = entry.selection.name;
    if (configured) return { name: configured, kind: 'configured' as const };
    const locked = lock.byRoute.get(routeKey(entry.spec.method, entry.spec.path)) ?? lock.byOperationId.get(entry.spec.operationId);
    if (locked !== undefined) {
      const derived = derivedName(entry);
      if (locked !== derived) {
        issues.push({
          code: 'name.locked',
          severity: 'info',
          file: configFile,
          pointer: entry.configPointer,
          message: `Operation ${entry.spec.operationId} would now be named "${derived}"; it keeps the committed name "${locked}".`,
          fix: `To rename the tool, give it an explicit entry with name: ${derived} in the config.`,
        });
      }
      return { name: locked, kind: 'locked' as const };
    }
    const base = derivedName(entry);
    const hash = operationHash(entry.spec.method, entry.spec.path);
    return { name: base.length > MAX_NAME_LENGTH ? withSuffix(base, hash) : base, kind: 'derived' as const };
  });

  const counts = new Map<string, number>();
  const configuredCounts = new Map<string, number>();
  candidates.forEach(({ name, kind }) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (kind === 'configured') configuredCounts.set(name, (configuredCounts.get(name) ?? 0) + 1);
  });

  // Collisions: configured names win (two configured ones are an error), then locked ones; derived ones yield.
  const names = candidates.map((candidate, index) => {
    const entry = selected[index]!;
    if (counts.get(candidate.name) === 1) return candidate.name;
    if (candidate.kind === 'locked' && !configuredCounts.has(candidate.name)) return candidate.name;
    if (candidate.kind === 'configured' && configuredCounts.get(candidate.name) === 1) return candidate.name;
    if (candidate.kind === 'configured') {
      issues.push({
        code: 'config.duplicate-name',
        severity: 'error',
        file: configFile,
        pointer: `${entry.configPointer}/name`,
        message: `Tool name "${candidate.name}" is used by more than one tool.`,
        fix: 'Give each tool a unique name.',
      });
      return candidate.name;
    }
    return withSuffix(candidate.name, operationHash(entry.spec.method, entry.spec.path));
  });
  return { names, issues };
}
