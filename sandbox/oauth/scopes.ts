/**
 * The colon-style scopes Aries documents (API-REFERENCE §1.6), with the
 * wording the consent page and Client Center show. The spec's security scheme
 * lists the same names; a test keeps the two in step.
 */

export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'user:management': 'Change your profile and settings',
  'user:information': 'Read your profile and personal details',
  'account:information': 'Read your balances, positions, history and account details',
  'order:execution': 'Place, modify and cancel orders in your accounts',
  'order:information': 'Read your order history, order status and executions',
  'position:information': 'Read your current positions and holdings',
  'market:information': 'Read live and historical market data',
  'calendar:information': 'Read earnings, economic and market-schedule calendars',
  'options:information': 'Read option chains, Greeks and expirations',
  'analytics:information': 'Read analyst ratings, analytics and market insights',
  'market:supplemental': 'Read news, company profiles, financials, filings and ETF data',
};

export const KNOWN_SCOPES: readonly string[] = Object.keys(SCOPE_DESCRIPTIONS);

export function isKnownScope(scope: string): boolean {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, scope);
}

/** Splits a space-separated scope string into distinct scopes, in order. */
export function parseScopeString(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter((s) => s.length > 0))];
}
