/**
 * The file name of each generated tool module: the tool name in kebab-case
 * (`place_order` -> `place-order`, `getUserRepos` -> `get-user-repos`), so
 * generated code passes the same file-name rule as hand-written code. Tool
 * NAMES are not changed. Two names that meet in one file name (`get_foo` and
 * `getFoo`, or names that differ only in case on a case-insensitive file
 * system) get `-2`, `-3`, ... in code-point order of the tool names, so the
 * result depends only on the set of names.
 */
import { compareNames } from './view-model.js';

export function kebabCase(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return words.length > 0 ? words.join('-') : 'tool';
}

/** Tool name -> module path inside the output folder, without extension (`tools/place-order`). */
export function toolModulePaths(names: readonly string[]): ReadonlyMap<string, string> {
  const taken = new Set<string>();
  const paths = new Map<string, string>();
  for (const name of [...names].sort(compareNames)) {
    const base = kebabCase(name);
    let file = base;
    for (let n = 2; taken.has(file); n++) file = `${base}-${n}`;
    taken.add(file);
    paths.set(name, `tools/${file}`);
  }
  return paths;
}
