/** Test helper: a lowering context and input inliner over a small in-memory document. */
import { createInliner, type SchemaInliner } from '../../../../generator/lower/inline-refs.js';
import { createLowerContext, type LowerContext } from '../../../../generator/lower/lower-context.js';
import { createInputTransform } from '../../../../generator/lower/normalize-input.js';

export interface LowerKit {
  readonly ctx: LowerContext;
  readonly inliner: SchemaInliner;
}

export function createKit(doc: Record<string, unknown> = {}, maxDepth = 3): LowerKit {
  const ctx = createLowerContext(doc, 'spec.yaml');
  return { ctx, inliner: createInliner(ctx, createInputTransform(ctx), maxDepth) };
}
