/**
 * `--check`: compares what would be generated with what is on disk and names
 * the tools (and other files) that differ, so CI can say what is stale.
 */
export interface CheckResult {
  readonly upToDate: boolean;
  readonly lines: readonly string[];
}

export function compareOutput(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): CheckResult {
  const lines: string[] = [];
  const toolOf = (file: string) => /^tools\/(.+)\.ts$/.exec(file)?.[1];
  for (const [file, content] of expected) {
    const current = actual.get(file);
    if (current === undefined) lines.push(toolOf(file) ? `tool ${toolOf(file)}: missing (would be added)` : `${file}: missing`);
    else if (current !== content) lines.push(toolOf(file) ? `tool ${toolOf(file)}: changed` : `${file}: changed`);
  }
  for (const file of actual.keys()) {
    if (!expected.has(file)) lines.push(toolOf(file) ? `tool ${toolOf(file)}: stale (would be removed)` : `${file}: stale (would be removed)`);
  }
  return { upToDate: lines.length === 0, lines: lines.sort() };
}
