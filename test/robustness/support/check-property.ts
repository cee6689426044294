/**
 * `fc.assert` with a readable failure: the counterexample and the error are
 * cut to a few hundred characters (a 200 000-character argument would
 * otherwise flood the report), and the seed and path are kept for replay.
 */
import fc from 'fast-check';

export async function checkProperty<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncPropertyWithHooks<Ts>, params: fc.Parameters<Ts>): Promise<void> {
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const example = cut(safeJson(details.counterexample), 600);
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}")\nCounterexample: ${example}\nError: ${cut(error, 1_200)}`,
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}
