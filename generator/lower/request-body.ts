/**
 * Turns the request body of one operation into tool arguments.
 *
 * - Media type, in order of preference: `application/json`, any `+json`,
 *   `application/x-www-form-urlencoded`, `multipart/form-data`, `*\/*`.
 *   A body with none of these cannot be sent: a warning (an error when the
 *   body is required).
 * - The schema is inlined and given an object root (`flatten-root.ts`).
 * - An object body contributes one argument per property (`bodyPath: [prop]`);
 *   a property is required when the body is required and the schema requires
 *   it. Any other body (array, scalar, free-form map, union) is one `body`
 *   argument with `bodyPath: []`.
 */
import { joinPointer } from '../issues.js';
import { flattenRoot } from './flatten-root.js';
import type { SchemaInliner } from './inline-refs.js';
import type { LowerArgument } from './lower-argument.js';
import type { LowerContext } from './lower-context.js';
import { isObjectSchema, isRecord, type SchemaRecord } from './schema-walk.js';

const MEDIA_PREFERENCE: readonly ((mediaType: string) => boolean)[] = [
  (type) => type === 'application/json',
  (type) => type.endsWith('+json'),
  (type) => type === 'application/x-www-form-urlencoded',
  (type) => type === 'multipart/form-data',
  (type) => type === '*/*' || type === 'application/*',
];

export function requestBodyArguments(operation: SchemaRecord, operationPointer: string, ctx: LowerContext, inliner: SchemaInliner): LowerArgument[] {
  if (operation.requestBody === undefined) return [];
  let pointer = joinPointer(operationPointer, 'requestBody');
  let body: unknown = operation.requestBody;
  for (let hops = 0; isRecord(body) && typeof body.$ref === 'string' && hops < 16; hops += 1) {
    const resolved = ctx.resolve(body.$ref);
    body = resolved?.value;
    pointer = resolved?.pointer ?? pointer;
  }
  if (!isRecord(body) || !isRecord(body.content)) {
    ctx.report(
      'lower.body-unsupported',
      'warning',
      pointer,
      'The request body has no resolvable content; the tool sends no body.',
      'Describe the body with content: {application/json: {schema}}.',
    );
    return [];
  }
  const required = body.required === true;
  const mediaType = pickMediaType(Object.keys(body.content));
  if (mediaType === undefined) {
    const types = Object.keys(body.content).join(', ') || 'none';
    ctx.report(
      'lower.body-unsupported',
      required ? 'error' : 'warning',
      joinPointer(pointer, 'content'),
      `The request body's media types (${types}) are not JSON or forms; the tool ${required ? 'cannot send the required body' : 'sends no body'}.`,
      'Offer an application/json (or form) representation of the body, or leave this operation out of tools.yaml.',
    );
    return [];
  }
  const media = body.content[mediaType];
  const schemaPointer = joinPointer(pointer, 'content', mediaType, 'schema');
  const raw = isRecord(media) && media.schema !== undefined ? media.schema : {};
  const schema = flattenRoot(inliner.inline(raw, schemaPointer), ctx, schemaPointer);
  if (isRecord(schema) && isObjectSchema(schema) && isRecord(schema.properties) && Object.keys(schema.properties).length > 0) {
    return propertyArguments(schema, schema.properties, required, schemaPointer, ctx);
  }
  const whole: SchemaRecord = isRecord(schema) ? { ...schema } : {};
  if (whole.description === undefined && typeof body.description === 'string' && body.description !== '') whole.description = body.description;
  return [{ segments: ['body'], key: 'body', in: 'body', bodyPath: [], schema: whole, required, pointer: schemaPointer }];
}

function pickMediaType(mediaTypes: readonly string[]): string | undefined {
  for (const matches of MEDIA_PREFERENCE) {
    const found = mediaTypes.find((mediaType) => matches(mediaType.split(';')[0].trim().toLowerCase()));
    if (found !== undefined) return found;
  }
  return undefined;
}

function propertyArguments(schema: SchemaRecord, properties: SchemaRecord, bodyRequired: boolean, pointer: string, ctx: LowerContext): LowerArgument[] {
  const requiredNames = Array.isArray(schema.required) ? schema.required : [];
  if (isRecord(schema.additionalProperties) || schema.additionalProperties === true || isRecord(schema.patternProperties)) {
    ctx.notes.add('the request body also accepts arbitrary extra properties; the tool sends only the described ones');
  }
  return Object.keys(properties).map((name) => ({
    segments: [name],
    key: name,
    in: 'body' as const,
    bodyPath: [name],
    schema: properties[name],
    required: bodyRequired && requiredNames.includes(name),
    pointer: joinPointer(pointer, 'properties', name),
  }));
}
