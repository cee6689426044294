/**
 * Tool facts declared in tools.yaml (`confirmDuplicate`, `recovery`,
 * `instructions`): emitted into the definition, the input schema, the review
 * surface and generated/index.ts, and every misuse is a generate error naming
 * the file, the pointer and the fix. The committed generated/ says what the
 * removed runtime text said.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../generator/pipeline.js';
import { instructions } from '../../../generated/index.js';

const SPEC = 'spec/aries.openapi.yaml';
const CONFIG = 'spec/tools.yaml';

async function generateWith(edit: (config: string) => string) {
  const configText = edit(await readFile(CONFIG, 'utf8'));
  return generate({ specFile: SPEC, specText: await readFile(SPEC, 'utf8'), configFile: CONFIG, configText, all: false, skipApiTypes: true });
}

const errors = (result: Awaited<ReturnType<typeof generateWith>>) => result.issues.filter((issue) => issue.severity === 'error');

describe('tool facts in tools.yaml', () => {
  it('the confirmation argument reaches the schema, the definition, tool-surface.json and TOOLS.md of the order-placing tools only', async () => {
    const result = await generateWith((config) => config);
    expect(errors(result)).toEqual([]);
    const withConfirm = result.tools.filter((tool) => tool.definition.confirmDuplicate !== undefined).map((tool) => tool.definition.name);
    expect(withConfirm).toEqual(['place_order', 'replace_order']);
    const place = result.tools.find((tool) => tool.definition.name === 'place_order')?.definition;
    expect(place?.confirmDuplicate).toEqual({ argument: 'confirm_duplicate' });
    expect(place?.inputSchema['properties']).toHaveProperty('confirm_duplicate', {
      type: 'boolean',
      description: 'Set true only to deliberately repeat an identical order the gateway just refused as a probable duplicate.',
    });
    expect(place?.inputSchema['required']).not.toContain('confirm_duplicate');
    expect(result.files.get('tool-surface.json')).toContain('"confirm_duplicate": {');
    expect(result.files.get('TOOLS.md')).toContain('`confirm_duplicate`');
  });

  it('every tool carries the recovery hints; index.ts the instructions', async () => {
    const result = await generateWith((config) => config);
    for (const tool of result.tools) {
      expect(tool.definition.recovery).toEqual({
        lookUpWith: ['list_accounts', 'list_open_orders', 'search_symbols'],
        checkOrdersWith: ['list_open_orders', 'get_order_history'],
      });
    }
    expect(result.files.get('index.ts')).toContain(`export const instructions: string | undefined = ${JSON.stringify(instructions)};`);
  });

  it('the committed instructions say what the runtime said, guardrails included', () => {
    expect(instructions).toBe(
      "Tools for the signed-in user's Aries brokerage accounts: portfolio, balances, quotes, market data and orders. " +
        'Orders are real. Use preview_order before place_order when unsure, confirm the details with the user, and never repeat an order after an error without checking list_open_orders first. ' +
        'The account owner may have set trading guardrails for this connection (maximum value per order and per day, allowed order types, sides and instruments): ' +
        'an order outside them is refused before it reaches Aries with a message naming the guardrail and the numbers; tell the user, do not split or reshape the order to get around it. The owner changes guardrails by connecting the app again.',
    );
  });

  it.each([
    [
      'confirmDuplicate on a tool that is not destructive and non-idempotent',
      (config: string) =>
        config.replace(
          'annotations: { destructiveHint: true, idempotentHint: true }',
          'annotations: { destructiveHint: true, idempotentHint: true }\n    confirmDuplicate: { argument: really, description: Repeat. }',
        ),
      'config.confirm-duplicate',
      /^#\/tools\/\d+\/confirmDuplicate$/,
      'cancel_order declares confirmDuplicate, but it is not destructive and non-idempotent, so the gateway never refuses its repeats.',
    ],
    [
      'a confirmation argument named like a parameter',
      (config: string) => config.replace('argument: confirm_duplicate', 'argument: qty'),
      'config.confirm-duplicate',
      /^#\/tools\/\d+\/confirmDuplicate$/,
      'confirmDuplicate.argument "qty" of place_order is already one of its arguments.',
    ],
    [
      'a recovery hint naming no tool',
      (config: string) => config.replace('lookUpWith: [list_accounts,', 'lookUpWith: [list_acounts,'),
      'config.unknown-tool-reference',
      /^#\/recovery\/lookUpWith\/0$/,
      'recovery.lookUpWith names "list_acounts", which is not a tool of this config.',
    ],
    [
      'instructions naming a renamed tool',
      (config: string) => config.replace('name: list_open_orders', 'name: open_orders'),
      'config.unknown-tool-reference',
      /^#\/instructions$/,
      'The server instructions names "list_open_orders", which is not a tool of this config.',
    ],
  ])('%s is an error with file, pointer and fix', async (_name, edit, code, pointer, message) => {
    const result = await generateWith(edit);
    const issue = errors(result).find((entry) => entry.code === code && entry.message === message);
    expect(issue, JSON.stringify(errors(result), null, 2)).toMatchObject({ severity: 'error', file: CONFIG });
    expect(issue?.pointer).toMatch(pointer);
    expect(issue?.line).toBeGreaterThan(0);
    expect(issue?.fix).not.toBe('');
    expect(result.files.size).toBe(0);
  });

  it('the config schema refuses a confirmDuplicate without a description', async () => {
    const result = await generateWith((config) =>
      config.replace(
        /confirmDuplicate: &order-confirm-duplicate\n\s+argument: confirm_duplicate\n\s+description: [^\n]+/,
        'confirmDuplicate: &order-confirm-duplicate\n      argument: confirm_duplicate',
      ),
    );
    expect(
      errors(result)
        .map((issue) => issue.message)
        .join('\n'),
    ).toMatch(/description/);
  });
});
