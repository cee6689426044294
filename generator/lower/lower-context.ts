/**
 * Per-call state of one `lowerOperation` run: the document, collected issues,
 * the notes for the report and a memoized `#/...` pointer resolver.
 *
 * Nothing here outlives the call, so lowering stays pure: the same input gives
 * the same issues and notes in the same order.
 */
import type { Issue, IssueSeverity } from '../issues.js';
import { isRecord } from './schema-walk.js';

export interface ResolvedRef {
  readonly value: unknown;
  /** Canonical pointer of the target (the `$ref` itself), for issues. */
  readonly pointer: string;
}

/** Ordered notes: plain sentences, or `label: item, item` lists grouped by label. */
export class NoteBook {
  private readonly entries = new Map<string, Set<string> | null>();

  add(sentence: string): void {
    if (!this.entries.has(sentence)) this.entries.set(sentence, null);
  }

  addItem(label: string, item: string): void {
    const items = this.entries.get(label);
    if (items) items.add(item);
    else this.entries.set(label, new Set([item]));
  }

  render(): string[] {
    return [...this.entries].map(([label, items]) => (items ? `${label}: ${listItems([...items])}` : label));
  }
}

const MAX_LISTED_ITEMS = 12;

function listItems(items: readonly string[]): string {
  if (items.length <= MAX_LISTED_ITEMS) return items.join(', ');
  return `${items.slice(0, MAX_LISTED_ITEMS).join(', ')} and ${items.length - MAX_LISTED_ITEMS} more`;
}

export interface LowerContext {
  readonly doc: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly notes: NoteBook;
  readonly issues: Issue[];
  /** Names of inlined component schemas (or titles), for notes and summaries. */
  readonly schemaNames: WeakMap<object, string>;
  report(code: string, severity: IssueSeverity, pointer: string, message: string, fix: string): void;
  /** Resolves an internal `#/...` reference; undefined for external or dangling ones. */
  resolve(ref: string): ResolvedRef | undefined;
}

export function createLowerContext(doc: Readonly<Record<string, unknown>>, file: string): LowerContext {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const resolved = new Map<string, ResolvedRef | undefined>();
  return {
    doc,
    file,
    notes: new NoteBook(),
    issues,
    schemaNames: new WeakMap(),
    report(code, severity, pointer, message, fix) {
      const key = `${code}\u0000${pointer}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      issues.push({ code, severity, file, pointer, message, fix });
    },
    resolve(ref) {
      if (!resolved.has(ref)) {
        const value = resolvePointer(doc, ref);
        resolved.set(ref, value === undefined ? undefined : { value, pointer: ref });
      }
      return resolved.get(ref);
    },
  };
}

/** RFC 6901 evaluation of a URI-fragment pointer (`#/components/schemas/A~1B`) in `doc`. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const fragment = ref.slice(1);
  if (fragment === '') return doc;
  if (!fragment.startsWith('/')) return undefined;
  let current: unknown = doc;
  for (const raw of fragment.slice(1).split('/')) {
    const token = decodeToken(raw);
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, token)) {
      current = current[token];
    } else {
      return undefined;
    }
  }
  return current;
}

function decodeToken(raw: string): string {
  let token = raw;
  try {
    token = decodeURIComponent(raw);
  } catch {
    token = raw;
  }
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The last pointer token of a `$ref`, unescaped: `#/components/schemas/Order` gives `Order`. */
export function refName(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return decodeToken(last) || ref;
}
