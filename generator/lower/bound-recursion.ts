/**
 * Bounds recursive schemas: a `$ref` may be expanded at most `maxDepth` times
 * on one path from the root; the next occurrence is replaced by a stub that
 * says what was cut.
 *
 * The guard also tells the inliner which expansions are safe to memoize. An
 * expansion that checked the stack for a ref already on it depends on where it
 * was reached (how many levels are left), so it is "tainted" and never reused;
 * every other expansion is the same wherever the ref appears.
 */
import { isRecord, type SchemaRecord } from './schema-walk.js';

export const DEFAULT_MAX_RECURSION_DEPTH = 3;

interface Frame {
  readonly ref: string;
  tainted: boolean;
}

export interface RecursionGuard {
  /** `cut` when `ref` is already expanded `maxDepth` times on the current path; otherwise pushes it. */
  enter(ref: string): 'cut' | 'entered';
  /** Pops the innermost ref; true when its expansion depended on the path (must not be memoized). */
  exit(): boolean;
}

export function createRecursionGuard(maxDepth: number): RecursionGuard {
  const frames: Frame[] = [];
  return {
    enter(ref) {
      const first = frames.findIndex((frame) => frame.ref === ref);
      if (first >= 0) {
        for (let i = first; i < frames.length; i += 1) frames[i].tainted = true;
        const count = frames.reduce((n, frame) => (frame.ref === ref ? n + 1 : n), 0);
        if (count >= maxDepth) return 'cut';
      }
      frames.push({ ref, tainted: false });
      return 'entered';
    },
    exit() {
      const frame = frames.pop();
      return frame ? frame.tainted : false;
    },
  };
}

/**
 * The schema that replaces a recursive ref at the cut: same basic type as the
 * target, no structure, and a description naming what is not described.
 */
export function recursionStub(name: string, target: unknown, maxDepth: number): SchemaRecord {
  return { type: stubType(target), description: `${name} nested deeper than ${levels(maxDepth)} is not described.` };
}

export function levels(count: number): string {
  return count === 1 ? '1 level' : `${count} levels`;
}

function stubType(target: unknown): string {
  if (!isRecord(target)) return 'object';
  const type = Array.isArray(target.type) ? target.type.find((t) => t !== 'null') : target.type;
  if (type === 'array' || type === 'string') return type;
  if (type === undefined && target.items !== undefined) return 'array';
  return 'object';
}
