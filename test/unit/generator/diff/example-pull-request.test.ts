/**
 * An example pull request: test/fixtures/surface-diff/base/ is a copy of spec/ (the "before" side), and
 * pull-request.patch.yaml holds the pull request as RFC 6902 operations applied here (the "after" side):
 * - getMarketBreadth allowlisted as get_market_breadth (a new read-only tool: compatible);
 * - searchSymbols' `limit` required upstream and its config default dropped (breaking);
 * - preview_order annotated like place_order (write-capable and destructive: risky).
 * Both surfaces are generated here; the review is the one real file expected.md.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyYamlPatch, parsePatchSet, type PatchSet } from '../../../support/apply-yaml-patch.js';
import { hasErrors } from '../../../../generator/issues.js';
import { generate } from '../../../../generator/pipeline.js';
import { compareSurfaces, needsReview } from '../../../../generator/diff/compare-surfaces.js';
import { loadSurface, type ToolSurface } from '../../../../generator/diff/load-surface.js';
import { renderSurfaceReport } from '../../../../generator/diff/render-markdown.js';
import { summarizeSurfaceChange } from '../../../../generator/diff/summarize-surface-change.js';

const FIXTURE = 'test/fixtures/surface-diff';
const PATCH = `${FIXTURE}/pull-request.patch.yaml`;
const BEFORE_LABEL = `${FIXTURE}/base`;
const AFTER_LABEL = `${FIXTURE}/base + pull-request.patch.yaml`;

/** One file of a side: the base copy before the pull request, the base with its operations after. */
async function sideText(side: 'before' | 'after', file: string, patches: PatchSet): Promise<string> {
  const base = await readFile(`${FIXTURE}/base/${file}`, 'utf8');
  return side === 'before' ? base : applyYamlPatch(base, patches.get(file) ?? []);
}

async function generateSurface(side: 'before' | 'after'): Promise<string> {
  const patches = parsePatchSet(await readFile(PATCH, 'utf8'), PATCH);
  const result = await generate({
    specFile: 'spec/aries.openapi.yaml',
    specText: await sideText(side, 'aries.openapi.yaml', patches),
    configFile: 'spec/tools.yaml',
    configText: await sideText(side, 'tools.yaml', patches),
    runtimeImport: '../runtime',
    skipApiTypes: true,
  });
  expect(result.issues.filter((issue) => issue.severity !== 'info')).toEqual([]);
  expect(hasErrors(result.issues)).toBe(false);
  return result.files.get('tool-surface.json') ?? '';
}

function surface(json: string): ToolSurface {
  const loaded = loadSurface(json, 'tool-surface.json');
  expect(loaded.issues).toEqual([]);
  return loaded.value!;
}

describe('example pull request: test/fixtures/surface-diff', () => {
  let before = '';
  let after = '';
  beforeAll(async () => {
    [before, after] = await Promise.all([generateSurface('before'), generateSurface('after')]);
  });

  it('renders the review comment', async () => {
    const report = compareSurfaces(surface(before), surface(after));
    expect(needsReview(report)).toBe(true);
    await expect(renderSurfaceReport(report, { beforeLabel: BEFORE_LABEL, afterLabel: AFTER_LABEL })).toMatchFileSnapshot(
      '../../../fixtures/surface-diff/expected.md',
    );
  });

  it('passes once the breaking and risky changes are acknowledged', () => {
    const reason = 'Reviewed in the example pull request.';
    const report = compareSurfaces(surface(before), surface(after), [
      { tool: 'search_symbols', change: 'argument.now-required:limit', reason },
      { tool: 'preview_order', change: 'annotation.read-only-lost', reason },
      { tool: 'preview_order', change: 'annotation.destructive-gained', reason },
    ]);
    expect(report.counts).toEqual({ breaking: 0, risky: 0, compatible: 3, acknowledged: 3 });
    expect(needsReview(report)).toBe(false);
  });

  it('summarizes the change for npm run generate', () => {
    expect(summarizeSurfaceChange(before, after)).toBe(
      [
        'Tool surface: 1 breaking · 2 risky · 3 compatible (16 → 17 tools; added `get_market_breadth`).',
        '- 🔴 breaking `search_symbols`: argument `limit` is now required',
        '- 🟠 risky `preview_order`: became write-capable: readOnlyHint `true` → `false`',
        '- 🟠 risky `preview_order`: became destructive: destructiveHint `false` → `true`',
        'Run `npm run surface:diff` for the full report; acknowledge accepted changes under `acknowledged:` in spec/tools.yaml.',
        '',
      ].join('\n'),
    );
    expect(summarizeSurfaceChange(before, before)).toBe('Tool surface: no changes (16 tools).\n');
    expect(summarizeSurfaceChange('', after)).toBe('Tool surface: 17 tools; no previous tool-surface.json to compare with.\n');
  });
});
