/**
 * Issue 12 finding 2, generator side: every string argument of the committed
 * Aries tools that reaches a URL or a body has a `maxLength` (or is bounded
 * by `enum`/`const`). `get_quote.symbol` had none, so a 74 KB symbol went
 * into the upstream URL.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isJsonObject } from '../../../runtime/json-object.js';

const surface = z
  .looseObject({
    tools: z.array(z.looseObject({ name: z.string(), inputSchema: z.looseObject({ properties: z.record(z.string(), z.unknown()).optional() }) })),
  })
  .parse(JSON.parse(readFileSync('generated/tool-surface.json', 'utf8')));

/** Pointers of string schemas below `schema` without a length bound. */
function unbounded(schema: unknown, pointer: string): string[] {
  if (!isJsonObject(schema)) return [];
  const node = schema;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const own = types.includes('string') && node.maxLength === undefined && node.enum === undefined && !('const' in node) ? [pointer] : [];
  const children = [
    ...Object.entries(isJsonObject(node.properties) ? node.properties : {}).map(([name, child]) => unbounded(child, `${pointer}.${name}`)),
    unbounded(node.items, `${pointer}[]`),
    ...(Array.isArray(node.anyOf) ? node.anyOf : []).map((child, index) => unbounded(child, `${pointer}|${index}`)),
  ];
  return [...own, ...children.flat()];
}

describe('string arguments of the Aries tools', () => {
  it.each(surface.tools.map((tool) => [tool.name, tool] as const))('%s: every string has a maxLength', (_name, tool) => {
    const found = Object.entries(tool.inputSchema.properties ?? {}).flatMap(([name, schema]) => unbounded(schema, name));
    expect(found).toEqual([]);
  });

  it('get_quote.symbol is bounded for the URL', () => {
    const quote = surface.tools.find((tool) => tool.name === 'get_quote');
    const symbol = quote?.inputSchema.properties?.['symbol'];
    expect(isJsonObject(symbol) ? symbol['maxLength'] : undefined).toBe(256);
  });
});
