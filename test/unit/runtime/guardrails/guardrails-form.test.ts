/** `readGuardrailsForm`: the connection page's fields, as Express parses them (strings, arrays for repeated fields). */
import { describe, expect, it } from 'vitest';
import { tools } from '../../../../generated/index.js';
import { readGuardrailsForm } from '../../../../runtime/guardrails/guardrails-form.js';
import { guardrailPolicy } from '../../../../runtime/guardrails/guardrails.js';

const policy = guardrailPolicy(tools.map((tool) => tool.definition))!;
const valid = { access: 'trade', max_order_usd: '1,000', max_daily_usd: '$5000.50', order_types: 'LIMIT', sides: ['BUY', 'SELL'], instruments: 'equity' };

describe('guardrailPolicy over the generated tools', () => {
  it('shows the page for order:execution, offers the declared types and sides, and defaults to limit orders, no shorts, stocks and ETFs', () => {
    expect(policy.scopes).toEqual(['order:execution']);
    expect(policy.defaults).toEqual({
      readOnly: false,
      maxOrderCents: 100_000,
      maxDailyCents: 500_000,
      orderTypes: ['LIMIT'],
      sides: ['BUY', 'SELL'],
      instruments: ['equity'],
    });
  });
});

describe('readGuardrailsForm', () => {
  it('reads a valid form into cents and choices', () => {
    expect(readGuardrailsForm(valid, policy)).toEqual({
      ok: true,
      guardrails: { readOnly: false, maxOrderCents: 100_000, maxDailyCents: 500_050, orderTypes: ['LIMIT'], sides: ['BUY', 'SELL'], instruments: ['equity'] },
    });
  });

  it('read-only ignores the other fields', () => {
    expect(readGuardrailsForm({ access: 'read_only', max_order_usd: 'nonsense' }, policy)).toEqual({
      ok: true,
      guardrails: { ...policy.defaults, readOnly: true },
    });
  });

  const hostile: [string, Record<string, unknown>, string][] = [
    ['missing access', { ...valid, access: undefined }, 'access'],
    ['zero dollars', { ...valid, max_order_usd: '0' }, 'max_order_usd'],
    ['three decimals', { ...valid, max_order_usd: '10.005' }, 'max_order_usd'],
    ['NaN', { ...valid, max_daily_usd: 'NaN' }, 'max_daily_usd'],
    ['Infinity', { ...valid, max_daily_usd: 'Infinity' }, 'max_daily_usd'],
    ['an object (nested form)', { ...valid, max_daily_usd: { $gt: '' } }, 'max_daily_usd'],
    ['a prototype key as order type', { ...valid, order_types: '__proto__' }, 'order_types'],
    ['a number instead of text', { ...valid, sides: [1] }, 'sides'],
    ['unicode digits', { ...valid, max_order_usd: '１０００' }, 'max_order_usd'],
    ['no instrument', { ...valid, instruments: undefined }, 'instruments'],
    ['an exponent', { ...valid, max_order_usd: '1e3' }, 'max_order_usd'],
    ['a negative amount', { ...valid, max_daily_usd: '-5000' }, 'max_daily_usd'],
    ['a plus sign', { ...valid, max_order_usd: '+1000' }, 'max_order_usd'],
    ['a hexadecimal amount', { ...valid, max_order_usd: '0x3E8' }, 'max_order_usd'],
    ['a huge amount (more digits than a double holds)', { ...valid, max_daily_usd: '99999999999999999999' }, 'max_daily_usd'],
    ['just over the ceiling', { ...valid, max_daily_usd: '10,000,000.01' }, 'max_daily_usd'],
    ['Arabic-Indic digits', { ...valid, max_order_usd: '١٠٠٠' }, 'max_order_usd'],
    ['Devanagari digits', { ...valid, max_daily_usd: '५०००' }, 'max_daily_usd'],
    ['a NUL after the digits', { ...valid, max_order_usd: '1000\u0000' }, 'max_order_usd'],
    ['no amount', { ...valid, max_order_usd: undefined }, 'max_order_usd'],
    ['an empty amount', { ...valid, max_daily_usd: '' }, 'max_daily_usd'],
    ['no order type', { ...valid, order_types: undefined }, 'order_types'],
    ['no side', { ...valid, sides: undefined }, 'sides'],
    ['access given twice', { ...valid, access: ['trade', 'read_only'] }, 'access'],
    ['read-only given twice', { ...valid, access: ['read_only', 'read_only'] }, 'access'],
    ['an order type in lower case', { ...valid, order_types: 'limit' }, 'order_types'],
    ['an order type with a trailing space', { ...valid, order_types: 'LIMIT ' }, 'order_types'],
    ['an unknown order type next to a known one', { ...valid, order_types: ['LIMIT', 'IOC'] }, 'order_types'],
    ['a side the tools do not know', { ...valid, sides: ['BUY', 'SELL SHORT'] }, 'sides'],
    ['an unknown instrument', { ...valid, instruments: ['equity', 'crypto'] }, 'instruments'],
  ];
  it.each(hostile)('refuses %s, naming the field', (_name, body, field) => {
    const reading = readGuardrailsForm(body, policy);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? [] : reading.problems.map((problem) => problem.field)).toEqual([field]);
  });

  it('a choice given twice counts once, and the largest accepted amount is exactly 10,000,000 USD', () => {
    expect(
      readGuardrailsForm({ ...valid, max_daily_usd: '10,000,000.00', order_types: ['LIMIT', 'LIMIT'], instruments: ['equity', 'equity'] }, policy),
    ).toEqual({
      ok: true,
      guardrails: {
        readOnly: false,
        maxOrderCents: 100_000,
        maxDailyCents: 1_000_000_000,
        orderTypes: ['LIMIT'],
        sides: ['BUY', 'SELL'],
        instruments: ['equity'],
      },
    });
  });
});
