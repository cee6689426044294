/**
 * Judges an upstream request target against `spec/aries.openapi.yaml`: the
 * path must match one of the spec's path templates, with every templated
 * segment percent-encoded (only `encodeURIComponent`'s unreserved characters
 * and `%XX`) and never a dot segment (`.`, `..`, `%2e%2e`, ...), which URL
 * normalization anywhere on the way would turn into traversal.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { UpstreamRequest } from './recording-proxy.js';

const SPEC = new URL('../../../spec/aries.openapi.yaml', import.meta.url);
const ENCODED_SEGMENT = /^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})+$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

interface Template {
  readonly method: string;
  readonly template: string;
  readonly regex: RegExp;
}

function loadTemplates(): Template[] {
  const spec = z.looseObject({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) }).parse(parse(readFileSync(SPEC, 'utf8')));
  return Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map((method) => ({
        method: method.toUpperCase(),
        template,
        regex: new RegExp(
          `^${template
            .split('/')
            .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '([^/?#]+)' : segment.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')))
            .join('/')}$`,
        ),
      })),
  );
}

const TEMPLATES = loadTemplates();

/** Why `request` is outside the spec, or `undefined` when it is a spec operation with safely encoded path parameters. */
export function upstreamProblem(request: UpstreamRequest): string | undefined {
  const [path = '', ...rest] = request.target.split('?');
  const query = rest.join('?');
  if (/[\r\n\s]/.test(request.target)) return `request target contains whitespace or CR/LF: ${JSON.stringify(request.target.slice(0, 200))}`;
  if (query.includes('#')) return `query carries a raw '#': ${JSON.stringify(request.target.slice(0, 200))}`;
  for (const template of TEMPLATES) {
    if (template.method !== request.method) continue;
    const match = template.regex.exec(path);
    if (match === null) continue;
    const params = match.slice(1);
    const bad = params.find((segment) => DOT_SEGMENT.test(segment) || !ENCODED_SEGMENT.test(segment));
    if (bad !== undefined)
      return `${request.method} ${template.template}: path parameter segment ${JSON.stringify(bad)} is a dot segment or not percent-encoded`;
    return undefined;
  }
  return `${request.method} ${JSON.stringify(path.slice(0, 200))} matches no path of the spec`;
}
