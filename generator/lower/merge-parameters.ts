/**
 * Collects the parameters of one operation as tool arguments:
 *
 * - path-item parameters first, then the operation's; the operation's wins on
 *   the same name and `in` (it takes the path-item one's place);
 * - ordered path, query, header (spec order inside each group); the request
 *   body's properties follow (`request-body.ts`);
 * - cookie parameters are skipped with a warning; `Authorization`, `Accept` and
 *   `Content-Type` headers are skipped (the gateway sets them);
 * - path parameters are always required, others when `required: true`;
 * - the description is the parameter's (or its schema's); header parameters
 *   get "(in: header)".
 *
 * Name collisions and sanitizing happen later, in `argument-names.ts`.
 */
import { joinPointer } from '../issues.js';
import { stripNull } from './flatten-root.js';
import type { SchemaInliner } from './inline-refs.js';
import { ARGUMENT_ORDER, type ArgumentIn, type LowerArgument } from './lower-argument.js';
import type { LowerContext } from './lower-context.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

const GATEWAY_HEADERS: ReadonlySet<string> = new Set(['authorization', 'accept', 'content-type']);

export interface ParameterSource {
  readonly pathItem: SchemaRecord;
  readonly pathItemPointer: string;
  readonly operation: SchemaRecord;
  readonly operationPointer: string;
}

interface FoundParameter {
  readonly parameter: SchemaRecord;
  readonly pointer: string;
}

export function mergeParameters(source: ParameterSource, ctx: LowerContext, inliner: SchemaInliner): LowerArgument[] {
  const merged = new Map<string, FoundParameter>();
  for (const [list, pointer] of [
    [source.pathItem.parameters, joinPointer(source.pathItemPointer, 'parameters')],
    [source.operation.parameters, joinPointer(source.operationPointer, 'parameters')],
  ] as const) {
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      const found = resolveParameter(entry, joinPointer(pointer, index), ctx);
      if (found) merged.set(`${String(found.parameter.in)}\u0000${String(found.parameter.name)}`, found);
    });
  }
  const kept: { found: FoundParameter; where: ArgumentIn }[] = [];
  for (const found of merged.values()) {
    const where = keptLocation(found, ctx);
    if (where) kept.push({ found, where });
  }
  kept.sort((a, b) => ARGUMENT_ORDER.indexOf(a.where) - ARGUMENT_ORDER.indexOf(b.where));
  return kept.map(({ found, where }) => toArgument(found, where, inliner));
}

function isParameterLocation(value: unknown): value is 'path' | 'query' | 'header' {
  return value === 'path' || value === 'query' || value === 'header';
}

function resolveParameter(entry: unknown, pointer: string, ctx: LowerContext): FoundParameter | undefined {
  let current = entry;
  let at = pointer;
  for (let hops = 0; isRecord(current) && typeof current.$ref === 'string' && hops < 16; hops += 1) {
    const resolved = ctx.resolve(current.$ref);
    if (!resolved) {
      ctx.report(
        'lower.unresolved-ref',
        'warning',
        at,
        `Parameter reference "${current.$ref}" cannot be resolved; the parameter is skipped.`,
        'Point the $ref at an existing #/components/parameters entry.',
      );
      return undefined;
    }
    current = resolved.value;
    at = resolved.pointer;
  }
  if (!isRecord(current) || typeof current.name !== 'string' || typeof current.in !== 'string') {
    ctx.report(
      'lower.parameter-invalid',
      'warning',
      at,
      'This parameter has no string "name" and "in"; it is skipped.',
      'Give the parameter a name and an "in".',
    );
    return undefined;
  }
  return { parameter: current, pointer: at };
}

/** Where the parameter goes, or undefined when the tool cannot or should not send it. */
function keptLocation({ parameter, pointer }: FoundParameter, ctx: LowerContext): ArgumentIn | undefined {
  const name = String(parameter.name);
  if (parameter.in === 'cookie') {
    ctx.report(
      'lower.cookie-skipped',
      'warning',
      pointer,
      `Cookie parameter "${name}" cannot be sent by the gateway; it is not part of the tool.`,
      'Pass the value as a header or query parameter, or pin it server-side if the API needs it.',
    );
    return undefined;
  }
  if (parameter.in === 'header' && GATEWAY_HEADERS.has(name.toLowerCase())) {
    ctx.notes.addItem('skipped headers the gateway sets', name);
    return undefined;
  }
  if (!isParameterLocation(parameter.in)) {
    ctx.report(
      'lower.parameter-invalid',
      'warning',
      pointer,
      `Parameter "${name}" has unsupported "in: ${String(parameter.in)}"; it is skipped.`,
      'Use in: path, query, header or cookie (OpenAPI 3 describes bodies with requestBody).',
    );
    return undefined;
  }
  return parameter.in;
}

function toArgument({ parameter, pointer }: FoundParameter, where: ArgumentIn, inliner: SchemaInliner): LowerArgument {
  const name = String(parameter.name);
  const [raw, schemaPointer] = parameterSchema(parameter, pointer);
  const inlined = stripNull(inliner.inline(raw, schemaPointer));
  const schema: SchemaRecord = isRecord(inlined) ? { ...inlined } : {};
  const base = typeof parameter.description === 'string' && parameter.description !== '' ? parameter.description : schema.description;
  const description = where === 'header' ? [base, '(in: header)'].filter((part) => typeof part === 'string' && part !== '').join(' ') : base;
  if (typeof description === 'string' && description !== '') schema.description = description;
  return { segments: [name], key: name, in: where, schema, required: where === 'path' || parameter.required === true, pointer };
}

/** The parameter's `schema`, else the schema of its single `content` entry, else a plain string. */
function parameterSchema(parameter: SchemaRecord, pointer: string): [unknown, string] {
  if (parameter.schema !== undefined) return [parameter.schema, joinPointer(pointer, 'schema')];
  if (isRecord(parameter.content)) {
    for (const mediaType of Object.keys(parameter.content)) {
      const media = parameter.content[mediaType];
      if (isRecord(media) && media.schema !== undefined) return [media.schema, joinPointer(pointer, 'content', mediaType, 'schema')];
    }
  }
  return [{ type: 'string' }, pointer];
}
