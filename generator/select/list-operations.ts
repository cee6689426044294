/** Enumerates every operation of an OpenAPI document in document order. */
import type { HttpMethod } from '../../runtime/contract/tool-definition.js';
import { joinPointer } from '../issues.js';
import type { OpenApiDocument } from '../load/load-spec.js';
import { isRecord } from '../lower/schema-walk.js';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export interface SpecOperation {
  readonly operationId: string;
  /** False when the spec has no operationId and one was derived from method and path. */
  readonly hasOperationId: boolean;
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  /** `#/paths/~1v1~1orders/post` */
  readonly pointer: string;
}

export function listOperations(doc: OpenApiDocument): SpecOperation[] {
  const paths = isRecord(doc.paths) ? doc.paths : {};
  const operations: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolvePathItem(doc, isRecord(rawItem) ? rawItem : {});
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const record = operation;
      const declaredId = typeof record.operationId === 'string' && record.operationId.length > 0 ? record.operationId : undefined;
      operations.push({
        operationId: declaredId ?? `${method} ${path}`,
        hasOperationId: declaredId !== undefined,
        method,
        path,
        operation: record,
        tags: Array.isArray(record.tags) ? record.tags.filter((tag): tag is string => typeof tag === 'string') : [],
        pointer: joinPointer('#', 'paths', path, method),
      });
    }
  }
  return operations;
}

function resolvePathItem(doc: OpenApiDocument, item: Record<string, unknown>): Record<string, unknown> {
  const ref = item?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return item ?? {};
  let node: unknown = doc;
  for (const token of ref.slice(2).split('/')) {
    node = typeof node === 'object' && node !== null ? Reflect.get(node, token.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
  }
  return typeof node === 'object' && node !== null ? { ...node, ...item } : item;
}
