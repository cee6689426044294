/**
 * Changes to a tool's trading guardrails (`guardrails:` in spec/tools.yaml,
 * emitted as `ToolDefinition.guardrails`): what the gateway checks before an
 * order reaches Aries. Every such change is safety-relevant (class `risky`),
 * in its own category (`guardrails.*`) so the report can list them apart:
 * - `guardrails.removed` / `guardrails.added`: the tool loses or gains the
 *   guardrails (a new tool declared with guardrails counts as gaining them);
 * - `guardrails.mode-changed`: `enforce` (refused before Aries, counted in
 *   the daily total) <-> `preview` (the verdict is only shown);
 * - `guardrails.argument-changed`: which argument the guardrails read the
 *   order's quantity, type, side, symbol or option legs from;
 * - `guardrails.valuation-changed`: how an order's value is computed (the
 *   price argument per order type or `quote`, the buy sides, the option
 *   multiplier and symbol pattern, the quote tool and where ask and bid are);
 * - `guardrails.defaults-changed`: what the connection page offers ticked.
 * The subject is the dotted field (`priceBy.MARKET`, `arguments.quantity`).
 * Fields are compared generically (leaves of the declared object, arrays as
 * one value), so a field added to `OrderGuardrails` later is still reported,
 * as a valuation change unless it is one of the named groups.
 * What it does not do: render the report (render-markdown.ts lists these
 * changes in their own section) or validate the declaration (the generator).
 * No runtime import from change.ts: change.ts spreads GUARDRAIL_CHANGE_KINDS.
 */
import type { OrderGuardrails } from '../../runtime/contract/tool-definition.js';
import { canonicalJson } from '../report/canonical-json.js';
import type { ChangeClass, SurfaceChange } from './change.js';

export const GUARDRAIL_CHANGE_KINDS = [
  'guardrails.removed',
  'guardrails.added',
  'guardrails.mode-changed',
  'guardrails.argument-changed',
  'guardrails.valuation-changed',
  'guardrails.defaults-changed',
] as const;

export type GuardrailChangeKind = (typeof GUARDRAIL_CHANGE_KINDS)[number];

/** Safety-relevant, whichever way they go: a reviewer confirms each (or acknowledges it). */
export const GUARDRAIL_CHANGE_CLASS: { readonly [Kind in GuardrailChangeKind]: ChangeClass } = {
  'guardrails.removed': 'risky',
  'guardrails.added': 'risky',
  'guardrails.mode-changed': 'risky',
  'guardrails.argument-changed': 'risky',
  'guardrails.valuation-changed': 'risky',
  'guardrails.defaults-changed': 'risky',
};

const MODE_MEANING: Readonly<Record<string, string>> = {
  enforce: "orders outside the customer's limits are refused before Aries and counted in the daily total",
  preview: "the guardrails' verdict is only shown, nothing is refused",
};

const ROLE_OF_ARGUMENT: Readonly<Record<string, string>> = {
  quantity: 'quantity',
  orderType: 'order type',
  side: 'side',
  symbol: 'symbol',
  optionLegs: 'option legs',
};

const DEFAULT_NAME: Readonly<Record<string, string>> = { defaultOrderTypes: 'these order types', defaultSides: 'these sides' };

export const DESCRIBE_GUARDRAIL_KIND: { readonly [Kind in GuardrailChangeKind]: (change: SurfaceChange) => string } = {
  'guardrails.removed': (c) =>
    `no longer checked by the trading guardrails: its orders reach Aries without the customer's limits (was ${mode(field(c.before, 'mode'))})`,
  'guardrails.added': (c) => `now checked by the trading guardrails, ${mode(field(c.after, 'mode'))}`,
  'guardrails.mode-changed': (c) => `trading guardrails mode ${fromTo(c)}: ${MODE_MEANING[String(c.after)] ?? 'unknown mode'}`,
  'guardrails.argument-changed': (c) => {
    const role = c.subject.replace(/^arguments\./, '');
    return `the trading guardrails read the order's ${ROLE_OF_ARGUMENT[role] ?? role} from ${argumentName(c.after)} (was ${argumentName(c.before)})`;
  },
  'guardrails.valuation-changed': (c) => {
    const orderType = /^priceBy\.(.+)$/.exec(c.subject)?.[1];
    if (orderType !== undefined) return `how an order's value is computed: a ${span(orderType)} order is valued at ${price(c.after)} (was ${price(c.before)})`;
    return `how an order's value is computed: ${span(c.subject)} ${fromTo(c)}`;
  },
  'guardrails.defaults-changed': (c) => `the connection page ticks ${DEFAULT_NAME[c.subject] ?? span(c.subject)} by default: ${fromTo(c)}`,
};

/** The guardrail changes between two versions of one tool (`before` absent: a new tool). */
export function diffGuardrails(tool: string, before: OrderGuardrails | undefined, after: OrderGuardrails | undefined): SurfaceChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ tool, kind: 'guardrails.added', subject: '', after }];
  if (after === undefined) return [{ tool, kind: 'guardrails.removed', subject: '', before }];
  const [oldLeaves, newLeaves] = [leaves(before), leaves(after)];
  const paths = [...new Set([...oldLeaves.keys(), ...newLeaves.keys()])].sort();
  return paths.flatMap((path): SurfaceChange[] => {
    const [was, now] = [oldLeaves.get(path), newLeaves.get(path)];
    return canonicalJson(was) === canonicalJson(now) ? [] : [{ tool, kind: kindOf(path), subject: path, before: was, after: now }];
  });
}

export function isGuardrailChange(change: Pick<SurfaceChange, 'kind'>): boolean {
  return GUARDRAIL_CHANGE_KINDS.some((kind) => kind === change.kind);
}

function kindOf(path: string): GuardrailChangeKind {
  if (path === 'mode') return 'guardrails.mode-changed';
  if (path.startsWith('arguments.')) return 'guardrails.argument-changed';
  if (path === 'defaultOrderTypes' || path === 'defaultSides') return 'guardrails.defaults-changed';
  return 'guardrails.valuation-changed';
}

/** Dotted path -> value for every non-object leaf; arrays are one value. */
function leaves(value: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix === '' ? key : `${prefix}.${key}`, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined;
}

function mode(value: unknown): string {
  return `${span(String(value))}: ${MODE_MEANING[String(value)] ?? 'unknown mode'}`;
}

function price(value: unknown): string {
  if (value === undefined) return 'nothing (the order cannot be valued, so it is refused)';
  return value === 'quote' ? 'the current ask (buy) or bid (sell) from the quote' : `argument ${span(String(value))}`;
}

function argumentName(value: unknown): string {
  return value === undefined ? 'no argument' : `argument ${span(String(value))}`;
}

function fromTo(change: SurfaceChange): string {
  return `${shown(change.before)} → ${shown(change.after)}`;
}

function shown(value: unknown): string {
  return value === undefined ? 'none' : span(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A Markdown code span (describe-change.ts's `code`, not imported: that module spreads this one's table). */
function span(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
