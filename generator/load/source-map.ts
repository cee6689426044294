/**
 * Maps JSON pointers in a YAML or JSON file back to 1-based line numbers, so
 * every issue can say `spec/tools.yaml:12`. Uses the `yaml` CST, which keeps
 * node ranges for JSON input too (JSON is YAML).
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors = doc.errors.map((error) => ({
    message: error.message.split('\n')[0] ?? error.message,
    line: lineCounter.linePos(error.pos[0]).line,
  }));
  return {
    value: errors.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined,
    errors,
    sourceMap: createSourceMap(doc, lineCounter),
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
