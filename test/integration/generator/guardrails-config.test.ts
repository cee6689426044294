/**
 * `guardrails` in tools.yaml: passed through into the definition and the
 * review surface, and an argument name the tool does not have is an error
 * naming the file, line and the arguments to choose from.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';

const SPEC = 'spec/aries.openapi.yaml';
const CONFIG = 'spec/tools.yaml';

async function generateWith(configText: string) {
  return generate({ specFile: SPEC, specText: await readFile(SPEC, 'utf8'), configFile: CONFIG, configText, all: false });
}

describe('tools.yaml guardrails', () => {
  it('reaches the definition, the module and TOOLS.md', async () => {
    const result = await generateWith(await readFile(CONFIG, 'utf8'));
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    const place = result.tools.find((tool) => tool.definition.name === 'place_order');
    expect(place?.definition.guardrails).toMatchObject({ mode: 'enforce', arguments: { quantity: 'qty', optionLegs: 'legs' }, priceBy: { MARKET: 'quote' } });
    expect(result.tools.find((tool) => tool.definition.name === 'cancel_order')?.definition.guardrails).toBeUndefined();
    expect(result.files.get('tools/place-order.ts')).toContain('"guardrails": {');
    expect(result.files.get('TOOLS.md')).toContain('- Trading guardrails (enforce): quantity `qty`');
  });

  it('an argument the tool does not have is an error with file, line and fix', async () => {
    // The first guardrails block is preview_order's.
    const config = (await readFile(CONFIG, 'utf8')).replace('quantity: qty,', 'quantity: quantity,');
    const result = await generateWith(config);
    const issue = result.issues.find((entry) => entry.code === 'config.guardrails-unknown-argument');
    expect(issue).toMatchObject({
      severity: 'error',
      file: CONFIG,
      message: 'Guardrails of preview_order name the argument "quantity", which the tool does not have.',
    });
    expect(issue?.pointer).toMatch(/^#\/tools\/\d+\/guardrails\/arguments\/quantity$/);
    expect(issue?.line).toBeGreaterThan(100);
    expect(issue?.fix).toContain('qty');
  });

  it('the schema refuses an unknown mode', async () => {
    const config = (await readFile(CONFIG, 'utf8')).replace('mode: preview', 'mode: warn');
    const result = await generateWith(config);
    expect(result.issues.some((issue) => issue.severity === 'error' && issue.pointer.endsWith('/guardrails/mode'))).toBe(true);
  });
});
