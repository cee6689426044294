/**
 * Input `examples` a model does not need (`defaults.inputExamples` in
 * tools.yaml); every byte of an input schema is read on every tools/list.
 *
 * - `all` (default): every example stays;
 * - `informative`: an example stays only when it shows what the schema does
 *   not already say. It is dropped from a node that has `enum`, `const`,
 *   `format` or `pattern` (the value's shape is stated), whose type is
 *   integer, number or boolean (the type says enough), or whose description
 *   already contains every example (`Ticker, e.g. AAPL.` with `[AAPL]`);
 * - `none`: every example goes.
 *
 * Only `examples` is touched: descriptions, defaults and constraints stay.
 */
import type { InputExamples } from './lower-types.js';
import { declaredTypes, mapSchemaTree, type SchemaRecord } from './schema-walk.js';

const SELF_EVIDENT_TYPES: ReadonlySet<string> = new Set(['integer', 'number', 'boolean']);
const SHAPE_KEYWORDS = ['enum', 'const', 'format', 'pattern'] as const;

export interface PrunedExamples {
  readonly schema: unknown;
  /** Whether any `examples` was removed. */
  readonly dropped: boolean;
}

export function pruneExamples(schema: unknown, mode: InputExamples = 'all'): PrunedExamples {
  if (mode === 'all') return { schema, dropped: false };
  let dropped = false;
  const pruned = mapSchemaTree(schema, (node) => {
    if (!Object.hasOwn(node, 'examples') || (mode === 'informative' && isInformative(node))) return node;
    const { examples: _examples, ...rest } = node;
    dropped = true;
    return rest;
  });
  return { schema: pruned, dropped };
}

/** Whether the node's examples show something its other keywords do not. */
export function isInformative(node: SchemaRecord): boolean {
  if (SHAPE_KEYWORDS.some((keyword) => Object.hasOwn(node, keyword))) return false;
  const types = declaredTypes(node);
  if (types !== undefined && types.length > 0 && types.every((type) => SELF_EVIDENT_TYPES.has(type))) return false;
  const examples = Array.isArray(node.examples) ? node.examples : [node.examples];
  const description = typeof node.description === 'string' ? node.description : '';
  return !examples.every((example) => description.includes(typeof example === 'string' ? example : JSON.stringify(example)));
}
