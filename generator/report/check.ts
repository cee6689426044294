/**
 * `--check`: compares what would be generated with what is on disk and names
 * the tools (and other files) that differ, so CI can say what is stale.
 */
export interface CheckResult {
  readonly upToDate: boolean;
  readonly lines: readonly string[];
}

const CHECK_WORDS = { missing: 'missing (would be added)', stale: 'stale (would be removed)', changed: 'changed' };
const WRITE_WORDS = { missing: 'added', stale: 'removed', changed: 'changed' };

/** `mode: 'write'` words the same differences as what writing did. */
export function compareOutput(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>, mode: 'check' | 'write' = 'check'): CheckResult {
  const words = mode === 'check' ? CHECK_WORDS : WRITE_WORDS;
  const lines: string[] = [];
  const toolOf = (file: string) => /^tools\/(.+)\.ts$/.exec(file)?.[1];
  for (const [file, content] of expected) {
    const current = actual.get(file);
    const label = toolOf(file) ? `tool ${toolOf(file)}` : file;
    if (current === undefined) lines.push(`${label}: ${words.missing}`);
    else if (current !== content) lines.push(`${label}: ${words.changed}`);
  }
  for (const file of actual.keys()) {
    const label = toolOf(file) ? `tool ${toolOf(file)}` : file;
    if (!expected.has(file)) lines.push(`${label}: ${words.stale}`);
  }
  return { upToDate: lines.length === 0, lines: lines.sort() };
}
