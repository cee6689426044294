/**
 * The stable catalogue of what the gateway tells a person when connecting
 * fails: code -> title, what happened, what to do. Error pages render from
 * it, tests and docs import it (the customer guide's troubleshooting rows
 * say the same things in the same order of advice).
 *
 * Texts may contain `{callbackUrl}` (the exact redirect URI to register in
 * Client Center), `{mcpUrl}` (the connector URL) and `{redirectUri}`;
 * `fillCatalogueText` substitutes them. Never put a token, a code or an
 * upstream body into a context value.
 *
 * Pages carry the gateway's name, so text a link can choose never appears on
 * them beyond what the user must see: an unknown Aries error code gets the
 * one fixed `aries_error` text (no echo), and an echoed redirect URI is cut
 * to `MAX_ECHOED_URI` characters, or replaced when it is not a URL at all.
 */

export type ErrorPageCode =
  | 'redirect_uri_mismatch'
  | 'invalid_client'
  | 'access_denied'
  | 'invalid_scope'
  | 'invalid_grant'
  | 'invalid_state'
  | 'browser_mismatch'
  | 'redirect_uri_not_allowed'
  | 'missing_client_id'
  | 'hosted_client_id'
  | 'invalid_request'
  | 'invalid_target'
  | 'temporarily_unavailable'
  | 'too_many_pending'
  | 'server_error'
  | 'aries_error';

export interface CatalogueEntry {
  readonly title: string;
  readonly whatHappened: string;
  readonly whatToDo: readonly string[];
}

export interface CatalogueContext {
  readonly callbackUrl: string;
  readonly mcpUrl: string;
  /** Untrusted (the app's request): shown through `echoedUri`. */
  readonly redirectUri?: string;
}

const START_AGAIN = 'Go back to Claude (or your MCP app) and connect the Aries connector again.';

