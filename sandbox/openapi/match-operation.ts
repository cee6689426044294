/**
 * Finds the operation for a request path. Path templates (`/v1/accounts/{id}/balances`)
 * compile to anchored regular expressions; when several match, the one with
 * more literal segments wins (`/v1/orders/preview` over a templated sibling).
 */

export interface PathMatcher {
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literalSegments: number;
}

export function compilePathTemplate(template: string): PathMatcher {
  const names: string[] = [];
  let literalSegments = 0;
  const pattern = template
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        if (segment) literalSegments += 1;
        return escapeRegex(segment);
      }
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return escapeRegex(part);
          names.push(name);
          return '([^/]+)';
        })
        .join('');
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}$`), names, literalSegments };
}

export interface PathMatch<T> {
  readonly operation: T;
  readonly pathParams: Record<string, string>;
}

/** The best operation for `method` + `path`; `allowed` lists the methods of the path when only the method is wrong. */
export function matchOperation<T extends { method: string; matcher: PathMatcher }>(
  operations: readonly T[],
  method: string,
  path: string,
): { match?: PathMatch<T>; allowed: string[] } {
  const candidates = operations
    .map((operation) => ({ operation, found: operation.matcher.regex.exec(path) }))
    .filter((c): c is { operation: T; found: RegExpExecArray } => c.found !== null)
    .sort((a, b) => b.operation.matcher.literalSegments - a.operation.matcher.literalSegments);
  const hit = candidates.find((c) => c.operation.method === method);
  if (!hit) return { allowed: [...new Set(candidates.map((c) => c.operation.method))] };
  const pathParams: Record<string, string> = {};
  hit.operation.matcher.names.forEach((name, i) => {
    pathParams[name] = safeDecode(hit.found[i + 1] ?? '');
  });
  return { match: { operation: hit.operation, pathParams }, allowed: [] };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
