/**
 * Lowering cost against the shape of the reference graph: the synthetic
 * specs of `testkit/scaling-spec.ts` (a complete graph,
 * a long chain, "id or expanded object" `anyOf` unions) for N = 50, 100, 200
 * and 400 schemas, one operation per schema, generated in this process with
 * `generate()` (`--all`, no openapi-typescript), after one warm-up run.
 *
 * Reported per shape and N: wall time, time per operation, and the spread of
 * time per operation across N (largest / smallest), which the issue wants
 * within 1.5x: cost linear in the number of operations, whatever the graph.
 * Also time per KiB of spec and its spread: in the complete and any-of shapes
 * every schema has N - 1 properties, so each operation's own schema, and the
 * spec per operation, grow with N; per KiB shows whether cost is linear in
 * the size of the spec.
 * It does not spawn processes (start-up is the `generation` section's job).
 */
import { generate } from '../generator/pipeline.js';
import { SCALING_SHAPES, scalingSpec, type ScalingShape } from '../testkit/scaling-spec.js';

export const SCALING_SIZES = [50, 100, 200, 400] as const;

export interface ScalingRow {
  readonly shape: ScalingShape;
  readonly n: number;
  readonly operations: number;
  readonly specBytes: number;
  readonly ms: number;
  readonly msPerOperation: number;
  /** Time per KiB of spec text: in the complete and any-of shapes each operation's schema has N - 1 properties, so the spec grows as N squared. */
  readonly msPerSpecKiB: number;
}

export interface ScalingResult {
  readonly rows: readonly ScalingRow[];
  /** Per shape: largest / smallest time per operation across N. */
  readonly spread: Readonly<Record<string, number>>;
  /** Per shape: largest / smallest time per KiB of spec across N (cost linear in the size of the spec). */
  readonly spreadPerKiB: Readonly<Record<string, number>>;
}

async function measure(shape: ScalingShape, n: number): Promise<ScalingRow> {
  const specText = scalingSpec(shape, n);
  const started = performance.now();
  const result = await generate({ specFile: `scaling-${shape}-${n}.json`, specText, configFile: '(all)', all: true, skipApiTypes: true });
  const ms = performance.now() - started;
  const operations = result.tools.length;
  return { shape, n, operations, specBytes: specText.length, ms, msPerOperation: ms / Math.max(1, operations), msPerSpecKiB: ms / (specText.length / 1024) };
}

export async function measureGenerationScaling(sizes: readonly number[] = SCALING_SIZES): Promise<ScalingResult> {
  await measure('chain', 50);
  const rows: ScalingRow[] = [];
  for (const shape of SCALING_SHAPES) for (const n of sizes) rows.push(await measure(shape, n));
  const spread: Record<string, number> = {};
  const spreadPerKiB: Record<string, number> = {};
  for (const shape of SCALING_SHAPES) {
    const shapeRows = rows.filter((row) => row.shape === shape);
    const perOperation = shapeRows.map((row) => row.msPerOperation);
    const perKiB = shapeRows.map((row) => row.msPerSpecKiB);
    spread[shape] = Math.max(...perOperation) / Math.min(...perOperation);
    spreadPerKiB[shape] = Math.max(...perKiB) / Math.min(...perKiB);
  }
  return { rows, spread, spreadPerKiB };
}
