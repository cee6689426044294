/**
 * Consent already given: per (user, client) pair, the union of every scope the
 * user has allowed that client. Consent is required again only when a request
 * asks for a scope outside that set (a first-time-only permission screen, as
 * the Aries MCP pages describe).
 */

export class ConsentLedger {
  private readonly granted = new Map<string, Set<string>>();

  /** True when every scope in `scopes` was already allowed for this user and client. */
  covers(userId: number, clientId: string, scopes: readonly string[]): boolean {
    const set = this.granted.get(consentKey(userId, clientId));
    return set !== undefined && scopes.every((scope) => set.has(scope));
  }

  record(userId: number, clientId: string, scopes: readonly string[]): void {
    const key = consentKey(userId, clientId);
    const set = this.granted.get(key) ?? new Set<string>();
    for (const scope of scopes) set.add(scope);
    this.granted.set(key, set);
  }
}

function consentKey(userId: number, clientId: string): string {
  return `${userId}\u0000${clientId}`;
}
