/**
 * Maps JSON pointers in a YAML or JSON file back to 1-based line numbers, so
 * every issue can say `spec/tools.yaml:12`. YAML: the `yaml` CST's node
 * ranges.
 *
 * JSON text is parsed with `JSON.parse` (a 10 MB spec in a fraction of the
 * time the YAML parser takes), and its lines are looked up only when asked
 * for, that is when there is an issue to report, by reading the text only
 * as far as the pointers asked at once need (`json-pointer-lines.ts`):
 * building the YAML CST of GitHub's 10 MB spec for two warnings took 4 s and
 * most of the generator's peak memory.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { jsonPointerLines } from './json-pointer-lines.js';

export interface SourceMap {
  lineOf(pointer: string): number | undefined;
  /** The lines of several pointers at once (one pass over a JSON text instead of one per pointer). */
  linesOf(pointers: readonly string[]): (number | undefined)[];
}

export interface ParsedSource {
  readonly value: unknown;
  readonly errors: readonly { message: string; line?: number }[];
  readonly sourceMap: SourceMap;
}

export function parseSource(text: string): ParsedSource {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { value: JSON.parse(text), errors: [], sourceMap: jsonSourceMap(text) };
    } catch {
      // Not JSON after all (YAML flow style, or a syntax error): the YAML parser says where.
    }
  }
  const parsed = parseYaml(text);
  return {
    value: parsed.errors.length === 0 ? parsed.doc.toJS({ maxAliasCount: 1000 }) : undefined,
    errors: parsed.errors,
    sourceMap: createSourceMap(parsed.doc, parsed.lineCounter),
  };
}

function parseYaml(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors = doc.errors.map((error) => ({
    message: error.message.split('\n')[0] ?? error.message,
    line: lineCounter.linePos(error.pos[0]).line,
  }));
  return { doc, lineCounter, errors };
}

function jsonSourceMap(text: string): SourceMap {
  const linesOf = (pointers: readonly string[]) => (pointers.length === 0 ? [] : jsonPointerLines(text, pointers.map(pointerTokens)));
  return { lineOf: (pointer) => linesOf([pointer])[0], linesOf };
}

function createSourceMap(doc: Document, lineCounter: LineCounter): SourceMap {
  const lineOf = (pointer: string) => {
    const tokens = pointerTokens(pointer);
    // Walk up until a node exists: a missing property is reported at its parent.
    for (let depth = tokens.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(tokens.slice(0, depth).map(asKey), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { lineOf, linesOf: (pointers) => pointers.map(lineOf) };
}

function asKey(token: string): string | number {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : token;
}

export function pointerTokens(pointer: string): string[] {
  const body = pointer.replace(/^#/, '');
  if (body === '' || body === '/') return [];
  return body
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}
