/**
 * How deeply a parsed JSON body nests, measured without recursion.
 *
 * Why: the MCP Node adapter re-serializes the parsed body with
 * `JSON.stringify`, and argument validation clones it; both recurse, so a
 * body nested some thousands of levels deep (a few kilobytes of `[[[[`)
 * overflows the stack and becomes a 500. No MCP message needs more than a
 * handful of levels, so the endpoint refuses anything over `MAX_JSON_DEPTH`
 * as an invalid request before any of that runs.
 */

export const MAX_JSON_DEPTH = 64;

/** True when `value` has arrays/objects nested more than `maxDepth` levels. */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const pending: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(next.value)) if (typeof child === 'object' && child !== null) pending.push({ value: child, depth });
  }
  return false;
}
