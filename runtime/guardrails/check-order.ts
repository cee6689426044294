/**
 * Enforces the customer's trading guardrails on one tool call, before
 * anything reaches Aries. For a tool whose definition declares guardrails:
 * 1. read-only connection: refused (the tool is not even listed);
 * 2. order type, side and instrument must be among the allowed ones;
 * 3. the order's value (`order-value.ts`; a market order asks the quote
 *    tool with the caller's token) must not exceed the per-order maximum;
 * 4. `enforce` tools: the value is added to today's total (US market day,
 *    per Aries Client ID) in the store, atomically under the daily maximum,
 *    so two replicas cannot both let the order that passes it through. The
 *    caller gives the amount back (`release`) when Aries certainly did not
 *    take the order; an unknown outcome keeps it counted.
 *    `preview` tools: nothing is counted; the verdict is returned as a note.
 * A refusal is a `GuardrailRefusal` naming the guardrail and the numbers and
 * saying how to change the guardrails (connect the app again). Its `message`
 * is for the model and the user; the `guardrail` name is for metrics and
 * logs, which get no order details.
 */
import type { OrderGuardrails, ToolArguments } from '../contract/tool-definition.js';
import type { Store } from '../store/store.js';
import { formatUsd, type GrantGuardrails, type Guardrails } from './guardrails.js';
import { marketDay } from './market-day.js';
import { describeOrder, valueOrder, ValuationProblem, type QuoteSource, type Valuation } from './order-value.js';

export type GuardrailName = 'read_only' | 'order_type' | 'side' | 'instrument' | 'order_value' | 'daily_total' | 'unvalued';

const HOW_TO_CHANGE =
  'Nothing was sent to Aries. The account owner chose these limits when connecting this app and can change them by connecting the app to Aries again (the gateway shows its connection page with the current values).';
/** A day's total lives past the end of its New York day, whatever the time zone offset. */
const DAY_TOTAL_TTL_SECONDS = 2 * 86_400;

export class GuardrailRefusal extends Error {
  override readonly name = 'GuardrailRefusal';
  constructor(
    readonly guardrail: GuardrailName,
    message: string,
  ) {
    super(message);
  }
}

export type GuardrailOutcome =
  { readonly kind: 'reserved'; readonly valuation: Valuation; release(): Promise<void> } | { readonly kind: 'preview'; readonly note: string };

export interface GuardrailCheckerOptions {
  readonly store: Store;
  readonly now: () => number;
}

export class GuardrailChecker {
  constructor(private readonly options: GuardrailCheckerOptions) {}

  async check(tool: string, rules: OrderGuardrails, args: ToolArguments, grant: GrantGuardrails, quote: QuoteSource): Promise<GuardrailOutcome> {
    const limits = grant.values;
    if (rules.mode === 'preview') {
      try {
        const valuation = await this.checkOrder(tool, rules, args, limits, quote);
        return {
          kind: 'preview',
          note: `Trading guardrails: this order (${formatUsd(valuation.valueCents)} USD) is within this connection's limits: ${summarize(limits)}. The daily total is checked when the order is placed.`,
        };
      } catch (error) {
        if (!(error instanceof GuardrailRefusal)) throw error;
        return { kind: 'preview', note: `Trading guardrails: placing this order would be refused. ${error.message}` };
      }
    }
    const valuation = await this.checkOrder(tool, rules, args, limits, quote);
    const key = `guardrail-day:${grant.account}:${marketDay(this.options.now())}`;
    const { store } = this.options;
    const { added, total } = await store.addWithin(key, valuation.valueCents, limits.maxDailyCents, DAY_TOTAL_TTL_SECONDS);
    if (!added) {
      throw new GuardrailRefusal(
        'daily_total',
        `Refused by the trading guardrail "maximum total per day": this order is worth ${formatUsd(valuation.valueCents)} USD and orders worth ${formatUsd(total)} USD were already placed today (US market day), ` +
          `so the total would be ${formatUsd(total + valuation.valueCents)} USD; the limit is ${formatUsd(limits.maxDailyCents)} USD per day. ${HOW_TO_CHANGE}`,
      );
    }
    return {
      kind: 'reserved',
      valuation,
      release: () => store.addWithin(key, -valuation.valueCents, limits.maxDailyCents, DAY_TOTAL_TTL_SECONDS).then(() => undefined),
    };
  }

