/**
 * Reads OAuth request parameters (query or form/JSON body) as single strings.
 * RFC 6749 §3.1/§3.2: a parameter must not appear more than once; an empty
 * value counts as absent.
 */
import { isJsonObject } from '../json-object.js';
import { OAuthError } from './oauth-error.js';

export type ParamSource = Readonly<Record<string, unknown>>;

export function asParamSource(value: unknown): ParamSource {
  return isJsonObject(value) ? value : {};
}

/** The parameter's value; `undefined` when absent or empty; `invalid_request` when repeated or not a string. */
export function single(params: ParamSource, name: string, allowRedirect = false): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `Parameter ${name} must be sent once.`, { allowRedirect });
  return value;
}

/** RFC 6749 §3.3: scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export function parseScope(value: string | undefined): string[] | 'invalid' {
  if (value === undefined) return [];
  const scopes = value.split(' ').filter((token) => token !== '');
  return scopes.every((token) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(token)) ? [...new Set(scopes)] : 'invalid';
}
