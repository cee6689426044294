/**
 * Maps JSON pointers in a YAML or JSON file back to 1-based line numbers, so
 * every issue can say `spec/tools.yaml:12`. Uses the `yaml` CST, which keeps
 * node ranges for JSON input too (JSON is YAML).
 *
 * JSON text is parsed with `JSON.parse` (a 10 MB spec in a fraction of the
 * time the YAML parser takes), and its map is built only when a line is
 * asked for, that is when there is an issue to report.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

export interface SourceMap {
  lineOf(pointer: string): number | undefined;
}

export interface ParsedSource {
  readonly value: unknown;
  readonly errors: readonly { message: string; line?: number }[];
  readonly sourceMap: SourceMap;
}

export function parseSource(text: string): ParsedSource {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { value: JSON.parse(text), errors: [], sourceMap: lazySourceMap(text) };
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

function lazySourceMap(text: string): SourceMap {
  let map: SourceMap | undefined;
  return {
    lineOf(pointer) {
      if (map === undefined) {
        const parsed = parseYaml(text);
        map = createSourceMap(parsed.doc, parsed.lineCounter);
      }
      return map.lineOf(pointer);
    },
  };
}

function createSourceMap(doc: Document, lineCounter: LineCounter): SourceMap {
  return {
    lineOf(pointer) {
      const tokens = pointerTokens(pointer);
      // Walk up until a node exists: a missing property is reported at its parent.
      for (let depth = tokens.length; depth >= 0; depth -= 1) {
        const node = doc.getIn(tokens.slice(0, depth).map(asKey), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
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
