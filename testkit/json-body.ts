/**
 * Typed parsers for JSON answers in tests: the body must be a JSON object (or match the given zod schema), else the
 * test fails saying what came back instead. Does not check fields beyond the schema: each test asserts what it reads.
 */
import { z } from 'zod';
import { isJsonObject } from '../runtime/json-object.js';

export function parseJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value)) throw new Error(`expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

export async function readJsonObject(response: Response): Promise<Record<string, unknown>> {
  return parseJsonObject(await response.text());
}

/** The body parsed with `schema`: a mismatch throws a ZodError naming the path of the field that differs. */
export async function readJsonAs<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(await response.json());
}

/** A JSON-RPC answer to `tools/call` with text content (MCP 2025-06-18 "Tool Result"). */
export const toolCallAnswer = z.looseObject({
  result: z.looseObject({ isError: z.boolean().optional(), content: z.array(z.looseObject({ text: z.string() })) }),
});

/** A JSON-RPC answer to `tools/list`: the tool names are what the tests compare. */
export const toolsListAnswer = z.looseObject({ result: z.looseObject({ tools: z.array(z.looseObject({ name: z.string() })) }) });

/** JSON Schema `properties`: each value a schema object, so walking them needs no cast. */
export const schemaMap = z.record(z.string(), z.record(z.string(), z.unknown()));
