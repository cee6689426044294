/**
 * Applies a response projection (`ratings[].ticker`, `accountId`) to a
 * compacted output schema: only the listed properties and their parents stay.
 *
 * - `.` separates property names; `[]` descends into array items; a path that
 *   ends on a property keeps its whole subtree.
 * - Paths apply to what the tool returns, so a wrapped array response is
 *   `items[].x` (the runtime projects the wrapped value the same way).
 * - Like the runtime, a property name met on an array applies to its items
 *   (`items.x` is `items[].x`).
 * - Below an unconstrained schema (`{}`) nothing can be checked and the rest of
 *   the path is accepted.
 * - A path that does not exist is a `lower.unknown-projection` error and is
 *   ignored.
 */
import type { LowerContext } from './lower-context.js';
import { isRecord, setOwn, type SchemaRecord } from './schema-walk.js';

interface Trie {
  whole: boolean;
  readonly children: Map<string, Trie>;
}

export function parseProjectionPath(path: string): string[] {
  const tokens: string[] = [];
  for (const part of path.split('.')) {
    const match = /^(.*?)((?:\[\])*)$/.exec(part);
    const name = match?.[1] ?? part;
    if (name !== '') tokens.push(name);
    for (let i = 0; i < (match?.[2].length ?? 0) / 2; i += 1) tokens.push('[]');
  }
  return tokens;
}

export function projectOutput(
  schema: SchemaRecord,
  paths: readonly string[],
  wrap: 'items' | 'value' | undefined,
  ctx: LowerContext,
  pointer: string,
): SchemaRecord {
  const root: Trie = { whole: false, children: new Map() };
  for (const path of paths) {
    const tokens = parseProjectionPath(path);
    const problem = tokens.length === 0 ? 'it is empty' : findProblem(schema, tokens);
    if (problem !== undefined) {
      ctx.report(
        'lower.unknown-projection',
        'error',
        pointer,
        `Projection path "${path}" does not exist in the response: ${problem}.`,
        `Use dotted property names with [] for array items${wrap === 'items' ? ' (the response is an array wrapped as items: start with items[])' : ''}.`,
      );
      continue;
    }
    let trie = root;
    for (const token of tokens) {
      let next = trie.children.get(token);
      if (!next) {
        next = { whole: false, children: new Map() };
        trie.children.set(token, next);
      }
      trie = next;
    }
    trie.whole = true;
  }
  if (root.children.size === 0) return schema;
  ctx.notes.add(`projected the output to ${paths.join(', ')}`);
  return project(schema, root);
}

function isUnconstrained(schema: SchemaRecord): boolean {
  return Object.keys(schema).length === 0;
}

function findProblem(schema: SchemaRecord, tokens: readonly string[]): string | undefined {
  let current = schema;
  for (const [index, token] of tokens.entries()) {
    if (isUnconstrained(current)) return undefined;
    const at =
      index === 0
        ? 'the root'
        : `"${tokens
            .slice(0, index)
            .join('.')
            .replace(/\.\[\]/g, '[]')}"`;
    if (token === '[]') {
      if (!isRecord(current.items)) return `${at} is not an array of described items`;
      current = current.items;
    } else {
      while (!isRecord(current.properties) && isRecord(current.items)) current = current.items;
      if (isUnconstrained(current)) return undefined;
      const properties = isRecord(current.properties) ? current.properties : {};
      const next = Object.prototype.hasOwnProperty.call(properties, token) ? properties[token] : undefined;
      if (!isRecord(next)) return `${at} has no property "${token}"`;
      current = next;
    }
  }
  return undefined;
}

function project(schema: SchemaRecord, trie: Trie): SchemaRecord {
  if (trie.whole || isUnconstrained(schema)) return schema;
  const named = [...trie.children.keys()].some((token) => token !== '[]');
  if (named && !isRecord(schema.properties) && isRecord(schema.items)) return { ...schema, items: project(schema.items, trie) };
  return projectObject(schema, trie);
}

function projectObject(schema: SchemaRecord, trie: Trie): SchemaRecord {
  const out: SchemaRecord = { ...schema };
  const properties: SchemaRecord = {};
  let named = false;
  for (const [token, child] of trie.children) {
    if (token === '[]') {
      if (isRecord(schema.items)) out.items = project(schema.items, child);
      continue;
    }
    named = true;
    const source = isRecord(schema.properties) ? schema.properties[token] : undefined;
    if (isRecord(source)) setOwn(properties, token, project(source, child));
  }
  if (named) {
    out.properties = properties;
    delete out.additionalProperties;
    if (Array.isArray(out.required)) {
      const required = out.required.filter((name) => typeof name === 'string' && Object.prototype.hasOwnProperty.call(properties, name));
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
  }
  return out;
}
