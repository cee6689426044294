/**
 * One line of Markdown per change, for the report and the generate summary:
 * what changed, with the old and new values. Values are code spans; text
 * changes show only the words that differ, with a little context.
 */
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';
import type { ChangeKind, SurfaceChange } from './change.js';
import { DESCRIBE_GUARDRAIL_KIND } from './diff-guardrails.js';
import { compareValues } from './diff-schema.js';

type Describe = (change: SurfaceChange) => string;

const arg = (change: SurfaceChange): string => (change.subject === '' ? 'the input schema' : `argument ${code(change.subject)}`);
const out = (change: SurfaceChange): string => (change.subject === '' ? 'the output schema' : `output ${code(change.subject)}`);
const fromTo = (change: SurfaceChange): string => `${value(change.before)} → ${value(change.after)}`;

export const DESCRIBE_KIND: { readonly [Kind in ChangeKind]: Describe } = {
  'tool.removed': (c) => `tool removed (was ${toolSummary(c.before)})`,
  'tool.renamed': (c) => `renamed from ${value(c.before)}`,
  'tool.added': (c) => `new ${access(c.after)} tool: ${toolSummary(c.after)}`,
  'upstream.method-changed': (c) => `upstream method ${fromTo(c)}`,
  'upstream.path-changed': (c) => `upstream path ${fromTo(c)}`,
  'upstream.operation-id-changed': (c) => `upstream operationId ${fromTo(c)}`,
  'pinned.added': (c) => `pins ${c.subject} = ${value(c.after)} on every call`,
  'pinned.removed': (c) => `no longer pins ${c.subject} (was ${value(c.before)})`,
  'pinned.value-changed': (c) => `pinned ${c.subject}: ${fromTo(c)}`,
  'annotation.read-only-lost': (c) => `became write-capable: readOnlyHint ${fromTo(c)}`,
  'annotation.read-only-gained': (c) => `became read-only: readOnlyHint ${fromTo(c)}`,
  'annotation.destructive-gained': (c) => `became destructive: destructiveHint ${fromTo(c)}`,
  'annotation.destructive-lost': (c) => `no longer destructive: destructiveHint ${fromTo(c)}`,
  'annotation.idempotent-changed': (c) => `idempotentHint ${fromTo(c)}`,
  'annotation.open-world-changed': (c) => `openWorldHint ${fromTo(c)}`,
  'annotation.title-changed': (c) => `annotations.title ${fromTo(c)}`,
  'scope.added': (c) => `needs scope ${code(c.subject)}`,
  'scope.removed': (c) => `no longer needs scope ${code(c.subject)}`,
  ...DESCRIBE_GUARDRAIL_KIND,
  'argument.removed': (c) => `${arg(c)} removed (was ${String(c.before)})`,
  'argument.added-required': (c) => `new required ${arg(c)} (${typeName(c.after)})`,
  'argument.added': (c) => `new optional ${arg(c)} (${typeName(c.after)})`,
  'argument.now-required': (c) => `${arg(c)} is now required`,
  'argument.now-optional': (c) => `${arg(c)} is now optional`,
  'argument.type-changed': (c) => `${arg(c)} type ${fromTo(c)}`,
  'argument.type-widened': (c) => `${arg(c)} type widened ${fromTo(c)}`,
  'argument.enum-narrowed': (c) => `${arg(c)} accepts fewer values: ${enumDelta(c)}`,
  'argument.enum-widened': (c) => `${arg(c)} accepts more values: ${enumDelta(c)}`,
  'argument.constraint-tightened': (c) => `${arg(c)} ${c.keyword ?? ''} tightened ${fromTo(c)}`,
  'argument.constraint-loosened': (c) => `${arg(c)} ${c.keyword ?? ''} loosened ${fromTo(c)}`,
  'argument.schema-changed': (c) => `${arg(c)} ${code(c.keyword ?? '')} changed`,
  'argument.route-changed': (c) => `${arg(c)} is sent upstream as ${route(c.after)} (was ${route(c.before)})`,
  'argument.default-changed': (c) => `${arg(c)} default ${fromTo(c)}`,
  'argument.description-changed': (c) => `${arg(c)} description: ${textDelta(c.before, c.after)}`,
  'argument.metadata-changed': (c) => `${arg(c)} ${c.keyword ?? ''} changed`,
  'output.property-removed': (c) => `${out(c)} removed`,
  'output.property-added': (c) => `${out(c)} added (${typeName(c.after)})`,
  'output.type-changed': (c) => `${out(c)} type ${fromTo(c)}`,
  'output.schema-changed': (c) => `${out(c)} ${c.keyword ?? ''} changed`,
  'response.projection-removed': () => 'response projection removed: the whole upstream response reaches the model',
  'response.projection-widened': (c) => `response projection widened: adds ${list(c.after)}`,
  'response.projection-added': (c) => `response projection added: keeps only ${list(c.after)}`,
  'response.projection-narrowed': (c) => `response projection narrowed: drops ${list(c.before)}`,
  'response.item-cap-changed': (c) => `item cap on ${code(c.subject)} ${fromTo(c)}`,
  'response.budget-changed': (c) => `result budget (chars) ${fromTo(c)}`,
  'response.wrap-changed': (c) => `result wrapping ${fromTo(c)}`,
  'tool.title-changed': (c) => `title ${fromTo(c)}`,
  'tool.description-changed': (c) => `description: ${textDelta(c.before, c.after)}`,
};