  /** Steps 1 to 3. */
  private async checkOrder(tool: string, rules: OrderGuardrails, args: ToolArguments, limits: Guardrails, quote: QuoteSource): Promise<Valuation> {
    if (limits.readOnly) throw readOnlyRefusal(tool);
    try {
      const order = describeOrder(rules, args);
      // A type or side left out is the order's own, unchanged (a replace): it was checked when the order was placed here.
      if (order.orderType !== undefined && !limits.orderTypes.includes(order.orderType)) {
        throw new GuardrailRefusal(
          'order_type',
          `Refused by the trading guardrail "allowed order types": ${order.orderType} orders are not allowed on this connection; allowed: ${listOf(limits.orderTypes)}. ${HOW_TO_CHANGE}`,
        );
      }
      if (order.side !== undefined && !limits.sides.includes(order.side)) {
        throw new GuardrailRefusal(
          'side',
          `Refused by the trading guardrail "allowed sides": ${order.side} is not allowed on this connection; allowed: ${listOf(limits.sides)}. ${HOW_TO_CHANGE}`,
        );
      }
      if (!limits.instruments.includes(order.instrument)) {
        throw new GuardrailRefusal(
          'instrument',
          `Refused by the trading guardrail "allowed instruments": ${order.instrument === 'option' ? 'options' : 'stocks and ETFs'} are not allowed on this connection; allowed: ${listOf(limits.instruments.map(instrumentName))}. ${HOW_TO_CHANGE}`,
        );
      }
      const valuation = await valueOrder(rules, args, quote);
      if (valuation.valueCents > limits.maxOrderCents) {
        const multiplier = valuation.instrument === 'option' ? ` x ${rules.optionMultiplier}` : '';
        throw new GuardrailRefusal(
          'order_value',
          `Refused by the trading guardrail "maximum value per order": this order is worth ${formatUsd(valuation.valueCents)} USD (${valuation.quantity}${multiplier} x ${valuation.price} ${priceName(valuation.priceSource)}); the limit is ${formatUsd(limits.maxOrderCents)} USD per order. ${HOW_TO_CHANGE}`,
        );
      }
      return valuation;
    } catch (error) {
      if (!(error instanceof ValuationProblem)) throw error;
      throw new GuardrailRefusal('unvalued', `Refused by the trading guardrails: the order's value cannot be checked (${error.message}). ${HOW_TO_CHANGE}`);
    }
  }
}

/** A tool that changes something, called on a read-only connection. */
export function readOnlyRefusal(tool: string): GuardrailRefusal {
  return new GuardrailRefusal(
    'read_only',
    `Refused: this connection is read-only (the account owner chose "read only" when connecting this app), so ${tool} is not available. ${HOW_TO_CHANGE}`,
  );
}

/** The limits in one line, for the preview note. */
export function summarize(limits: Guardrails): string {
  if (limits.readOnly) return 'read only';
  return `at most ${formatUsd(limits.maxOrderCents)} USD per order and ${formatUsd(limits.maxDailyCents)} USD per day; order types ${listOf(limits.orderTypes)}; sides ${listOf(limits.sides)}; ${listOf(limits.instruments.map(instrumentName))}`;
}

function listOf(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

function instrumentName(instrument: string): string {
  return instrument === 'option' ? 'options' : 'stocks and ETFs';
}

function priceName(source: string): string {
  return source === 'ask' ? 'current ask' : source === 'bid' ? 'current bid' : `(${source})`;
}
