/**
 * `GuardrailChecker` on place_order's and preview_order's declared rules
 * (from the generated definitions) with a memory store and a fixed clock:
 * which guardrail refuses first, the daily total at and just past its limit,
 * giving an amount back, the New York day boundary, one total per Aries
 * Client ID, and preview counting nothing. (End to end, in the browser and
 * across two replicas on Redis: test/e2e/guardrails.test.ts and
 * test/e2e/browser-guardrails.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { definition as placeOrder } from '../../../../generated/tools/place-order.js';
import { definition as previewOrder } from '../../../../generated/tools/preview-order.js';
import type { OrderGuardrails, ToolArguments } from '../../../../runtime/contract/tool-definition.js';
import { GuardrailChecker, GuardrailRefusal, type GuardrailName } from '../../../../runtime/guardrails/check-order.js';
import { DEFAULT_MAX_DAILY_CENTS, DEFAULT_MAX_ORDER_CENTS, type GrantGuardrails, type Guardrails } from '../../../../runtime/guardrails/guardrails.js';
import { ValuationProblem, type QuoteSource } from '../../../../runtime/guardrails/order-value.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';

function rulesOf(definition: { readonly guardrails?: OrderGuardrails }): OrderGuardrails {
  if (definition.guardrails === undefined) throw new Error('the generated tool declares no guardrails');
  return definition.guardrails;
}
const place = rulesOf(placeOrder);
const preview = rulesOf(previewOrder);

const DEFAULTS: Guardrails = {
  readOnly: false,
  maxOrderCents: DEFAULT_MAX_ORDER_CENTS,
  maxDailyCents: DEFAULT_MAX_DAILY_CENTS,
  orderTypes: ['LIMIT'],
  sides: ['BUY', 'SELL'],
  instruments: ['equity'],
};
const grant = (values: Partial<Guardrails> = {}, account = 'client-a'): GrantGuardrails => ({ values: { ...DEFAULTS, ...values }, account });
const quote: QuoteSource = async () => ({ results: { askPrice: 101, bidPrice: 99 } });
const limit = (qty: number, price: string, extra: ToolArguments = {}): ToolArguments => ({
  symbol: 'MSFT',
  side: 'BUY',
  type: 'LIMIT',
  qty: String(qty),
  price,
  ...extra,
});
/** 2026-12-05 12:00 New York (17:00 UTC). */
const NOON_NY = Date.UTC(2026, 11, 5, 17, 0, 0);

