/**
 * The trading guardrails a customer chooses on the connection page, and the
 * policy the generated tools declare (`spec/tools.yaml` `guardrails`).
 *
 * - `Guardrails`: the values stored on a grant (and, per Aries Client ID, as
 *   the "current values" the page shows on the next connection). Amounts are
 *   whole US cents so they add up exactly in the store.
 * - `GuardrailPolicy`: derived once from the tool definitions: which scopes
 *   make the page appear (those of the tools that enforce guardrails), which
 *   order types and sides the page offers (the declared price rules and the
 *   side argument's enum), and the safe defaults.
 * What it does not do: read forms (`guardrails-form.ts`), value orders
 * (`order-value.ts`) or enforce anything (`check-order.ts`).
 */
import type { JsonSchema, ToolDefinition } from '../contract/tool-definition.js';

export type Instrument = 'equity' | 'option';
export const INSTRUMENTS: readonly Instrument[] = ['equity', 'option'];

export interface Guardrails {
  /** The order tools are hidden and refused: the connection only reads. */
  readonly readOnly: boolean;
  readonly maxOrderCents: number;
  /** Per US market day (New York calendar date), across every order of this Aries Client ID. */
  readonly maxDailyCents: number;
  readonly orderTypes: readonly string[];
  readonly sides: readonly string[];
  readonly instruments: readonly Instrument[];
}

export interface GuardrailPolicy {
  /** A connection forwarding any of these scopes sees the connection page. */
  readonly scopes: readonly string[];
  /** Offered on the page, in declaration order. */
  readonly orderTypes: readonly string[];
  readonly sides: readonly string[];
  readonly defaults: Guardrails;
}

/** 1,000 USD per order and 5,000 USD per day: enough for a considered trade, small against a typical account's loss from a runaway model. */
export const DEFAULT_MAX_ORDER_CENTS = 100_000;
export const DEFAULT_MAX_DAILY_CENTS = 500_000;

/** The policy the tools declare, or undefined when no tool has guardrails (then no page is shown). */
export function guardrailPolicy(definitions: readonly ToolDefinition[]): GuardrailPolicy | undefined {
  const guarded = definitions.flatMap((definition) => (definition.guardrails === undefined ? [] : [{ definition, rules: definition.guardrails }]));
  if (guarded.length === 0) return undefined;
  const scopes = new Set<string>();
  const orderTypes = new Set<string>();
  const sides = new Set<string>();
  const defaultTypes = new Set<string>();
  const defaultSides = new Set<string>();
  for (const { definition, rules } of guarded) {
    if (rules.mode === 'enforce') definition.scopes.forEach((scope) => scopes.add(scope));
    Object.keys(rules.priceBy).forEach((type) => orderTypes.add(type));
    enumOf(definition.inputSchema, rules.arguments.side).forEach((side) => sides.add(side));
    rules.defaultOrderTypes.forEach((type) => defaultTypes.add(type));
    rules.defaultSides.forEach((side) => defaultSides.add(side));
  }
  return {
    scopes: [...scopes],
    orderTypes: [...orderTypes],
    sides: [...sides],
    defaults: {
      readOnly: false,
      maxOrderCents: DEFAULT_MAX_ORDER_CENTS,
      maxDailyCents: DEFAULT_MAX_DAILY_CENTS,
      orderTypes: [...defaultTypes].filter((type) => orderTypes.has(type)),
      sides: [...defaultSides].filter((side) => sides.has(side)),
      instruments: ['equity'],
    },
  };
}

/** True when the forwarded scopes let the connection place orders, so the page must be shown. */
export function needsConnectionPage(policy: GuardrailPolicy | undefined, forwardedScopes: readonly string[]): policy is GuardrailPolicy {
  return policy !== undefined && policy.scopes.some((scope) => forwardedScopes.includes(scope));
}

/** `12345` cents -> `"123.45"`; whole dollars without decimals (`"1,000"`). */
export function formatUsd(cents: number): string {
  const whole = Math.floor(cents / 100).toLocaleString('en-US');
  const rest = cents % 100;
  return rest === 0 ? whole : `${whole}.${String(rest).padStart(2, '0')}`;
}

/** A stored or submitted value, checked field by field; anything else is undefined (the caller falls back to defaults). */
export function readGuardrails(value: unknown, policy: GuardrailPolicy): Guardrails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const get = (key: string): unknown => Reflect.get(value, key);
  const list = <T extends string>(key: string, allowed: readonly T[]): T[] | undefined => {
    const items = get(key);
    return Array.isArray(items) && items.every((item): item is T => allowed.some((entry) => entry === item)) ? items : undefined;
  };
  const cents = (key: string): number | undefined => {
    const amount = get(key);
    return typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0 ? amount : undefined;
  };
  const readOnly = get('readOnly');
  const [maxOrderCents, maxDailyCents] = [cents('maxOrderCents'), cents('maxDailyCents')];
  const [orderTypes, sides, instruments] = [list('orderTypes', policy.orderTypes), list('sides', policy.sides), list('instruments', INSTRUMENTS)];
  if (typeof readOnly !== 'boolean' || maxOrderCents === undefined || maxDailyCents === undefined || !orderTypes || !sides || !instruments) return undefined;
  return { readOnly, maxOrderCents, maxDailyCents, orderTypes, sides, instruments };
}

function enumOf(schema: JsonSchema, argument: string): string[] {
  const properties = schema.properties;
  const property = typeof properties === 'object' && properties !== null ? Reflect.get(properties, argument) : undefined;
  const values = typeof property === 'object' && property !== null ? Reflect.get(property, 'enum') : undefined;
  return Array.isArray(values) ? values.filter((item): item is string => typeof item === 'string') : [];
}

/** What a caller's grant carries into a tool call (`CallerGrant.guardrails`). */
export interface GrantGuardrails {
  readonly values: Guardrails;
  /** Whose daily total the orders count toward: a digest of the Aries Client ID (one per customer), so it survives reconnecting. */
  readonly account: string;
}
