/**
 * Title, description and required scopes of a tool, from the config when it
 * says so and from the operation otherwise. Spec text is kept as data; the
 * emitter turns it into JSON literals.
 */
import type { OpenApiDocument } from '../load/load-spec.js';
import { isRecord } from '../lower/schema-walk.js';
import type { SelectedOperation } from '../select/select-operations.js';

const MAX_TITLE = 80;
const MAX_DESCRIPTION = 1024;

export function toolTitle(selected: SelectedOperation, name: string): string {
  if (selected.selection.title) return selected.selection.title;
  const summary = plainText(selected.spec.operation.summary);
  if (summary) return truncate(summary, MAX_TITLE);
  const words = name.replace(/[_-]+/g, ' ').trim();
  return truncate(words.charAt(0).toUpperCase() + words.slice(1), MAX_TITLE);
}

export function toolDescription(selected: SelectedOperation, title: string): string {
  if (selected.selection.description) return selected.selection.description.trim();
  const description = plainText(selected.spec.operation.description) || plainText(selected.spec.operation.summary) || title;
  return truncate(description, MAX_DESCRIPTION);
}

/** Scopes of the first security requirement that applies (operation-level, else document-level). */
export function requiredScopes(doc: OpenApiDocument, selected: SelectedOperation): string[] {
  if (selected.selection.scopes) return [...selected.selection.scopes].sort();
  const security = (selected.spec.operation.security ?? doc.security) as unknown;
  if (!Array.isArray(security) || security.length === 0) return [];
  const first: unknown = security[0];
  const scopes = (isRecord(first) ? Object.values(first) : []).flatMap((value) =>
    Array.isArray(value) ? value.filter((scope): scope is string => typeof scope === 'string') : [],
  );
  return [...new Set(scopes)].sort();
}

function plainText(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
