/**
 * The 1-based line where each of some JSON pointers (given as their decoded
 * tokens) starts in a JSON text: the line of the value's first character, as
 * the YAML source map reports it. A pointer whose target does not exist gets
 * the line of its deepest existing ancestor (a missing property is reported at
 * its parent).
 *
 * No tree is built and the text is read only as far as the pointers need:
 * each step walks the members of one object or array, skipping the values
 * before the one it wants (strings by `indexOf`, nested containers by
 * counting brackets outside strings). On GitHub's 10 MB spec a pointer into
 * `#/paths` costs milliseconds; parsing the text into a tree first (the YAML
 * CST took 4 s, a full jsonc-parser pass 0.3 to 0.8 s) is what this avoids.
 *
 * It answers lines only and assumes the text passed `JSON.parse` (it is only
 * asked about documents that did); with a duplicate key, the first is found.
 */

export function jsonPointerLines(text: string, paths: readonly (readonly string[])[]): (number | undefined)[] {
  const starts = new Map<string, number | undefined>();
  const startOf = (tokens: readonly string[]): number | undefined => {
    const key = JSON.stringify(tokens);
    if (starts.has(key)) return starts.get(key);
    const parent = tokens.length === 0 ? undefined : startOf(tokens.slice(0, -1));
    const start = tokens.length === 0 ? skipSpace(text, 0) : parent === undefined ? undefined : childStart(text, parent, tokens.at(-1)!);
    starts.set(key, start);
    return start;
  };
  const offsets = paths.map((tokens) => {
    // The deepest existing ancestor: the longest prefix that has a start.
    for (let depth = tokens.length; depth >= 0; depth -= 1) {
      const start = startOf(tokens.slice(0, depth));
      if (start !== undefined) return start;
    }
    return undefined;
  });
  return linesAt(text, offsets);
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipSpace(text: string, at: number): number {
  let index = at;
  while (SPACE.has(text.charCodeAt(index))) index += 1;
  return index;
}

/** `at` is an opening quote; returns the index after the closing one (RFC 8259 §7: `"` inside is escaped by `\`). */
function skipString(text: string, at: number): number {
  let quote = text.indexOf('"', at + 1);
  for (;;) {
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

/** `at` starts a value; returns the index after it. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === 0x22) return skipString(text, at);
  if (first !== 0x7b && first !== 0x5b) {
    let index = at;
    // A number, true, false or null: up to the next separator.
    while (index < text.length && !/[\s,\]}]/.test(text[index]!)) index += 1;
    return index;
  }
  let depth = 0;
  for (let index = at; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x22) index = skipString(text, index) - 1;
    else if (code === 0x7b || code === 0x5b) depth += 1;
    else if ((code === 0x7d || code === 0x5d) && --depth === 0) return index + 1;
  }
  return text.length;
}

/** The start of the member `token` of the object or array whose value starts at `at`, if it has one. */
function childStart(text: string, at: number, token: string): number | undefined {
  const open = text.charCodeAt(at);
  if (open !== 0x7b && open !== 0x5b) return undefined;
  const wanted = open === 0x5b ? arrayIndex(token) : token;
  if (wanted === undefined) return undefined;
  let index = skipSpace(text, at + 1);
  for (let position = 0; index < text.length; position += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x7d || code === 0x5d) return undefined;
    let matches = position === wanted;
    if (open === 0x7b) {
      const keyEnd = skipString(text, index);
      const raw = text.slice(index + 1, keyEnd - 1);
      matches = (raw.includes('\\') ? String(JSON.parse(text.slice(index, keyEnd))) : raw) === wanted;
      index = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    }
    if (matches) return index;
    index = skipSpace(text, skipValue(text, index));
    if (text.charCodeAt(index) === 0x2c) index = skipSpace(text, index + 1);
  }
  return undefined;
}

function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

/** 1-based lines of the offsets, counting newlines once in ascending order. */
function linesAt(text: string, offsets: readonly (number | undefined)[]): (number | undefined)[] {
  const order = offsets.flatMap((offset, index) => (offset === undefined ? [] : [{ offset, index }])).sort((a, b) => a.offset - b.offset);
  const lines: (number | undefined)[] = offsets.map(() => undefined);
  let line = 1;
  let newline = text.indexOf('\n');
  for (const { offset, index } of order) {
    while (newline !== -1 && newline < offset) {
      line += 1;
      newline = text.indexOf('\n', newline + 1);
    }
    lines[index] = line;
  }
  return lines;
}
