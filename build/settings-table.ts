/**
 * The README's configuration table, rendered from the settings declaration
 * (`runtime/settings/settings.ts`): one row per setting, in the table's
 * order, between two marker comments. Pure: `docs-settings.ts` writes it,
 * `test/build/settings-table.test.ts` checks the README against it.
 */
import type { SettingDoc } from '../runtime/settings/setting-kinds.js';

export const TABLE_START = '<!-- settings table: generated from runtime/settings/settings.ts by `npm run docs:settings`; do not edit -->';
export const TABLE_END = '<!-- end of settings table -->';

const HEADER = ['| Variable | Default | Production | Meaning |', '| --- | --- | --- | --- |'];

function production(doc: SettingDoc): string {
  if (doc.entries === 'demo') return '`npm start` demo only';
  return doc.production === 'required' ? 'required' : 'optional';
}

/** One table row per setting. */
export function settingRows(docs: readonly SettingDoc[]): string[] {
  return docs.map((doc) => `| \`${doc.name}\` | ${doc.defaultText} | ${production(doc)} | ${doc.description.replaceAll('|', '\\|')} |`);
}

export function renderSettingsTable(docs: readonly SettingDoc[]): string {
  return [TABLE_START, ...HEADER, ...settingRows(docs), TABLE_END].join('\n');
}

/** The rows between the markers of `markdown`, or undefined when the markers are missing. */
export function tableRowsIn(markdown: string): string[] | undefined {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end < start) return undefined;
  return markdown
    .slice(start + TABLE_START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'));
}

/** `markdown` with its table replaced by the rendered one; undefined when the markers are missing. */
export function withSettingsTable(markdown: string, docs: readonly SettingDoc[]): string | undefined {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end < start) return undefined;
  return `${markdown.slice(0, start)}${renderSettingsTable(docs)}${markdown.slice(end + TABLE_END.length)}`;
}
