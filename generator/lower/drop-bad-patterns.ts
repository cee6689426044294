/**
 * Drops regular expressions that are not valid ECMAScript with the `u` flag,
 * which is how Ajv compiles them: such a `pattern` (or `patternProperties`
 * key) would make the whole tool's schema fail to compile.
 *
 * Each drop is a `lower.pattern-dropped` warning naming the pattern and the
 * pointer of the schema it was in (the component, for inlined refs).
 */
import { joinPointer } from '../issues.js';
import type { LowerContext } from './lower-context.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

const validity = new Map<string, boolean>();

/** True when `new RegExp(pattern, 'u')` accepts the pattern. */
export function isValidUnicodePattern(pattern: string): boolean {
  let valid = validity.get(pattern);
  if (valid === undefined) {
    try {
      new RegExp(pattern, 'u');
      valid = true;
    } catch {
      valid = false;
    }
    validity.set(pattern, valid);
  }
  return valid;
}

export type PatternReporter = Pick<LowerContext, 'report'>;

export function dropBadPatterns(node: SchemaRecord, pointer: string, reporter: PatternReporter): SchemaRecord {
  let out = node;
  if (typeof node.pattern === 'string' && !isValidUnicodePattern(node.pattern)) {
    out = { ...node };
    delete out.pattern;
    reportDropped(reporter, joinPointer(pointer, 'pattern'), node.pattern);
  }
  if (isRecord(node.patternProperties)) {
    const keys = Object.keys(node.patternProperties);
    const bad = keys.filter((key) => !isValidUnicodePattern(key));
    if (bad.length > 0) {
      const kept: SchemaRecord = {};
      for (const key of keys) if (!bad.includes(key)) kept[key] = node.patternProperties[key];
      out = { ...out, patternProperties: kept };
      if (keys.length === bad.length) delete out.patternProperties;
      for (const key of bad) reportDropped(reporter, joinPointer(pointer, 'patternProperties', key), key);
    }
  }
  return out;
}

function reportDropped(reporter: PatternReporter, pointer: string, pattern: string): void {
  reporter.report(
    'lower.pattern-dropped',
    'warning',
    pointer,
    `Pattern ${JSON.stringify(pattern)} is not a valid ECMAScript regular expression with the "u" flag; it was dropped from the tool schema.`,
    'Rewrite it so that new RegExp(pattern, "u") accepts it (e.g. no escapes of ordinary characters such as "\\_", no possessive quantifiers).',
  );
}
