/**
 * Keeps objects out of object properties (claude.ai deletes such properties
 * and strips their arguments from calls). For each root argument:
 *
 * - scalars, and arrays of scalars, stay as they are;
 * - an array of objects stays when its items have no object or
 *   array-of-objects property (order `legs`), and is a JSON string otherwise;
 * - a body object with only fixed `properties` is flattened into prefixed
 *   arguments (`order_price`, routed to `bodyPath: ['order', 'price']`),
 *   recursively, required only if the parent and the child are both required,
 *   as long as one argument yields at most 30 of them;
 * - anything else that contains an object (maps, unions with objects, objects
 *   in query or header parameters, bigger objects) is taken as a JSON string
 *   with the expected shape in its description (`jsonString` route).
 */
import type { LowerArgument } from './lower-argument.js';
import type { NoteBook } from './lower-context.js';
import { summarizeShape } from './shape-summary.js';
import { ARGUMENT_NAME } from './argument-names.js';
import { declaredTypes, isArraySchema, isObjectSchema, isRecord, mapSubschemas, type SchemaRecord } from './schema-walk.js';

export const MAX_FLATTENED_PER_ARGUMENT = 30;

export function flattenArguments(args: readonly LowerArgument[], notes: NoteBook): LowerArgument[] {
  return args.flatMap((arg) => flattenArgument(arg, notes));
}

export function flattenArgument(arg: LowerArgument, notes: NoteBook): LowerArgument[] {
  const flat = flattenInto(arg, arg);
  if (flat === 'json') {
    notes.addItem('took as JSON strings', `${arg.segments.join('_')} (${jsonReason(arg)})`);
    return [toJsonStringArgument(arg)];
  }
  for (const child of flat) if (child.jsonString) notes.addItem('took as JSON strings', `${child.segments.join('_')} (nested value that cannot be flattened)`);
  if (flat.length !== 1 || flat[0] !== arg) {
    notes.add(`flattened object "${arg.segments.join('_')}" into ${flat.map((child) => child.segments.join('_')).join(', ') || 'no arguments'}`);
  }
  return flat;
}

/** The arguments `arg` becomes, or `json` when it must be one JSON string. */
function flattenInto(arg: LowerArgument, root: LowerArgument): LowerArgument[] | 'json' {
  const schema = arg.schema;
  if (!isRecord(schema) || !containsObject(schema)) return [arg];
  if (isArraySchema(schema) && !Array.isArray(schema.prefixItems)) return hasFlatItems(schema) && !hasBadPropertyNames(schema) ? [arg] : 'json';
  if (arg.in !== 'body' || !isFlattenableObject(schema) || !isRecord(schema.properties)) return 'json';
  const properties = schema.properties;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const defaults = isRecord(schema.default) ? schema.default : {};
  const out: LowerArgument[] = [];
  for (const name of Object.keys(properties)) {
    const property = properties[name];
    const inherited = isRecord(property) && defaults[name] !== undefined && property.default === undefined;
    const child: LowerArgument = {
      segments: [...arg.segments, name],
      key: `${arg.key}.${name}`,
      in: 'body',
      bodyPath: [...(arg.bodyPath ?? []), name],
      schema: inherited ? { ...property, default: defaults[name] } : property,
      required: arg.required && required.includes(name),
      pointer: arg.pointer,
      root,
    };
    const flattened = flattenInto(child, root);
    out.push(...(flattened === 'json' ? [toJsonStringArgument(child)] : flattened));
    if (out.length > MAX_FLATTENED_PER_ARGUMENT) return 'json';
  }
  return out;
}

/** An object with fixed, non-empty `properties` and nothing that makes it a map or a union. */
function isFlattenableObject(schema: unknown): boolean {
  return (
    isRecord(schema) &&
    isObjectSchema(schema) &&
    isRecord(schema.properties) &&
    Object.keys(schema.properties).length > 0 &&
    (schema.additionalProperties === undefined || schema.additionalProperties === false) &&
    schema.patternProperties === undefined &&
    !['allOf', 'anyOf', 'oneOf', 'not'].some((keyword) => schema[keyword] !== undefined)
  );
}

/** True when the array's items have no property (or map value) that contains an object, and are no union of objects. */
function hasFlatItems(schema: SchemaRecord): boolean {
  const items = schema.items;
  if (!isRecord(items) || !containsObject(items)) return true;
  if (!isObjectSchema(items) || ['allOf', 'anyOf', 'oneOf', 'not'].some((keyword) => items[keyword] !== undefined)) return false;
  const values = [
    ...Object.values(isRecord(items.properties) ? items.properties : {}),
    ...Object.values(isRecord(items.patternProperties) ? items.patternProperties : {}),
  ];
  if (isRecord(items.additionalProperties)) values.push(items.additionalProperties);
  return values.every((value) => !containsObject(value));
}

/** True when some nested `properties` key is not a valid tool argument name (Claude rejects those keys too). */
function hasBadPropertyNames(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  let bad = isRecord(schema.properties) && Object.keys(schema.properties).some((name) => !ARGUMENT_NAME.test(name));
  mapSubschemas(schema, (child) => {
    bad = bad || hasBadPropertyNames(child);
    return child;
  });
  return bad;
}

/** True when the schema is, or may be, an object or contains one through arrays and unions. */
export function containsObject(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  if (isObjectSchema(schema) || (declaredTypes(schema) ?? []).includes('object')) return true;
  for (const keyword of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
    const list = schema[keyword];
    if (Array.isArray(list) && list.some(containsObject)) return true;
  }
  return containsObject(schema.items) || containsObject(schema.not) || containsObject(schema.contains);
}

function jsonReason(arg: LowerArgument): string {
  const schema = arg.schema;
  if (isRecord(schema) && isArraySchema(schema)) return hasFlatItems(schema) ? 'item property names Claude does not accept' : 'array items contain objects';
  if (arg.in !== 'body') return `object in a ${arg.in} parameter`;
  if (isFlattenableObject(schema)) return `more than ${MAX_FLATTENED_PER_ARGUMENT} fields when flattened`;
  if (isObjectSchema(schema)) return 'free-form object';
  return 'union with objects';
}

/** The argument as one string holding JSON; the description tells the expected shape. */
export function toJsonStringArgument(arg: LowerArgument, maxSummary = 400): LowerArgument {
  const source = isRecord(arg.schema) ? arg.schema : {};
  const kind = isArraySchema(source) ? 'array' : isObjectSchema(source) ? 'object' : 'value';
  const original = typeof source.description === 'string' ? source.description.trim() : '';
  const lead = original === '' ? '' : /[.!?:]$/.test(original) ? `${original} ` : `${original}. `;
  const schema: SchemaRecord = { type: 'string', description: `${lead}JSON-encoded ${kind}: ${summarizeShape(source, maxSummary)}` };
  if (source.default !== undefined) schema.default = JSON.stringify(source.default);
  return { ...arg, schema, jsonString: true };
}
