/**
 * The README's configuration table is the settings declaration
 * (`runtime/settings/settings.ts`) rendered by `npm run docs:settings`:
 * a setting added, removed or changed in one and not the other fails here,
 * naming the row.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSettingsTable, settingRows, tableRowsIn, withSettingsTable } from '../../build/settings-table.js';
import { settingDocs } from '../../runtime/settings/settings.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const variable = (row: string) => /^\| `([A-Z0-9_]+)`/.exec(row)?.[1] ?? row;

describe('README configuration table', () => {
  const declared = settingRows(settingDocs());
  const documented = tableRowsIn(README) ?? [];

  it('has the generated table between its markers', () => {
    expect(tableRowsIn(README), 'README.md lost its settings table markers; run npm run docs:settings').toBeDefined();
  });

  it('lists every declared setting, and nothing else, in the declaration order', () => {
    expect(documented.map(variable)).toEqual(declared.map(variable));
  });

  it.each(declared.map((row) => [variable(row), row]))('row %s matches the declaration (run npm run docs:settings)', (name, row) => {
    expect(documented.find((line) => variable(line) === name)).toBe(row);
  });

  it('rendering is what the script writes, and writing twice changes nothing', () => {
    const once = withSettingsTable(README, settingDocs());
    expect(once).toContain(renderSettingsTable(settingDocs()));
    expect(once === undefined ? undefined : withSettingsTable(once, settingDocs())).toBe(once);
  });

  it('a table that disagrees with the declaration is caught, naming the row', () => {
    const stale = README.replace('| `TOOL_TIMEOUT_MS` | 15000 |', '| `TOOL_TIMEOUT_MS` | 30000 |');
    const rows = tableRowsIn(stale) ?? [];
    const differing = declared.filter((row) => !rows.includes(row)).map(variable);
    expect(differing).toEqual(['TOOL_TIMEOUT_MS']);
  });
});
