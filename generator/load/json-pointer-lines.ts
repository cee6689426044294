/**
 * The 1-based line where each of some JSON pointers (given as their decoded
 * tokens) starts in a JSON text, found in one streaming pass with
 * jsonc-parser's visitor: no tree is built, and objects and arrays off every
 * asked-for path are scanned but not visited. A pointer whose target does not exist gets the line of its
 * deepest existing ancestor (a missing property is reported at its parent),
 * as the YAML source map does.
 *
 * It answers lines only; parsing the value is `JSON.parse`'s job, and the
 * text is assumed to have passed it (on a syntax error the lines found so far
 * are returned).
 */
import { visit } from 'jsonc-parser';

interface Target {
  readonly children: Map<string, Target>;
  line?: number;
}

interface Frame {
  readonly target: Target | undefined;
  /** Arrays: the index of the next element. */
  index: number;
  readonly isArray: boolean;
}

export function jsonPointerLines(text: string, paths: readonly (readonly string[])[]): (number | undefined)[] {
  const root: Target = { children: new Map() };
  for (const tokens of paths) {
    let node = root;
    for (const token of tokens) {
      let child = node.children.get(token);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(token, child);
      }
      node = child;
    }
  }

  const stack: Frame[] = [];
  let property: string | undefined;
  /** The target of the value that starts here (root, property value or array element); records its line. */
  const enter = (line: number): Target | undefined => {
    const parent = stack.at(-1);
    let target: Target | undefined;
    if (parent === undefined) target = root;
    else if (parent.isArray) target = parent.target?.children.get(String(parent.index++));
    else target = property === undefined ? undefined : parent.target?.children.get(property);
    if (target !== undefined) target.line = line + 1;
    return target;
  };
  const begin = (isArray: boolean) => (_offset: number, _length: number, line: number) => {
    const target = enter(line);
    stack.push({ target, index: 0, isArray });
    // Nothing asked for inside: let the scanner skip the children's callbacks.
    return target !== undefined && target.children.size > 0;
  };
  visit(text, {
    onObjectBegin: begin(false),
    onArrayBegin: begin(true),
    onObjectEnd: () => void stack.pop(),
    onArrayEnd: () => void stack.pop(),
    onObjectProperty: (name) => {
      property = name;
    },
    onLiteralValue: (_value, _offset, _length, line) => void enter(line),
  });

  return paths.map((tokens) => {
    let node: Target | undefined = root;
    let line = root.line;
    for (const token of tokens) {
      node = node.children.get(token);
      if (node?.line === undefined) break;
      line = node.line;
    }
    return line;
  });
}
