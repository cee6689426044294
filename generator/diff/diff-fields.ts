/**
 * Changes to everything in a ToolDefinition except its schemas: title,
 * description, annotations, scopes, the upstream operation, argument routes,
 * pinned values and response shaping. `stats` are derived sizes, not contract,
 * and are not compared.
 */
import type { ArgumentRoute, ToolDefinition } from '../../runtime/contract/tool-definition.js';
import { canonicalJson } from '../report/canonical-json.js';
import { compareText, type ChangeKind, type SurfaceChange } from './change.js';
import { compareValues } from './diff-schema.js';

type Change = Omit<SurfaceChange, 'tool'>;
type Pinned = ToolDefinition['pinned'][number];

export function diffFields(tool: string, before: ToolDefinition, after: ToolDefinition): SurfaceChange[] {
  const changes: Change[] = [
    ...diffText(before, after),
    ...diffAnnotations(before.annotations, after.annotations),
    ...diffScopes(before.scopes, after.scopes),
    ...diffOperation(before.operation, after.operation),
    ...diffRoutes(before, after),
    ...diffPinned(before.pinned, after.pinned),
    ...diffResponse(before.response, after.response),
  ];
  return changes.map((change) => ({ tool, ...change }));
}

function diffText(before: ToolDefinition, after: ToolDefinition): Change[] {
  return [...changed('tool.title-changed', '', before.title, after.title), ...changed('tool.description-changed', '', before.description, after.description)];
}

function diffAnnotations(before: ToolDefinition['annotations'], after: ToolDefinition['annotations']): Change[] {
  const changes: Change[] = [];
  if (before.readOnlyHint !== after.readOnlyHint)
    changes.push({
      kind: before.readOnlyHint ? 'annotation.read-only-lost' : 'annotation.read-only-gained',
      subject: '',
      before: before.readOnlyHint,
      after: after.readOnlyHint,
    });
  if (before.destructiveHint !== after.destructiveHint)
    changes.push({
      kind: after.destructiveHint ? 'annotation.destructive-gained' : 'annotation.destructive-lost',
      subject: '',
      before: before.destructiveHint,
      after: after.destructiveHint,
    });
  changes.push(...changed('annotation.idempotent-changed', '', before.idempotentHint, after.idempotentHint));
  changes.push(...changed('annotation.open-world-changed', '', before.openWorldHint, after.openWorldHint));
  changes.push(...changed('annotation.title-changed', '', before.title, after.title));
  return changes;
}

function diffScopes(before: readonly string[], after: readonly string[]): Change[] {
  const { removed, added } = compareValues(before, after);
  return [
    ...added
      .map(String)
      .sort(compareText)
      .map((scope): Change => ({ kind: 'scope.added', subject: scope })),
    ...removed
      .map(String)
      .sort(compareText)
      .map((scope): Change => ({ kind: 'scope.removed', subject: scope })),
  ];
}

function diffOperation(before: ToolDefinition['operation'], after: ToolDefinition['operation']): Change[] {
  return [
    ...changed('upstream.method-changed', '', before.method, after.method),
    ...changed('upstream.path-changed', '', before.path, after.path),
    ...changed('upstream.operation-id-changed', '', before.operationId, after.operationId),
  ];
}

/** Routes of arguments present on both sides; added and removed arguments are reported by diff-schema.ts. */
function diffRoutes(before: ToolDefinition, after: ToolDefinition): Change[] {
  const [oldRoutes, newRoutes] = [routesByArgument(before.routes), routesByArgument(after.routes)];
  const [oldArguments, newArguments] = [argumentNames(before), argumentNames(after)];
  const shared = [...new Set([...oldRoutes.keys(), ...newRoutes.keys()])].filter((name) => oldArguments.has(name) && newArguments.has(name));
  return shared.sort(compareText).flatMap((name) => changed('argument.route-changed', name, oldRoutes.get(name), newRoutes.get(name)));
}

function diffPinned(before: readonly Pinned[], after: readonly Pinned[]): Change[] {
  const [oldPins, newPins] = [pinsByTarget(before), pinsByTarget(after)];
  const targets = [...new Set([...oldPins.keys(), ...newPins.keys()])].sort(compareText);
  return targets.flatMap((target): Change[] => {
    const [oldPin, newPin] = [oldPins.get(target), newPins.get(target)];
    if (!oldPin) return [{ kind: 'pinned.added', subject: target, after: newPin?.value }];
    if (!newPin) return [{ kind: 'pinned.removed', subject: target, before: oldPin.value }];
    return changed('pinned.value-changed', target, oldPin.value, newPin.value);
  });
}

function diffResponse(before: ToolDefinition['response'], after: ToolDefinition['response']): Change[] {
  const changes: Change[] = [];
  if (before.projection && !after.projection) changes.push({ kind: 'response.projection-removed', subject: '', before: before.projection });
  if (!before.projection && after.projection) changes.push({ kind: 'response.projection-added', subject: '', after: after.projection });
  if (before.projection && after.projection) {
    const { removed, added } = compareValues(before.projection, after.projection);
    if (added.length > 0) changes.push({ kind: 'response.projection-widened', subject: '', after: added });
    if (removed.length > 0) changes.push({ kind: 'response.projection-narrowed', subject: '', before: removed });
  }
  const [oldCaps, newCaps] = [before.itemCaps ?? {}, after.itemCaps ?? {}];
  for (const path of [...new Set([...Object.keys(oldCaps), ...Object.keys(newCaps)])].sort(compareText)) {
    changes.push(...changed('response.item-cap-changed', path, oldCaps[path], newCaps[path]));
  }
  changes.push(...changed('response.budget-changed', '', before.budgetChars, after.budgetChars));
  changes.push(...changed('response.wrap-changed', '', before.wrap, after.wrap));
  return changes;
}

function changed(kind: ChangeKind, subject: string, before: unknown, after: unknown): Change[] {
  return canonicalJson(before) === canonicalJson(after) ? [] : [{ kind, subject, before, after }];
}

function routesByArgument(routes: readonly ArgumentRoute[]): Map<string, ArgumentRoute> {
  return new Map(routes.map((route) => [route.argument, route]));
}

function argumentNames(tool: ToolDefinition): Set<string> {
  const properties = tool.inputSchema.properties;
  return new Set(typeof properties === 'object' && properties !== null ? Object.keys(properties) : []);
}

/** `body currency`, `query limit`, `body order.price`. */
function pinsByTarget(pins: readonly Pinned[]): Map<string, Pinned> {
  return new Map(pins.map((pin) => [`${pin.in} ${pin.bodyPath && pin.bodyPath.length > 0 ? pin.bodyPath.join('.') : pin.name}`, pin]));
}
