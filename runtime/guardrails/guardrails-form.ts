/**
 * Reads the guardrail fields of the connection page's form (POST,
 * `application/x-www-form-urlencoded`, parsed by Express without nesting:
 * a field is a string, or an array of strings when repeated).
 *
 * Rules:
 * - `access` is `trade` or `read_only`; read-only ignores every other field;
 * - `max_order_usd` and `max_daily_usd`: US dollars, digits with an optional
 *   `$`, thousands commas and up to two decimals, from 1 to 10,000,000;
 * - `order_types`, `sides` and `instruments`: each value one of the page's
 *   choices (no duplicates kept), at least one of each when trading;
 * - every value at most 64 characters, every list at most 16 values.
 * Each problem names the field, so the page can show it next to it.
 * What it does not do: check the CSRF token or the browser (`connect.ts`).
 */
import { INSTRUMENTS, type GuardrailPolicy, type Guardrails, type Instrument } from './guardrails.js';

export interface FormProblem {
  readonly field: string;
  readonly message: string;
}

export type FormReading = { readonly ok: true; readonly guardrails: Guardrails } | { readonly ok: false; readonly problems: readonly FormProblem[] };

const MAX_VALUE_LENGTH = 64;
const MAX_LIST_LENGTH = 16;
const MAX_USD_CENTS = 1_000_000_000;
const USD = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?$/;

export function readGuardrailsForm(body: Readonly<Record<string, unknown>>, policy: GuardrailPolicy): FormReading {
  const problems: FormProblem[] = [];
  const access = one(body, 'access', problems);
  if (access === 'read_only') return problems.length > 0 ? { ok: false, problems } : { ok: true, guardrails: { ...policy.defaults, readOnly: true } };
  if (access !== 'trade' && access !== null) problems.push({ field: 'access', message: 'Choose whether the app may place orders or only read.' });
  const maxOrderCents = usd(body, 'max_order_usd', 'Maximum value per order', problems);
  const maxDailyCents = usd(body, 'max_daily_usd', 'Maximum total per day', problems);
  const orderTypes = choices(body, 'order_types', policy.orderTypes, 'order type', problems);
  const sides = choices(body, 'sides', policy.sides, 'side', problems);
  const instruments = choices<Instrument>(body, 'instruments', INSTRUMENTS, 'instrument', problems);
  if (problems.length > 0 || maxOrderCents === undefined || maxDailyCents === undefined) return { ok: false, problems };
  return { ok: true, guardrails: { readOnly: false, maxOrderCents, maxDailyCents, orderTypes, sides, instruments } };
}

/** The field's values; undefined when they are malformed (the problem is recorded, once). */
function values(body: Readonly<Record<string, unknown>>, field: string, problems: FormProblem[]): string[] | undefined {
  const raw = body[field];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_LIST_LENGTH) {
    problems.push({ field, message: `Too many values (at most ${MAX_LIST_LENGTH}).` });
    return undefined;
  }
  if (!list.every((value): value is string => typeof value === 'string' && value.length <= MAX_VALUE_LENGTH)) {
    problems.push({ field, message: `Each value must be text of at most ${MAX_VALUE_LENGTH} characters.` });
    return undefined;
  }
  return list;
}

/** One value; `null` when the field is malformed (already recorded). */
function one(body: Readonly<Record<string, unknown>>, field: string, problems: FormProblem[]): string | undefined | null {
  const list = values(body, field, problems);
  if (list === undefined) return null;
  if (list.length > 1) {
    problems.push({ field, message: 'Give one value only.' });
    return null;
  }
  return list[0];
}

function usd(body: Readonly<Record<string, unknown>>, field: string, label: string, problems: FormProblem[]): number | undefined {
  const given = one(body, field, problems);
  if (given === null) return undefined;
  const text = given?.trim();
  const match = text === undefined ? null : USD.exec(text);
  const cents = match === null ? undefined : Number((match[1] ?? '').replaceAll(',', '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (cents === undefined || cents < 100 || cents > MAX_USD_CENTS) {
    problems.push({ field, message: `${label}: enter an amount in US dollars from 1 to 10,000,000 (for example 1000 or 1,000.50).` });
    return undefined;
  }
  return cents;
}

function choices<T extends string>(body: Readonly<Record<string, unknown>>, field: string, allowed: readonly T[], noun: string, problems: FormProblem[]): T[] {
  const list = values(body, field, problems);
  if (list === undefined) return [];
  const chosen = allowed.filter((choice) => list.includes(choice));
  if (list.some((value) => !allowed.some((choice) => choice === value))) problems.push({ field, message: `Unknown ${noun}; choose from the list.` });
  else if (chosen.length === 0) problems.push({ field, message: `Choose at least one ${noun}, or choose read-only.` });
  return chosen;
}
