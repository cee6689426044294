/**
 * Every secret a robustness test learns (passwords, client secrets, PKCE
 * verifiers, gateway and Aries tokens, bearer headers) and a scan of captured
 * log text for any of them. Values shorter than 8 characters are not
 * tracked: they would match by accident.
 */

export type SecretKind =
  'password' | 'client secret' | 'code verifier' | 'gateway access token' | 'gateway refresh token' | 'Aries access token' | 'Aries refresh token';

export class SecretLedger {
  private readonly secrets = new Map<string, SecretKind>();

  remember(kind: SecretKind, value: string | null | undefined): void {
    if (typeof value === 'string' && value.length >= 8) this.secrets.set(value, kind);
  }

  get size(): number {
    return this.secrets.size;
  }

  count(kind: SecretKind): number {
    return [...this.secrets.values()].filter((known) => known === kind).length;
  }

  /** `kind: line excerpt` for each log line that contains a known secret. */
  findIn(lines: readonly string[]): string[] {
    const found: string[] = [];
    for (const line of lines) {
      for (const [value, kind] of this.secrets) {
        const at = line.indexOf(value);
        if (at >= 0) found.push(`${kind} in log line: ${line.slice(Math.max(0, at - 120), at)}<${kind}>`);
      }
    }
    return found;
  }
}
