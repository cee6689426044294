/**
 * Builds the redirect back to a client: the registered URI (already matched
 * exactly) with parameters added to its query, keeping any query it already
 * has (RFC 6749 §3.1.2: the endpoint URI "MAY include a query component, which
 * MUST be retained when adding additional query parameters").
 */

export function appendToRedirectUri(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}

/** The origin of a redirect URI for CSP `form-action`, or undefined for non-web schemes. */
export function redirectOrigin(redirectUri: string): string | undefined {
  try {
    const url = new URL(redirectUri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : `${url.protocol}`;
  } catch {
    return undefined;
  }
}
