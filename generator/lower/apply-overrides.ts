/**
 * Applies the per-argument overrides of `tools.yaml`, keyed by upstream name:
 * a parameter name or top-level body property (before flattening), or a
 * dotted body path (`order.price`, after flattening; a prefix such as
 * `order.details` applies to every argument flattened from it).
 *
 * - `hidden`: the argument is removed and never sent;
 * - `pin`: removed and always sent with the value (`pinned`);
 * - `rename`, `description`, `default`: change what the model sees
 *   (a prefix rename renames the prefix of every flattened argument).
 *
 * A key that matches nothing is a `lower.unknown-override` error naming the
 * keys that exist.
 */
import type { ParameterOverride, PinnedValue } from './lower-types.js';
import type { LowerArgument } from './lower-argument.js';
import type { LowerContext } from './lower-context.js';
import { isRecord } from './schema-walk.js';

export type Overrides = { readonly [upstreamName: string]: ParameterOverride };

export interface OverrideResult {
  readonly args: LowerArgument[];
  readonly pinned: PinnedValue[];
}

/** Overrides whose key is exactly an argument's key (root arguments, before flattening). */
export function applyRootOverrides(args: readonly LowerArgument[], overrides: Overrides, used: Set<string>, ctx: LowerContext): OverrideResult {
  const kept: LowerArgument[] = [];
  const pinned: PinnedValue[] = [];
  for (const arg of args) {
    const override = ownOverride(overrides, arg.key);
    if (override === undefined) {
      kept.push(arg);
      continue;
    }
    used.add(arg.key);
    const result = applyOne(arg, override, arg.segments.length, ctx);
    if (result.pin) pinned.push(result.pin);
    if (result.arg) kept.push(result.arg);
  }
  return { args: kept, pinned };
}

/** Overrides not used yet, matched against dotted keys of flattened arguments (exactly or as a prefix). */
export function applyNestedOverrides(args: readonly LowerArgument[], overrides: Overrides, used: Set<string>, ctx: LowerContext): OverrideResult {
  let current = [...args];
  const pinned: PinnedValue[] = [];
  for (const key of Object.keys(overrides)) {
    if (used.has(key)) continue;
    const matches = current.filter((arg) => arg.root !== undefined && (arg.key === key || arg.key.startsWith(`${key}.`)));
    if (matches.length === 0) continue;
    used.add(key);
    const override = overrides[key];
    const depth = key.split('.').length;
    if (matches.length > 1 || matches[0].key !== key) {
      if (override.pin !== undefined) pinned.push({ in: 'body', name: key, bodyPath: key.split('.'), value: override.pin });
      if (override.pin !== undefined || override.hidden) {
        ctx.notes.add(`${override.pin !== undefined ? 'pinned' : 'hid'} body object "${key}"`);
        current = current.filter((arg) => !matches.includes(arg));
        continue;
      }
    }
    current = current.flatMap((arg) => {
      if (!matches.includes(arg)) return [arg];
      const result = applyOne(arg, override, depth, ctx);
      if (result.pin) pinned.push(result.pin);
      return result.arg ? [result.arg] : [];
    });
  }
  return { args: current, pinned };
}

export function reportUnknownOverrides(
  overrides: Overrides,
  used: ReadonlySet<string>,
  available: readonly string[],
  pointer: string,
  ctx: LowerContext,
): void {
  for (const key of Object.keys(overrides)) {
    if (used.has(key)) continue;
    const inside = available.find((name) => key.startsWith(`${name}.`));
    const hint = inside === undefined ? '' : ` ("${inside}" is one argument, not flattened; override "${inside}" as a whole)`;
    ctx.report(
      'lower.unknown-override',
      'error',
      pointer,
      `Override "${key}" matches no parameter or body property of this operation${hint}. Available: ${available.join(', ') || 'none'}.`,
      'Use the upstream parameter name or the dotted body path exactly as in the spec.',
    );
  }
}

interface SingleResult {
  readonly arg?: LowerArgument;
  readonly pin?: PinnedValue;
}

/** `depth`: how many leading name segments the override key stands for (renamed as one). */
function applyOne(arg: LowerArgument, override: ParameterOverride, depth: number, ctx: LowerContext): SingleResult {
  if (override.pin !== undefined) {
    ctx.notes.add(`pinned ${arg.in} "${arg.key}" to a server-side value`);
    return { pin: { in: arg.in, name: arg.key, ...(arg.bodyPath ? { bodyPath: arg.bodyPath } : {}), value: override.pin } };
  }
  if (override.hidden) {
    ctx.notes.add(`hid ${arg.in} "${arg.key}"`);
    return {};
  }
  const schema = isRecord(arg.schema) ? { ...arg.schema } : {};
  if (override.description !== undefined) schema.description = override.description;
  if (override.default !== undefined)
    schema.default = arg.jsonString && typeof override.default !== 'string' ? JSON.stringify(override.default) : override.default;
  let segments = arg.segments;
  if (override.rename !== undefined && override.rename !== '') {
    segments = [override.rename, ...arg.segments.slice(depth)];
    ctx.notes.add(`renamed ${arg.in} "${arg.key}" to "${segments.join('_')}" (override)`);
  }
  const required = override.default !== undefined ? false : arg.required;
  return { arg: { ...arg, schema, segments, required } };
}

function ownOverride(overrides: Overrides, key: string): ParameterOverride | undefined {
  return Object.prototype.hasOwnProperty.call(overrides, key) ? overrides[key] : undefined;
}
