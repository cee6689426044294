import { describe, expect, it } from 'vitest';
import {
  describeError,
  ERROR_CATALOGUE,
  fillCatalogueText,
  isErrorPageCode,
  MAX_ECHOED_URI,
  type ErrorPageCode,
} from '../../../../../runtime/auth/pages/error-catalogue.js';

const CONTEXT = { callbackUrl: 'https://mcp.aries.com/auth/callback', mcpUrl: 'https://mcp.aries.com/mcp' };
/** RFC 6749 §4.1.2.1: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ); catalogue text is reused there. */
const DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

describe('error catalogue', () => {
  const advice: [ErrorPageCode, RegExp[]][] = [
    ['redirect_uri_mismatch', [/Client Center/, /Redirect URI to exactly https:\/\/mcp\.aries\.com\/auth\/callback/, /no trailing slash/]],
    ['invalid_client', [/Client ID/, /active/, /Client Center/]],
    ['invalid_grant', [/one-time/, /expire/, /again/]],
    ['access_denied', [/Allow/, /remove the connector and add it again/, /new OAuth client/]],
    ['missing_client_id', [/Generate Key/, /Redirect URI https:\/\/mcp\.aries\.com\/auth\/callback/, /enter your own OAuth client ID/]],
    [
      'hosted_client_id',
      [
        /Remove the connector and add it again/,
        /enter your own OAuth client ID/,
        /Generate Key with the Redirect URI https:\/\/mcp\.aries\.com\/auth\/callback/,
      ],
    ],
    ['invalid_state', [/10 minutes/, /only once/, /again/]],
    ['invalid_target', [/exactly https:\/\/mcp\.aries\.com\/mcp \(no trailing slash\)/]],
    ['invalid_scope', [/enable the scopes/, /Client Center/]],
  ];
  it.each(advice)('%s says what to do', (code, patterns) => {
    const entry = describeError(code, CONTEXT);
    const text = [entry.title, entry.whatHappened, ...entry.whatToDo].join(' ');
    for (const pattern of patterns) expect(text).toMatch(pattern);
  });

  it('every entry has a title, an explanation and at least one step, in the error_description charset', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(entry.title, code).not.toBe('');
      expect(entry.whatHappened, code).not.toBe('');
      expect(entry.whatToDo.length, code).toBeGreaterThan(0);
      for (const text of [entry.title, entry.whatHappened, ...entry.whatToDo]) expect(text, code).toMatch(DESCRIPTION_CHARSET);
    }
  });

  it('fills every placeholder', () => {
    for (const code of Object.keys(ERROR_CATALOGUE).filter(isErrorPageCode)) {
      const entry = describeError(code, { ...CONTEXT, redirectUri: 'https://x.example/cb' });
      expect(JSON.stringify(entry)).not.toMatch(/\{[a-zA-Z]+\}/);
    }
    expect(fillCatalogueText('{redirectUri}', CONTEXT)).toBe('(unknown)');
  });

  // Finding 7 (issue 12): a page under the gateway's name repeats at most a short, well-formed URI.
  it.each([
    ['a short URL as it is', 'https://app.example/cb', 'https://app.example/cb'],
    ['a URL of exactly 80 characters as it is', `https://app.example/${'a'.repeat(60)}`, `https://app.example/${'a'.repeat(60)}`],
    [
      'a long URL cut to 80 characters',
      `https://app.example/cb?msg=${'Your-account-is-locked-call-555-0100-'.repeat(20)}`,
      `https://app.example/cb?msg=${'Your-account-is-locked-call-555-0100-'.repeat(2).slice(0, 50)}...`,
    ],
    ['text that is not a URL replaced', 'Your account is locked. Call 555-0100 now.', 'an address that is not a valid URL'],
  ])('echoes %s', (_name, redirectUri, shown) => {
    expect(fillCatalogueText('{redirectUri}', { ...CONTEXT, redirectUri })).toBe(shown);
    expect(shown.length).toBeLessThanOrEqual(MAX_ECHOED_URI);
  });

  it('explains an unknown Aries error with fixed text', () => {
    expect(describeError('aries_error', CONTEXT).whatHappened).toBe('Aries answered with an error the gateway cannot explain, so the sign-in stopped here.');
  });
});
