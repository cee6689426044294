/**
 * Which way a JSON Schema validation keyword moved: `tightened` when some value
 * the old schema accepted may now be refused, `loosened` when the new schema
 * accepts everything the old one did and more. Rules:
 * - lower bounds (`minimum`, `minLength`, ...): raised or added = tightened;
 * - upper bounds (`maximum`, `maxLength`, ...): lowered or added = tightened;
 * - `pattern`, `format`, `multipleOf`, `uniqueItems: true`,
 *   `additionalProperties: false`: added or changed = tightened (a changed
 *   pattern cannot be proven looser), removed = loosened.
 */
import { canonicalJson } from '../report/canonical-json.js';

export type ConstraintDirection = 'tightened' | 'loosened';

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const RESTRICTIONS = ['pattern', 'format', 'multipleOf', 'uniqueItems', 'additionalProperties'];

export const CONSTRAINT_KEYWORDS: readonly string[] = [...LOWER_BOUNDS, ...UPPER_BOUNDS, ...RESTRICTIONS];

/** `undefined` when the keyword did not change in a way that matters. */
export function compareConstraint(keyword: string, before: unknown, after: unknown): ConstraintDirection | undefined {
  const [b, a] = [effective(keyword, before), effective(keyword, after)];
  if (canonicalJson(b) === canonicalJson(a)) return undefined;
  if (b === undefined) return 'tightened';
  if (a === undefined) return 'loosened';
  if (typeof b === 'number' && typeof a === 'number') {
    if (LOWER_BOUNDS.includes(keyword)) return a > b ? 'tightened' : 'loosened';
    if (UPPER_BOUNDS.includes(keyword)) return a < b ? 'tightened' : 'loosened';
  }
  return 'tightened';
}

/** Values that restrict nothing read as absent: `uniqueItems: false`, `additionalProperties: true` or `{}`. */
function effective(keyword: string, value: unknown): unknown {
  if (keyword === 'uniqueItems' && value === false) return undefined;
  if (keyword === 'additionalProperties' && (value === true || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)))
    return undefined;
  return value;
}
