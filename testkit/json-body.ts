/**
 * Typed parsers for JSON answers in tests: the body must be a JSON object, else the test fails saying what came
 * back instead. Does not check fields: each test asserts the fields it reads.
 */
import { isJsonObject } from '../runtime/json-object.js';

export function parseJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value)) throw new Error(`expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

export async function readJsonObject(response: Response): Promise<Record<string, unknown>> {
  return parseJsonObject(await response.text());
}
