/**
 * `npm run docs:settings [-- --check]`: writes the README's configuration
 * table from the settings declaration (`settings-table.ts`); with `--check`
 * only reports, exit code 1, when the README's table is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { settingDocs } from '../runtime/settings/settings.js';
import { ROOT } from './build.js';
import { TABLE_START, withSettingsTable } from './settings-table.js';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const readme = join(ROOT, 'README.md');
const current = readFileSync(readme, 'utf8');
const next = withSettingsTable(current, settingDocs());
if (next === undefined) {
  process.stderr.write(`docs:settings: README.md has no settings table markers (${TABLE_START})\n`);
  process.exitCode = 1;
} else if (next === current) {
  process.stdout.write('docs:settings: README.md settings table is up to date\n');
} else if (values.check) {
  process.stderr.write('docs:settings: README.md settings table is stale; run npm run docs:settings\n');
  process.exitCode = 1;
} else {
  writeFileSync(readme, next);
  process.stdout.write('docs:settings: README.md settings table written\n');
}
