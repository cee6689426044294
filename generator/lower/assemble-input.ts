/**
 * Builds the tool's input schema and routes from the final argument list:
 * `{ type: 'object', properties, required?, additionalProperties: false }`
 * with one route per property, in the same order.
 */
import type { ArgumentRoute, JsonSchema } from '../../runtime/contract/tool-definition.js';
import { assignArgumentNames, type NamedArgument } from './argument-names.js';
import type { LowerArgument } from './lower-argument.js';
import { NoteBook } from './lower-context.js';
import { setOwn, type SchemaRecord } from './schema-walk.js';

export interface AssembledInput {
  readonly inputSchema: JsonSchema;
  readonly routes: readonly ArgumentRoute[];
  readonly named: readonly NamedArgument[];
  /** UTF-8 length of `JSON.stringify(inputSchema)`. */
  readonly bytes: number;
  /** Notes from naming (renames), kept apart until the final assembly is chosen. */
  readonly notes: NoteBook;
}

const encoder = new TextEncoder();

export function assembleInput(args: readonly LowerArgument[]): AssembledInput {
  const notes = new NoteBook();
  const named = assignArgumentNames(args, notes);
  const properties: SchemaRecord = {};
  const required: string[] = [];
  const routes: ArgumentRoute[] = [];
  for (const arg of named) {
    setOwn(properties, arg.name, arg.schema);
    if (arg.required) required.push(arg.name);
    routes.push(routeOf(arg));
  }
  const inputSchema: SchemaRecord = { type: 'object', properties };
  if (required.length > 0) inputSchema.required = required;
  inputSchema.additionalProperties = false;
  return { inputSchema, routes, named, bytes: schemaBytes(inputSchema), notes };
}

export function schemaBytes(schema: unknown): number {
  const text = JSON.stringify(schema);
  return /^\p{ASCII}*$/u.test(text) ? text.length : encoder.encode(text).length;
}

function routeOf(arg: NamedArgument): ArgumentRoute {
  return {
    argument: arg.name,
    in: arg.in,
    name: arg.key,
    ...(arg.in === 'body' ? { bodyPath: arg.bodyPath ?? [] } : {}),
    ...(arg.jsonString ? { jsonString: true } : {}),
  };
}
