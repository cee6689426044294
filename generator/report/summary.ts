/** The report `npm run generate` prints: tools and their sizes, what was left out, and every issue. */
import { formatIssue, type Issue } from '../issues.js';
import type { BuiltTool } from '../emit/view-model.js';
import type { SpecOperation } from '../select/list-operations.js';
import { measureTool } from './tool-stats.js';

export function formatSummary(tools: readonly BuiltTool[], notAllowlisted: readonly SpecOperation[], issues: readonly Issue[]): string {
  const lines: string[] = [];
  const rows = tools.map(({ definition, notes }) => ({ name: definition.name, notes: notes.length, ...measureTool(definition) }));
  const width = Math.max(4, ...rows.map((row) => row.name.length));
  lines.push(`${'tool'.padEnd(width)}  input bytes  ~tokens  lowering notes`);
  for (const row of rows) {
    lines.push(
      `${row.name.padEnd(width)}  ${String(row.inputSchemaBytes).padStart(11)}  ${String(row.estimatedTokens).padStart(7)}  ${String(row.notes).padStart(14)}`,
    );
  }
  const totalTokens = rows.reduce((sum, row) => sum + row.estimatedTokens, 0);
  const average = rows.length > 0 ? Math.round(totalTokens / rows.length) : 0;
  lines.push(`${rows.length} tools, ~${totalTokens} tokens in total (~${average} per tool)`);
  if (notAllowlisted.length > 0) {
    lines.push('', `${notAllowlisted.length} spec operations are not allowlisted (add them to spec/tools.yaml to expose them):`);
    for (const operation of notAllowlisted) lines.push(`  ${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`);
  }
  if (issues.length > 0) {
    lines.push('', 'Issues:');
    for (const issue of issues) lines.push(`  ${formatIssue(issue)}`);
  }
  return lines.join('\n');
}
