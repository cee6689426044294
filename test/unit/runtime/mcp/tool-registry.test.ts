import { describe, expect, it } from 'vitest';
import { tools as generatedTools } from '../../../../generated/index.js';
import { isJsonObject } from '../../../../runtime/json-object.js';
import { createToolRegistry } from '../../../../runtime/mcp/tool-registry.js';
import { ALL_FIXTURE_SCOPES, CONFIRM_DESCRIPTION, fixtureTools, getQuote, listAccounts, placeOrder } from '../../../runtime/fixtures/fixture-tools.js';

const registry = createToolRegistry(fixtureTools, { duplicateWindowSeconds: 60 });

describe('createToolRegistry', () => {
  it('lists tools sorted by name', () => {
    expect(registry.list(ALL_FIXTURE_SCOPES).map((tool) => tool.name)).toEqual([
      'cancel_order',
      'get_bars',
      'get_positions',
      'get_quote',
      'list_accounts',
      'list_open_orders',
      'place_order',
      'preview_order',
    ]);
  });

  it('lists only tools whose every scope is granted', () => {
    expect(registry.list(['market:information', 'account:information']).map((tool) => tool.name)).toEqual(['get_bars', 'get_quote', 'list_accounts']);
    expect(registry.list([])).toEqual([]);
  });

  it('names the missing scopes', () => {
    const tool = registry.get('place_order');
    expect(tool && registry.missingScopes(tool, ['market:information'])).toEqual(['order:execution']);
  });

  it('publishes the generated definition as is', () => {
    const published = registry.list(ALL_FIXTURE_SCOPES).find((tool) => tool.name === 'get_quote');
    const { definition } = getQuote;
    expect(published).toEqual({
      name: definition.name,
      title: definition.title,
      description: definition.description,
      inputSchema: definition.inputSchema,
      outputSchema: definition.outputSchema,
      annotations: definition.annotations,
    });
  });

  it('publishes the confirmation argument the definition declares, and reads its name from there', () => {
    const tools = registry.list(ALL_FIXTURE_SCOPES);
    const place = tools.find((tool) => tool.name === 'place_order');
    expect(place?.inputSchema.properties?.['confirm_duplicate']).toEqual({ type: 'boolean', description: CONFIRM_DESCRIPTION });
    expect(place?.inputSchema).toEqual(placeOrder.definition.inputSchema);
    expect(registry.get('place_order')?.confirmArgument).toBe('confirm_duplicate');
    for (const name of ['cancel_order', 'preview_order', 'get_quote']) {
      expect(tools.find((tool) => tool.name === name)?.inputSchema.properties).not.toHaveProperty('confirm_duplicate');
      expect(registry.get(name)?.confirmArgument).toBeUndefined();
    }
    expect(registry.get('place_order')?.unsafeToRepeat).toBe(true);
    expect(registry.get('cancel_order')?.unsafeToRepeat).toBe(false);
  });

  it('uses whatever name the definition declares for the confirmation argument', () => {
    const declared = placeOrder.definition.inputSchema['properties'];
    const properties = { ...(isJsonObject(declared) ? declared : {}) };
    delete properties['confirm_duplicate'];
    const renamed = {
      ...placeOrder,
      definition: {
        ...placeOrder.definition,
        inputSchema: { ...placeOrder.definition.inputSchema, properties: { ...properties, i_mean_it: { type: 'boolean' } } },
        confirmDuplicate: { argument: 'i_mean_it' },
      },
    };
    expect(createToolRegistry([renamed], { duplicateWindowSeconds: 60 }).get('place_order')?.confirmArgument).toBe('i_mean_it');
  });

  it('leaves the confirmation argument out when the duplicate window is off', () => {
    const off = createToolRegistry(fixtureTools, { duplicateWindowSeconds: 0 });
    expect(off.list(ALL_FIXTURE_SCOPES).find((tool) => tool.name === 'place_order')?.inputSchema.properties).not.toHaveProperty('confirm_duplicate');
    expect(off.get('place_order')?.confirmArgument).toBeUndefined();
  });

  it('serves the instructions it is given, and none when given none', () => {
    expect(createToolRegistry(fixtureTools, { duplicateWindowSeconds: 60, instructions: 'Use get_quote.' }).instructions).toBe('Use get_quote.');
    expect(registry.instructions).toBeUndefined();
  });

  it('finds JSON-string routes', () => {
    expect(registry.get('preview_order')?.jsonStringArguments).toEqual(['legs']);
  });

  it.each([
    ['duplicate names', [listAccounts, listAccounts], 'Duplicate tool name "list_accounts" in the generated registry'],
    [
      'a non-object input schema',
      [{ ...listAccounts, definition: { ...listAccounts.definition, inputSchema: { type: 'array' } } }],
      'Tool "list_accounts": inputSchema must have "type": "object" at its root',
    ],
    [
      'a declared confirmation argument that is not a boolean of the schema',
      [{ ...placeOrder, definition: { ...placeOrder.definition, inputSchema: { type: 'object', properties: { confirm_duplicate: { type: 'string' } } } } }],
      'Tool "place_order" declares the confirmation argument "confirm_duplicate", but its inputSchema has no boolean "confirm_duplicate"',
    ],
    [
      'a confirmation argument on a tool whose repeats are not guarded',
      [{ ...getQuote, definition: { ...getQuote.definition, confirmDuplicate: { argument: 'symbols' } } }],
      'Tool "get_quote" declares a duplicate confirmation argument but is not destructive and non-idempotent',
    ],
  ])('refuses %s at start-up', (_name, modules, message) => {
    expect(() => createToolRegistry(modules, { duplicateWindowSeconds: 60 })).toThrow(message);
  });

  describe('validators (compiled on first use)', () => {
    const unresolvable = { type: 'object', properties: { symbol: { $ref: '#/$defs/missing' } } };
    const broken = [{ ...listAccounts, definition: { ...listAccounts.definition, inputSchema: unresolvable } }];

    it('rejects bad arguments on the first call of a fresh registry', () => {
      const fresh = createToolRegistry(fixtureTools, { duplicateWindowSeconds: 60 });
      const tool = fresh.get('get_positions')!;
      expect(tool.validateArguments({ account_id: 7, extra: true })).toEqual({
        ok: false,
        problems: ['unknown argument "extra"', 'account_id: must be string'],
      });
      expect(tool.validateArguments({ account_id: 'ACC-1' })).toEqual({ ok: true, args: { account_id: 'ACC-1' } });
    });

    it('compiles each validator once per tool and keeps it (the output validator keeps its errors)', () => {
      const fresh = createToolRegistry(fixtureTools, { duplicateWindowSeconds: 60 });
      const tool = fresh.get('get_positions')!;
      expect(tool.validateArguments).toBe(tool.validateArguments);
      expect(tool.validateOutput).toBe(tool.validateOutput);
      expect(tool.validateOutput({ accountId: 'A', unexpected: 1 })).toBe(false);
      expect(tool.validateOutput.errors?.[0]).toMatchObject({ keyword: 'additionalProperties' });
    });

    it('a schema Ajv cannot compile does not stop start-up; it fails that tool, naming it, and compileAll finds it', () => {
      const registry = createToolRegistry(broken, { duplicateWindowSeconds: 60 });
      expect(registry.list(ALL_FIXTURE_SCOPES).map((tool) => tool.name)).toEqual(['list_accounts']);
      expect(() => registry.get('list_accounts')!.validateArguments({})).toThrow(/^Tool "list_accounts": inputSchema does not compile: .*missing/);
      expect(() => registry.compileAll()).toThrow('Tool "list_accounts": inputSchema does not compile');
    });

    it('every generated tool compiles (a generator bug fails here, not on the first call in production)', () => {
      const registry = createToolRegistry(generatedTools, { duplicateWindowSeconds: 60 });
      expect(() => registry.compileAll()).not.toThrow();
      expect(generatedTools.length).toBeGreaterThan(0);
    });
  });
});