export function describeChange(change: SurfaceChange): string {
  return DESCRIBE_KIND[change.kind](change);
}

/** A code span that survives backticks in the value. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function value(data: unknown): string {
  if (data === undefined) return 'none';
  return code(typeof data === 'string' ? data : JSON.stringify(data));
}

function list(data: unknown): string {
  return Array.isArray(data) ? data.map((item) => value(item)).join(', ') : value(data);
}

function typeName(type: unknown): string {
  if (type === undefined) return 'any type';
  return Array.isArray(type) ? type.join(' or ') : String(type);
}

function access(tool: unknown): string {
  if (!isTool(tool)) return 'unknown';
  if (tool.annotations.readOnlyHint) return 'read-only';
  return tool.annotations.destructiveHint ? 'write-capable, destructive' : 'write-capable';
}

/** `GET /v1/market/breadth`, scope `analytics:information` */
function toolSummary(tool: unknown): string {
  if (!isTool(tool)) return 'unknown';
  const scopes = tool.scopes.length === 0 ? 'no scope' : `${tool.scopes.length === 1 ? 'scope' : 'scopes'} ${tool.scopes.map(code).join(', ')}`;
  return `${code(`${tool.operation.method.toUpperCase()} ${tool.operation.path}`)}, ${scopes}`;
}

/** The tool a `tool.added` / `tool.removed` change carries (load-surface.ts checked its shape). */
function isTool(value: unknown): value is ToolDefinition {
  return typeof value === 'object' && value !== null && 'annotations' in value && 'operation' in value && 'scopes' in value;
}

function route(data: unknown): string {
  if (typeof data !== 'object' || data === null) return 'nothing (gateway only)';
  const bodyPath = field(data, 'bodyPath');
  const target = Array.isArray(bodyPath) && bodyPath.length > 0 ? bodyPath.join('.') : String(field(data, 'name'));
  return `${String(field(data, 'in'))} ${code(target)}${field(data, 'jsonString') === true ? ' (JSON string)' : ''}`;
}

function field(data: unknown, key: 'in' | 'name' | 'bodyPath' | 'jsonString'): unknown {
  return typeof data === 'object' && data !== null ? (Reflect.get(data, key) as unknown) : undefined;
}

function enumDelta(change: SurfaceChange): string {
  const [before, after] = [change.before, change.after];
  if (!Array.isArray(before)) return `now limited to ${list(after)}`;
  if (!Array.isArray(after)) return `no longer limited to ${list(before)}`;
  const { removed, added } = compareValues(before, after);
  return [removed.length > 0 ? `drops ${list(removed)}` : '', added.length > 0 ? `adds ${list(added)}` : ''].filter(Boolean).join('; ');
}

const CONTEXT_WORDS = 3;

/** `was “… the changed words …”, now “… the new words …”`, cut at word boundaries. */
export function textDelta(before: unknown, after: unknown): string {
  const [oldWords, newWords] = [
    String(before ?? '')
      .split(/\s+/)
      .filter(Boolean),
    String(after ?? '')
      .split(/\s+/)
      .filter(Boolean),
  ];
  let start = 0;
  while (start < oldWords.length && start < newWords.length && oldWords[start] === newWords[start]) start++;
  let end = 0;
  while (end < oldWords.length - start && end < newWords.length - start && oldWords[oldWords.length - 1 - end] === newWords[newWords.length - 1 - end]) end++;
  const excerpt = (words: string[]): string => {
    const from = Math.max(0, start - CONTEXT_WORDS);
    const to = Math.min(words.length, words.length - end + CONTEXT_WORDS);
    return `“${from > 0 ? '… ' : ''}${words.slice(from, to).join(' ')}${to < words.length ? ' …' : ''}”`;
  };
  if (before === undefined) return `added ${excerpt(newWords)}`;
  if (after === undefined) return `removed (was ${excerpt(oldWords)})`;
  if (start === oldWords.length && start === newWords.length) return 'only whitespace changed';
  return `was ${excerpt(oldWords)}, now ${excerpt(newWords)}`;
}
