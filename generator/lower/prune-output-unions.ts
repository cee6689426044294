/**
 * Output lowering only: leaves out, before they are expanded, the `anyOf` /
 * `oneOf` unions whose compacted result cannot depend on their variants.
 *
 * `compact-output.ts` turns a union whose variants are of different kinds
 * (an "id or expanded object": `anyOf: [{type: string}, {$ref: Customer}]`)
 * into `{}` and then ignores it, so expanding the object variant is wasted
 * work; on payment-style specs, where most properties are such unions, it
 * is most of the output expansion and spends the tool's size budget on
 * nothing (`inline-refs.ts`). The result is the same schema, built without
 * walking the variants.
 *
 * Rules (conservative: a variant whose kind is not plain from its own node
 * counts as unknown, and a union with an unknown variant is kept):
 * - a variant's kind is its single non-null `type`, after following `$ref`
 *   (at most `MAX_REF_HOPS`, and only with annotations beside it), when the node has no `allOf`/`anyOf`/`oneOf`
 *   (those can change the compacted kind); `integer` counts as `number`;
 * - a variant that only admits `null` is ignored (compaction drops it);
 * - two variants of known, different kinds: the union is left out.
 *
 * It does not touch input schemas: there the variants are described to the
 * caller (`flatten-nested.ts`).
 */
import type { LowerContext } from './lower-context.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

const MAX_REF_HOPS = 8;
const KINDS: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);
const UNIONS = ['anyOf', 'oneOf'] as const;
const REF_ANNOTATIONS: ReadonlySet<string> = new Set(['$ref', 'description', 'summary', 'title', 'nullable', 'deprecated', 'readOnly', 'example', 'examples']);

/** A node without the unions that compact to nothing; the node itself when there are none. */
export function createOutputUnionPruner(ctx: LowerContext): (node: SchemaRecord) => SchemaRecord {
  return (node) => {
    let out = node;
    for (const keyword of UNIONS) {
      const variants = node[keyword];
      if (!Array.isArray(variants) || !mixesKinds(variants, ctx)) continue;
      if (out === node) out = { ...node };
      delete out[keyword];
    }
    return out;
  };
}

function mixesKinds(variants: readonly unknown[], ctx: LowerContext): boolean {
  const kinds = new Set<string>();
  for (const variant of variants) {
    const kind = kindOfVariant(variant, ctx);
    if (kind === 'unknown') return false;
    if (kind !== 'null') kinds.add(kind);
  }
  return kinds.size > 1;
}

function kindOfVariant(variant: unknown, ctx: LowerContext): string {
  let node = variant;
  for (let hops = 0; isRecord(node) && typeof node.$ref === 'string'; hops += 1) {
    // Other keywords next to `$ref` may be combined with the target (`inline-refs.ts`), changing its kind.
    if (hops === MAX_REF_HOPS || !Object.keys(node).every((key) => REF_ANNOTATIONS.has(key))) return 'unknown';
    node = ctx.resolve(node.$ref)?.value;
  }
  if (!isRecord(node) || UNIONS.some((keyword) => node[keyword] !== undefined) || node.allOf !== undefined) return 'unknown';
  const types = (Array.isArray(node.type) ? node.type : [node.type]).filter((type) => type !== undefined);
  const nonNull = types.filter((type) => type !== 'null');
  if (types.length > 0 && nonNull.length === 0) return 'null';
  if (nonNull.length !== 1 || typeof nonNull[0] !== 'string' || !KINDS.has(nonNull[0])) return 'unknown';
  return nonNull[0] === 'integer' ? 'number' : nonNull[0];
}