const stores: MemoryStore[] = [];
function checker(now: { value: number } = { value: NOON_NY }): GuardrailChecker {
  const store = new MemoryStore({ now: () => now.value, sweepIntervalMs: 0 });
  stores.push(store);
  return new GuardrailChecker({ store, now: () => now.value });
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** The guardrail that refuses, or 'placed'. */
async function verdict(
  check: GuardrailChecker,
  args: ToolArguments,
  values: Partial<Guardrails> = {},
  source: QuoteSource = quote,
): Promise<GuardrailName | 'placed'> {
  try {
    await check.check('place_order', place, args, grant(values), source);
    return 'placed';
  } catch (error) {
    if (error instanceof GuardrailRefusal) return error.guardrail;
    throw error;
  }
}

describe('GuardrailChecker.check (enforce: place_order)', () => {
  it.each<[string, ToolArguments, Partial<Guardrails>, GuardrailName | 'placed']>([
    ['within every default', limit(2, '400'), {}, 'placed'],
    ['read-only refuses first, whatever the order', limit(100, '400', { type: 'MARKET', side: 'SELL_SHORT' }), { readOnly: true }, 'read_only'],
    ['a market order on limit-only', limit(1, '1', { type: 'MARKET' }), {}, 'order_type'],
    ['a short sale', limit(1, '1', { side: 'SELL_SHORT' }), {}, 'side'],
    ['an option by its OSI symbol', limit(1, '1', { symbol: 'MSFT  270115C00400000' }), {}, 'instrument'],
    ['an option by legs', limit(1, '1', { legs: [{ securityType: 'OPT' }] }), {}, 'instrument'],
    ['1,000.01 USD on a 1,000 USD limit', limit(1, '1000.01'), {}, 'order_value'],
    ['exactly 1,000 USD', limit(1, '1000'), {}, 'placed'],
    [
      'an option allowed: 1 x 100 x 10.01 is over 1,000',
      limit(1, '10.01', { symbol: 'MSFT  270115C00400000' }),
      { instruments: ['equity', 'option'] },
      'order_value',
    ],
    ['a market buy at the ask: 10 x 101 is over 1,000', limit(10, '1', { type: 'MARKET' }), { orderTypes: ['LIMIT', 'MARKET'] }, 'order_value'],
    ['a market sell at the bid: 10 x 99 fits', limit(10, '1', { type: 'MARKET', side: 'SELL' }), { orderTypes: ['LIMIT', 'MARKET'] }, 'placed'],
    ['no limit price', { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '1' }, {}, 'unvalued'],
  ])('%s', async (_name, args, values, want) => {
    expect(await verdict(checker(), args, values)).toBe(want);
  });

  it('a quote that cannot be fetched refuses the market order (unvalued), never guesses', async () => {
    const failing: QuoteSource = async () => {
      throw new ValuationProblem('the quote could not be fetched');
    };
    expect(await verdict(checker(), limit(1, '1', { type: 'MARKET' }), { orderTypes: ['MARKET'] }, failing)).toBe('unvalued');
  });

  it('the daily total: up to exactly the limit is placed, one cent more is refused with the numbers', async () => {
    const check = checker();
    for (let i = 0; i < 5; i += 1) expect(await verdict(check, limit(1, '1000'))).toBe('placed');
    const refusal = await check.check('place_order', place, limit(1, '0.01'), grant(), quote).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(GuardrailRefusal);
    expect(refusal instanceof GuardrailRefusal ? refusal.message : '').toMatch(
      /^Refused by the trading guardrail "maximum total per day": this order is worth 0\.01 USD and orders worth 5,000 USD were already placed today \(US market day\), so the total would be 5,000\.01 USD; the limit is 5,000 USD per day\. Nothing was sent to Aries\./,
    );
  });

  it('release gives the amount back (Aries certainly did not take the order)', async () => {
    const check = checker();
    for (let i = 0; i < 4; i += 1) expect(await verdict(check, limit(1, '1000'))).toBe('placed');
    const last = await check.check('place_order', place, limit(1, '1000'), grant(), quote);
    expect(last.kind).toBe('reserved');
    expect(await verdict(check, limit(1, '1'))).toBe('daily_total');
    if (last.kind === 'reserved') await last.release();
    expect(await verdict(check, limit(1, '1000'))).toBe('placed');
  });

  it('a new New York day starts from zero; another Client ID has its own total', async () => {
    const now = { value: NOON_NY };
    const check = checker(now);
    for (let i = 0; i < 5; i += 1) expect(await verdict(check, limit(1, '1000'))).toBe('placed');
    expect(await verdict(check, limit(1, '1'))).toBe('daily_total');
    const other = await check.check('place_order', place, limit(1, '1000'), grant({}, 'client-b'), quote);
    expect(other.kind).toBe('reserved');
    // 04:59 UTC on the 6th is still the 5th in New York (23:59 EST).
    now.value = Date.UTC(2026, 11, 6, 4, 59);
    expect(await verdict(check, limit(1, '1'))).toBe('daily_total');
    now.value = Date.UTC(2026, 11, 6, 5, 1);
    expect(await verdict(check, limit(1, '1000'))).toBe('placed');
  });
});

describe('GuardrailChecker.check (preview: preview_order)', () => {
  it('shows the verdict as a note and counts nothing toward the daily total', async () => {
    const check = checker();
    const within = await check.check('preview_order', preview, limit(1, '1000'), grant(), quote);
    expect(within).toEqual({
      kind: 'preview',
      note: expect.stringMatching(
        /^Trading guardrails: this order \(1,000 USD\) is within this connection's limits: at most 1,000 USD per order and 5,000 USD per day/,
      ),
    });
    const over = await check.check('preview_order', preview, limit(3, '400'), grant(), quote);
    expect(over).toEqual({
      kind: 'preview',
      note: expect.stringMatching(/^Trading guardrails: placing this order would be refused\. Refused by the trading guardrail "maximum value per order"/),
    });
    // Ten previews of 1,000 USD later, five real orders of 1,000 USD still fit.
    for (let i = 0; i < 10; i += 1) await check.check('preview_order', preview, limit(1, '1000'), grant(), quote);
    for (let i = 0; i < 5; i += 1) expect(await verdict(check, limit(1, '1000'))).toBe('placed');
  });
});
