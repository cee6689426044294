/**
 * Decimal strings on the wire, numbers inside. Aries sends money and
 * quantities as decimal strings ("175.50"); the sandbox keeps floats rounded
 * to cents after every operation, which is exact enough for a simulator.
 */

const DECIMAL = /^-?(?:\d+)(?:\.\d+)?$/;

/** The number a decimal string denotes, or undefined when it is not one. */
export function parseDecimal(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function roundCents(value: number): number {
  return Math.round((value + Number.EPSILON * Math.sign(value)) * 100) / 100;
}

/** "1234.50": two decimals, never "-0.00". */
export function formatMoney(value: number): string {
  const rounded = roundCents(value);
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(2);
}

/** "10", "0.5": quantities keep up to 6 decimals and drop trailing zeros. */
export function formatQuantity(value: number): string {
  const fixed = value.toFixed(6).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}
