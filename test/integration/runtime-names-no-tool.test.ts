/**
 * The runtime names no tool: every fact about a tool (its confirmation
 * argument, the tools its error messages point to, the server instructions)
 * comes from spec/tools.yaml through generated/, so renaming a tool there
 * cannot leave a runtime message naming the old one. Reads every generated
 * tool name and searches every file under runtime/, comments included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tools } from '../../generated/index.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** `file:line: text` for each line that contains `name` as a whole word (`_` and `-` count as word characters). */
function mentions(files: readonly string[], name: string): string[] {
  const word = new RegExp(`(?<![A-Za-z0-9_-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`);
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (word.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
  );
}

describe('the runtime names no tool', () => {
  const runtimeFiles = filesUnder('runtime');
  const names = tools.map((tool) => tool.definition.name);

  it('reads the generated tool names and the runtime sources', () => {
    expect(names.length).toBeGreaterThan(10);
    expect(runtimeFiles.some((file) => file.endsWith('call-tool.ts'))).toBe(true);
  });

  it.each(names)('%s appears in no file under runtime/', (name) => {
    expect(mentions(runtimeFiles, name)).toEqual([]);
  });

  it('finds a tool name where one is written (the search can fail)', () => {
    const probe = mentions(['test/integration/runtime-names-no-tool.test.ts'], 'place_order');
    expect(probe.length).toBeGreaterThan(0);
  });
});
