/**
 * Lowering cost against the shape of the reference graph: the synthetic
 * specs of `testkit/scaling-spec.ts` (a complete graph,
 * a long chain, "id or expanded object" `anyOf` unions) for N = 50, 100, 200
 * and 400 schemas, one operation per schema, generated in this process with
 * `generate()` (`--all`, no openapi-typescript), after one warm-up run.
 * Each (shape, N) runs `repeats` times (default 3) and the median counts,
 * since the machine is shared.
 *
 * Reported per shape and N: wall time, time per operation, and the spread of
 * time per operation across N (largest / smallest), which the issue wants
 * within 1.5x: cost linear in the number of operations, whatever the graph.
 * Also time per operation without loading the spec (parse and validate,
 * timed separately on the same text), since in the complete and any-of
 * shapes every schema has N - 1 properties: the spec grows as N squared, so
 * reading it is legitimately O(N) per operation, while lowering and emitting
 * a tool must not be. And time per KiB of spec and its spread: whether cost
 * is linear in the size of the spec.
 * It does not spawn processes (start-up is the `generation` section's job).
 */
import { loadSpec } from '../generator/load/load-spec.js';
import { generate } from '../generator/pipeline.js';
import { SCALING_SHAPES, scalingSpec, type ScalingShape } from '../testkit/scaling-spec.js';
import { median } from './stats.js';

export const SCALING_SIZES = [50, 100, 200, 400] as const;
const DEFAULT_REPEATS = 3;

export interface ScalingRow {
  readonly shape: ScalingShape;
  readonly n: number;
  readonly operations: number;
  readonly specBytes: number;
  /** Median of the repeats. */
  readonly ms: number;
  readonly msPerOperation: number;
  /** Median time to load (parse and validate) the spec alone. */
  readonly loadMs: number;
  /** `(ms - loadMs) / operations`: lowering, naming and emitting. */
  readonly msPerOperationWithoutLoad: number;
  /** Time per KiB of spec text: in the complete and any-of shapes each operation's schema has N - 1 properties, so the spec grows as N squared. */
  readonly msPerSpecKiB: number;
}

export interface ScalingResult {
  /** Runs per (shape, N); rows hold medians. */
  readonly repeats: number;
  readonly rows: readonly ScalingRow[];
  /** Per shape: largest / smallest time per operation across N. */
  readonly spread: Readonly<Record<string, number>>;
  /** Per shape: the same without loading the spec. */
  readonly spreadWithoutLoad: Readonly<Record<string, number>>;
  /** Per shape: largest / smallest time per KiB of spec across N (cost linear in the size of the spec). */
  readonly spreadPerKiB: Readonly<Record<string, number>>;
}

async function measure(shape: ScalingShape, n: number, repeats: number): Promise<ScalingRow> {
  const specText = scalingSpec(shape, n);
  const specFile = `scaling-${shape}-${n}.json`;
  const times: number[] = [];
  const loads: number[] = [];
  let operations = 0;
  for (let run = 0; run < repeats; run += 1) {
    const loadStarted = performance.now();
    await loadSpec(specFile, specText, { validate: true });
    loads.push(performance.now() - loadStarted);
    const started = performance.now();
    const result = await generate({ specFile, specText, configFile: '(all)', all: true, skipApiTypes: true });
    times.push(performance.now() - started);
    operations = result.tools.length;
  }
  const ms = median(times);
  const loadMs = median(loads);
  const perOperation = (value: number) => value / Math.max(1, operations);
  return {
    shape,
    n,
    operations,
    specBytes: specText.length,
    ms,
    msPerOperation: perOperation(ms),
    loadMs,
    msPerOperationWithoutLoad: perOperation(Math.max(0, ms - loadMs)),
    msPerSpecKiB: ms / (specText.length / 1024),
  };
}

const spreadOf = (values: readonly number[]): number => Math.max(...values) / Math.min(...values);

export async function measureGenerationScaling(sizes: readonly number[] = SCALING_SIZES, repeats = DEFAULT_REPEATS): Promise<ScalingResult> {
  await measure('chain', 50, 1);
  const rows: ScalingRow[] = [];
  for (const shape of SCALING_SHAPES) for (const n of sizes) rows.push(await measure(shape, n, repeats));
  const spread: Record<string, number> = {};
  const spreadWithoutLoad: Record<string, number> = {};
  const spreadPerKiB: Record<string, number> = {};
  for (const shape of SCALING_SHAPES) {
    const shapeRows = rows.filter((row) => row.shape === shape);
    spread[shape] = spreadOf(shapeRows.map((row) => row.msPerOperation));
    spreadWithoutLoad[shape] = spreadOf(shapeRows.map((row) => row.msPerOperationWithoutLoad));
    spreadPerKiB[shape] = spreadOf(shapeRows.map((row) => row.msPerSpecKiB));
  }
  return { repeats, rows, spread, spreadWithoutLoad, spreadPerKiB };
}
