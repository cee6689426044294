/**
 * Lowering finishes in bounded time and size on densely linked reference
 * graphs (issue 14 item 1): N schemas that all refer to each other, a chain
 * of N, and "id or expanded object" `anyOf` unions, one operation per schema.
 * Before memoization per (reference, depth left) and the size budget kept
 * while expanding, a complete graph of 50 schemas did not load at all
 * (swagger-parser's dereference overflowed the stack) and lowering grew
 * combinatorially.
 *
 * The N = 400 guard lowers a sample of operations of the complete and
 * `anyOf` graphs (the part that grew combinatorially) and generates the whole
 * chain; whole-run speed per operation is measured by `npm run bench -- --only=generation-scaling`; the
 * bound here is only a guard against exponential regressions.
 *
 * What a user sees of the budget: each tool's schemas stay within their
 * budgets however large the graph, with a note saying what was left out.
 * Before the budget also bounded the properties still to come (each open
 * schema kept a stub per property), the output schemas grew with N (160 KB
 * at N = 400) and the input schemas went over their 16 KiB budget (an error)
 * from N = 200 on.
 */
import { describe, expect, it } from 'vitest';
import { lowerOperation } from '../../../generator/lower/lower-operation.js';
import { generate } from '../../../generator/pipeline.js';
import { SCALING_SHAPES, scalingSpec } from '../../../testkit/scaling-spec.js';
import { isJsonObject } from '../../../runtime/json-object.js';
import { parseJsonObject } from '../../../testkit/json-body.js';

const GUARD_MS = 60_000;
/** Output expansion budget (64 KiB) plus what the schemas still open when it ran out keep (required and leaf properties). */
const MAX_OUTPUT_BYTES = 80 * 1024;
const MAX_INPUT_BYTES = 16 * 1024;
const BUDGET_NOTE = /^(stopped expanding|left out the remaining properties) at the schema size budget of \d+ bytes: /;
const SAMPLE = 20;

async function run(shape: (typeof SCALING_SHAPES)[number], n: number) {
  const specText = scalingSpec(shape, n);
  const started = performance.now();
  const result = await generate({ specFile: `${shape}-${n}.json`, specText, configFile: '(all)', all: true, skipApiTypes: true });
  return { result, ms: performance.now() - started };
}

const toolOf = (result: Awaited<ReturnType<typeof run>>['result'], operationId: string) =>
  result.tools.find((tool) => tool.definition.operation.operationId === operationId);

describe('lowering on densely linked specs', () => {
  it.each(SCALING_SHAPES.map((shape) => [shape]))(
    '%s graph of 400 schemas: operations lower within the guard, schemas stay bounded',
    (shape) => {
      const doc = parseJsonObject(scalingSpec(shape, 400));
      const started = performance.now();
      for (let i = 0; i < SAMPLE; i += 1) {
        const lowered = lowerOperation({ doc, file: 'scaling.json', path: `/things${i}`, method: 'post', operationId: `updateThing${i}` });
        expect(lowered.value.inputSchema.type).toBe('object');
        expect(JSON.stringify(lowered.value.inputSchema).length).toBeLessThanOrEqual(MAX_INPUT_BYTES);
        expect(JSON.stringify(lowered.value.outputSchema).length).toBeLessThan(MAX_OUTPUT_BYTES);
        expect(lowered.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
        if (shape !== 'chain') expect(lowered.value.notes.some((note) => BUDGET_NOTE.test(note))).toBe(true);
        // "Id or expanded object" fields compact to `{}` in outputs, so they are listed without spending the budget.
        if (shape === 'any-of') expect(Object.keys(lowered.value.outputSchema.properties ?? {})).toHaveLength(401);
      }
      expect(performance.now() - started).toBeLessThan(GUARD_MS);
    },
    2 * GUARD_MS,
  );

  it(
    'a chain of 400 schemas: the whole generation, every operation a tool, within the guard',
    async () => {
      const { result, ms } = await run('chain', 400);
      expect(ms).toBeLessThan(GUARD_MS);
      expect(result.tools).toHaveLength(400);
      expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    },
    2 * GUARD_MS,
  );

  it.each([
    ['complete', { note: BUDGET_NOTE, not: undefined }],
    ['any-of', { note: BUDGET_NOTE, not: undefined }],
    ['chain', { note: /^cut schemas nested deeper than 24 references: Thing24$/, not: /stopped expanding|left out|cut recursive/ }],
  ] as const)(
    '%s graph of 50 schemas: what was cut is in the notes',
    async (shape, { note, not }) => {
      const { result } = await run(shape, 50);
      expect(result.tools).toHaveLength(50);
      const first = toolOf(result, 'updateThing0');
      expect(first).toBeDefined();
      expect(
        first!.notes.some((text) => note.test(text)),
        first!.notes.join('\n'),
      ).toBe(true);
      if (not) expect(first!.notes.join('\n')).not.toMatch(not);
    },
    2 * GUARD_MS,
  );

  /** How many `next` links deep the tool's output schema describes the chain. */
  function chainDepth(result: Awaited<ReturnType<typeof run>>['result'], operationId: string): number {
    let node: unknown = toolOf(result, operationId)!.definition.outputSchema;
    let depth = 0;
    while (typeof node === 'object' && node !== null && 'properties' in node) {
      const next = isJsonObject(node.properties) ? node.properties['next'] : undefined;
      if (next === undefined) break;
      node = next;
      depth += 1;
    }
    return depth;
  }

  // The nesting cap (24 references, `bound-recursion.ts`) keeps every tool of a chain bounded, whatever its length.
  it.each([
    ['from the first schema, to the nesting cap', { operationId: 'updateThing0', depth: 24 }],
    ['from 24 schemas before the end, to the last schema', { operationId: 'updateThing26', depth: 23 }],
  ])(
    'a chain of 50 is expanded %s',
    async (_name, { operationId, depth }) => {
      const { result } = await run('chain', 50);
      expect(chainDepth(result, operationId)).toBe(depth);
    },
    GUARD_MS,
  );
});