export const ERROR_CATALOGUE: Readonly<Record<ErrorPageCode, CatalogueEntry>> = {
  redirect_uri_mismatch: {
    title: "Aries does not accept this gateway's callback address",
    whatHappened:
      "Aries answered redirect_uri_mismatch: the OAuth client behind your Client ID does not list the gateway's callback address exactly as the gateway sends it.",
    whatToDo: [
      'In Aries Client Center, open API and the OAuth client whose Client ID you entered (or Generate Key for a new one).',
      'Set its Redirect URI to exactly {callbackUrl} (same scheme and host, no trailing slash).',
      START_AGAIN,
    ],
  },
  invalid_client: {
    title: 'Aries does not recognise this Client ID',
    whatHappened: 'Aries answered invalid_client: the Client ID entered in the connector is wrong, or its OAuth client is not active in Client Center.',
    whatToDo: [
      'In Aries Client Center, open API and check that the OAuth client exists and is active; copy its Client ID.',
      "In the connector's Advanced settings, make the OAuth Client ID exactly that value (remove and add the connector again if the field cannot be edited).",
      START_AGAIN,
    ],
  },
  access_denied: {
    title: 'Access to Aries was not granted',
    whatHappened: 'The Aries permission screen was declined or closed, so Aries did not grant access.',
    whatToDo: [
      START_AGAIN + ' Sign in and click Allow on the Aries permission screen.',
      'The permission screen appears only the first time. If it does not appear or you missed it, remove the connector and add it again with the same Client ID, or create a new OAuth client in Client Center and use its Client ID, then approve.',
    ],
  },
  invalid_scope: {
    title: 'None of the requested permissions is enabled for your OAuth client',
    whatHappened:
      'Aries answered invalid_scope: it grants only the scopes enabled on your OAuth client in Client Center, and none of those requested is enabled.',
    whatToDo: [
      'In Aries Client Center, open API and your OAuth client, and enable the scopes Claude should use (for example account:information, market:information, order:execution).',
      START_AGAIN,
    ],
  },
  invalid_grant: {
    title: 'This authorization can no longer be used',
    whatHappened: 'Authorization codes are one-time and expire after a few minutes; this one was already used or is too old.',
    whatToDo: [START_AGAIN + ' Finish the Aries sign-in and permission screen without delay.'],
  },
  invalid_state: {
    title: 'This sign-in has expired or was already completed',
    whatHappened:
      'The gateway keeps a sign-in open for 10 minutes and accepts its answer from Aries only once. This answer is for a sign-in the gateway no longer has (too old, already used, or altered).',
    whatToDo: [START_AGAIN + ' Do not reload or reuse an old Aries sign-in tab.'],
  },
  browser_mismatch: {
    title: 'This sign-in was started in another browser',
    whatHappened:
      "For your safety, the gateway finishes a sign-in only in the browser that started it from your app. This browser did not start this sign-in (or it blocks the gateway's cookies), so nothing was connected. A sign-in link someone sent you would end up here.",
    whatToDo: [
      'Start the connection again from Claude (or your MCP app), and sign in to Aries in the browser it opens.',
      "If you did start it in this browser, allow cookies for the gateway's address and connect again.",
    ],
  },
  redirect_uri_not_allowed: {
    title: 'The app asked to return to an address the gateway does not allow',
    whatHappened:
      'The gateway returns sign-ins only to Claude (claude.ai, claude.com), to desktop and command-line apps on this computer (loopback addresses), and to addresses its operator configured; never to app-specific schemes such as claude://. This app asked for {redirectUri}.',
    whatToDo: [
      "Connect from Claude in the browser or the desktop app's chat (custom connector), or from Claude Code on the command line, with the connector URL {mcpUrl}.",
      'If you operate this gateway and trust that app, add its redirect URI to OAUTH_EXTRA_REDIRECT_URIS.',
    ],
  },
  missing_client_id: {
    title: 'The connector has no Aries Client ID',
    whatHappened: 'Aries needs your own OAuth Client ID; this gateway has no automatic client registration.',
    whatToDo: [
      'In Aries Client Center, open API and click Generate Key: enter a client name, the Redirect URI {callbackUrl} and the scopes Claude may use. Copy the Client ID.',
      'In Claude, add the custom connector with the URL {mcpUrl}. Where it asks how to authenticate, choose the option that lets you enter your own OAuth client ID, and paste the Client ID.',
    ],
  },
  hosted_client_id: {
    title: 'The app used its own client identity instead of your Aries Client ID',
    whatHappened: 'The app identified itself with a client it hosts (a web address as Client ID). Aries only accepts Client IDs created in Client Center.',
    whatToDo: [
      "Remove the connector and add it again with the URL {mcpUrl}. Where it asks how to authenticate, choose the option that lets you enter your own OAuth client ID (not the app's default client and not automatic registration), and paste your Aries Client ID.",
      'No Client ID yet? In Aries Client Center, open API and click Generate Key with the Redirect URI {callbackUrl}, then copy the Client ID.',
    ],
  },
  invalid_request: {
    title: 'The sign-in request is incomplete',
    whatHappened: "The app opened the gateway's sign-in with missing or malformed parameters.",
    whatToDo: [START_AGAIN, 'Check that the connector URL is exactly {mcpUrl} (no trailing slash) and that the Client ID is set.'],
  },
  invalid_target: {
    title: 'The connector URL does not match this gateway',
    whatHappened: 'The app asked for access to a different MCP server address than this gateway serves.',
    whatToDo: ["Set the connector's Remote MCP server URL to exactly {mcpUrl} (no trailing slash).", START_AGAIN],
  },
  temporarily_unavailable: {
    title: 'The gateway is busy or cannot reach its storage',
    whatHappened: 'The sign-in could not be completed because a service the gateway depends on did not answer.',
    whatToDo: ['Wait a minute. ' + START_AGAIN],
  },
  too_many_pending: {
    title: 'Too many sign-ins are in progress',
    whatHappened: 'The gateway is holding as many unfinished sign-ins as it allows, so it cannot start another one right now.',
    whatToDo: ['Wait a few minutes. ' + START_AGAIN, "If it keeps happening, tell the gateway's operators: the limit is OAUTH_PENDING_AUTHORIZATIONS_MAX."],
  },
  server_error: {
    title: 'Something went wrong while connecting',
    whatHappened: 'The gateway or Aries hit an unexpected error while completing the sign-in.',
    whatToDo: [START_AGAIN, 'If it keeps happening, check in Client Center that your OAuth client is active and its Redirect URI is exactly {callbackUrl}.'],
  },
  aries_error: {
    title: 'Aries could not complete the sign-in',
    whatHappened: 'Aries answered with an error the gateway cannot explain, so the sign-in stopped here.',
    whatToDo: [
      START_AGAIN,
      'If it keeps happening, check in Client Center that your OAuth client is active, its Redirect URI is exactly {callbackUrl}, and the scopes you need are enabled.',
    ],
  },
};

export function isErrorPageCode(code: string): code is ErrorPageCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Longest redirect URI a page repeats; longer ones are cut with `...`. */
export const MAX_ECHOED_URI = 80;

export function fillCatalogueText(text: string, context: CatalogueContext): string {
  return text.replace(/\{(callbackUrl|mcpUrl|redirectUri)\}/g, (_match, name: keyof CatalogueContext) => {
    const value = context[name];
    if (value === undefined) return '(unknown)';
    return name === 'redirectUri' ? echoedUri(value) : value;
  });
}

/** An untrusted URI as a page may show it: only a parseable URL, at most `MAX_ECHOED_URI` characters. */
function echoedUri(uri: string): string {
  if (!URL.canParse(uri)) return 'an address that is not a valid URL';
  return uri.length <= MAX_ECHOED_URI ? uri : `${uri.slice(0, MAX_ECHOED_URI - 3)}...`;
}

/** The entry with its placeholders filled in. */
export function describeError(code: ErrorPageCode, context: CatalogueContext): CatalogueEntry {
  const entry = ERROR_CATALOGUE[code];
  return {
    title: fillCatalogueText(entry.title, context),
    whatHappened: fillCatalogueText(entry.whatHappened, context),
    whatToDo: entry.whatToDo.map((step) => fillCatalogueText(step, context)),
  };
}
