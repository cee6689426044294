/**
 * `call-tool.ts` on its own: a registry of two made-up tools whose names are
 * NOT the Aries ones (so any text naming a tool must come from the
 * definitions), an `invoke` that records the call and answers what the test
 * says, and the in-memory store. No HTTP, no upstream server.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RecoveryHints, ToolDefinition, ToolModule, UpstreamResult } from '../../../../runtime/contract/tool-definition.js';
import { GuardrailChecker } from '../../../../runtime/guardrails/check-order.js';
import type { GrantGuardrails } from '../../../../runtime/guardrails/guardrails.js';
import { FixedWindowLimit } from '../../../../runtime/http/fixed-window.js';
import { createLogger } from '../../../../runtime/log.js';
import { createToolCaller, type CallContext } from '../../../../runtime/mcp/call-tool.js';
import { DuplicateGuard } from '../../../../runtime/mcp/duplicate-guard.js';
import { GrantConcurrency } from '../../../../runtime/mcp/grant-concurrency.js';
import type { CallerGrant } from '../../../../runtime/mcp/grant.js';
import { createToolRegistry } from '../../../../runtime/mcp/tool-registry.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';

const RECOVERY: RecoveryHints = { lookUpWith: ['find_things'], checkOrdersWith: ['see_trades', 'trade_log'] };

const submitTrade: ToolDefinition = {
  name: 'submit_trade',
  title: 'Submit a trade',
  description: 'Submits a trade.',
  inputSchema: {
    type: 'object',
    properties: {
      ticker: { type: 'string', minLength: 1 },
      units: { type: 'string', pattern: '^[0-9]+$' },
      kind: { type: 'string', enum: ['LIMIT', 'MARKET'] },
      direction: { type: 'string', enum: ['BUY', 'SELL'] },
      price: { type: 'string' },
      i_mean_it: { type: 'boolean', description: 'Repeat a refused duplicate.' },
    },
    required: ['ticker', 'units', 'kind', 'direction'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', properties: { id: { type: 'string' } } },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  scopes: ['trade'],
  operation: { operationId: 'submitTrade', method: 'post', path: '/trades' },
  routes: [
    { argument: 'ticker', in: 'body', name: 'ticker', bodyPath: ['ticker'] },
    { argument: 'units', in: 'body', name: 'units', bodyPath: ['units'] },
  ],
  pinned: [],
  response: {},
  recovery: RECOVERY,
  confirmDuplicate: { argument: 'i_mean_it' },
  guardrails: {
    mode: 'enforce',
    arguments: { quantity: 'units', orderType: 'kind', side: 'direction', symbol: 'ticker' },
    priceBy: { LIMIT: 'price', MARKET: 'quote' },
    buySides: ['BUY'],
    defaultOrderTypes: ['LIMIT'],
    defaultSides: ['BUY', 'SELL'],
    optionMultiplier: 100,
    quote: { tool: 'find_things', symbolArgument: 'ticker', ask: 'ask', bid: 'bid' },
  },
};

const findThings: ToolDefinition = {
  name: 'find_things',
  title: 'Find things',
  description: 'Finds things.',
  inputSchema: { type: 'object', properties: { ticker: { type: 'string' } }, required: ['ticker'], additionalProperties: false },
  outputSchema: { type: 'object' },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  scopes: ['read'],
  operation: { operationId: 'findThings', method: 'get', path: '/things' },
  routes: [{ argument: 'ticker', in: 'query', name: 'ticker' }],
  pinned: [],
  response: {},
  recovery: RECOVERY,
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

function setup(answer: Answer = { status: 200, body: { id: 'T-1' } }) {
  const calls: { tool: string; args: unknown }[] = [];
  const module = (definition: ToolDefinition): ToolModule<null> => ({
    definition,
    invoke: async (_client, args): Promise<UpstreamResult> => {
      calls.push({ tool: definition.name, args });
      const ok = answer.status < 400;
      return { ...(ok ? { data: answer.body } : { error: answer.body }), response: new Response(null, { status: answer.status }) };
    },
  });
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const now = () => 1_000_000;
  const callTool = createToolCaller({
    registry: createToolRegistry([module(submitTrade), module(findThings)], { duplicateWindowSeconds: 60 }),
    client: null,
    duplicates: new DuplicateGuard({ store, windowSeconds: 60, inFlightSeconds: 30 }),
    callLimit: new FixedWindowLimit({ store, name: 'calls', limitPerMinute: 100, now }),
    concurrency: new GrantConcurrency({ store, limit: 4, waitMs: 100, slotTtlSeconds: 30 }),
    timeoutMs: 2_000,
    budgetTokens: 10_000,
    duplicateWindowSeconds: 60,
    guardrails: new GuardrailChecker({ store, now }),
  });
  return { callTool, calls };
}

function context(guardrails?: GrantGuardrails): CallContext {
  const grant: CallerGrant = {
    grantId: 'grant-1',
    scopes: ['trade', 'read'],
    ...(guardrails === undefined ? {} : { guardrails }),
    accessToken: async () => 'aries-token',
    refreshAccessToken: async () => 'aries-token-2',
    isStale: async () => false,
    revoke: async () => undefined,
  };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    grant,
    requestId: 'req-1',
    signal: new AbortController().signal,
    log: createLogger({ level: 'silent', destination: sink }),
    requireReauthorization: () => undefined,
  };
}

const textOf = (result: { content: unknown[] }): string =>
  result.content
    .map((block) => (typeof block === 'object' && block !== null && 'text' in block && typeof block.text === 'string' ? block.text : ''))
    .join('\n');

const TRADE = { ticker: 'ABC', units: '5', kind: 'LIMIT', direction: 'BUY', price: '10' };

describe('createToolCaller', () => {
  it.each([
    ['a wrong type', { ...TRADE, units: 5 }, '- units: must be string'],
    ['a missing field', { ticker: 'ABC', units: '5', kind: 'LIMIT' }, '- direction: is required'],
    ['an unknown field', { ...TRADE, colour: 'red' }, '- unknown argument "colour"'],
    ['a value outside the enum', { ...TRADE, kind: 'STOP' }, '- kind: must be one of LIMIT, MARKET'],
  ])('refuses %s, naming the field, without calling upstream', async (_name, args, problem) => {
    const { callTool, calls } = setup();
    const result = await callTool('submit_trade', args, context());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Invalid arguments for submit_trade:\n');
    expect(textOf(result)).toContain(problem);
    expect(calls).toEqual([]);
  });

  it('refuses an identical repeat, naming the check tool and the confirmation argument the definition declares; the argument is not sent upstream', async () => {
    const { callTool, calls } = setup();
    expect((await callTool('submit_trade', TRADE, context())).isError).toBeFalsy();
    const repeat = await callTool('submit_trade', TRADE, context());
    expect(repeat.isError).toBe(true);
    expect(textOf(repeat)).toBe(
      'Refused as a probable duplicate: an identical submit_trade call was made from this connection less than 60 seconds ago, or is still in progress. ' +
        'Check see_trades to see the first one. If you really intend a second, separate order, call submit_trade again with the same arguments and i_mean_it: true.',
    );
    expect(calls).toHaveLength(1);
    const meant = await callTool('submit_trade', { ...TRADE, i_mean_it: true }, context());
    expect(meant.isError).toBeFalsy();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args).toEqual(TRADE);
  });

  it('takes the recovery hints of a failed call from the registry', async () => {
    const notFound = setup({ status: 404, body: { error: 'not_found' } });
    expect(textOf(await notFound.callTool('find_things', { ticker: 'ZZZ' }, context()))).toBe(
      'Aries found nothing for this request (HTTP 404). Aries says: not_found\nCheck the identifiers you passed (account id, order id, symbol); find_things looks them up.',
    );
    const broken = setup({ status: 503, body: {} });
    expect(textOf(await broken.callTool('submit_trade', TRADE, context()))).toContain(
      'The status of this submit_trade request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check see_trades (and trade_log) to see whether it went through',
    );
  });

  it('passes a guardrail refusal through as the tool error, before anything reaches upstream', async () => {
    const { callTool, calls } = setup();
    const limits: GrantGuardrails = {
      account: 'acct-1',
      values: { readOnly: false, maxOrderCents: 100_000, maxDailyCents: 1_000_000, orderTypes: ['LIMIT'], sides: ['SELL'], instruments: ['equity'] },
    };
    const result = await callTool('submit_trade', TRADE, context(limits));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Refused by the trading guardrail "allowed sides": BUY is not allowed on this connection; allowed: SELL\. Nothing was sent to Aries\./,
    );
    expect(calls).toEqual([]);
  });
});
