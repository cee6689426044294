/**
 * Maps a failed upstream call to the text of an `isError` tool result.
 *
 * Each text says what happened (HTTP status or transport failure), Aries' own
 * message when it sent one (bounded, tokens stripped), and what to do next:
 * - 400/422: the field errors Aries listed, under the tool's argument names; fix the arguments;
 * - 403: the scope(s) the tool needs, added in Aries Client Center, then reconnect;
 * - 404: check the identifiers, with the tools that look them up (the tool's `recovery.lookUpWith`);
 * - 429: wait Retry-After seconds;
 * - 5xx: Aries is having trouble; try again shortly;
 * - timeout / connection failure: try again shortly.
 * For a tool whose repetition is not harmless (a destructive, non-idempotent
 * one such as an order-placing tool), any failure after the request may have
 * reached Aries (timeout, reset connection, cancellation, 5xx) says the
 * outcome is UNKNOWN and to check the orders (with the tools its
 * `recovery.checkOrdersWith` names) before retrying; `outcome: 'unknown'`
 * tells the caller to treat it like a success for the duplicate window.
 * Every tool name in these texts comes from the tool's definition (tools.yaml).
 *
 * 401 is not mapped here: the caller refreshes the Aries token and retries,
 * and then asks the MCP client to re-authorize.
 */
import type { RecoveryHints } from '../contract/tool-definition.js';
import { describeAriesError, type AriesFieldError } from './describe-aries-error.js';

export type UpstreamFailure =
  | { readonly kind: 'http'; readonly status: number; readonly body: unknown; readonly retryAfter?: string | null }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'network'; readonly code?: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'bad_response' };

export interface FailedTool {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Destructive and not idempotent: a lost answer leaves the outcome unknown. */
  readonly unsafeToRepeat: boolean;
  /** Tool argument names by Aries field name (`tradingAccountId` -> `account_id`), for field errors. */
  readonly argumentNames?: ReadonlyMap<string, string>;
  /** The tools the messages name for recovery (the definition's `recovery`). */
  readonly recovery?: RecoveryHints;
}

export interface MappedFailure {
  readonly text: string;
  /** `rejected`: Aries certainly did not act. `unknown`: it may have. */
  readonly outcome: 'rejected' | 'unknown';
}

/** Transport errors raised before any byte reached Aries. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED']);

export interface MapOptions {
  /** Exact secret strings (the Aries token of this call) to strip from quoted upstream text. */
  readonly secrets?: readonly string[];
  /** For an HTTP-date Retry-After. */
  readonly now?: () => number;
}

export function mapUpstreamError(failure: UpstreamFailure, tool: FailedTool, options: MapOptions = {}): MappedFailure {
  switch (failure.kind) {
    case 'http':
      return mapHttpFailure(failure, tool, options);
    case 'timeout':
      return unknownFor(tool, `Aries did not answer within ${formatSeconds(failure.timeoutMs)}.`, 'Try again shortly, or narrow the request.');
    case 'network': {
      const what = `Could not reach Aries (${failure.code ?? 'fetch failed'}).`;
      if (failure.code !== undefined && NEVER_SENT.has(failure.code)) return { outcome: 'rejected', text: `${what}\nNothing was sent; try again shortly.` };
      return unknownFor(tool, `${what} The connection failed before Aries answered.`, 'Try again shortly.');
    }
    case 'cancelled':
      return unknownFor(tool, 'The call was cancelled before Aries answered.', 'Call the tool again if you still need the result.');
    case 'bad_response':
      return unknownFor(tool, 'Aries answered with a body that is not valid JSON.', 'Try again shortly.');
  }
}

function mapHttpFailure(failure: Extract<UpstreamFailure, { kind: 'http' }>, tool: FailedTool, options: MapOptions): MappedFailure {
  const { status } = failure;
  const aries = describeAriesError(failure.body, options.secrets ?? []);
  const said = aries.message === '' ? '' : ` Aries says: ${aries.message}`;
  const fieldLine = ({ field, text }: AriesFieldError): string => (field === undefined ? text : `${tool.argumentNames?.get(field) ?? field}: ${text}`);
  const fields = aries.fieldErrors.length === 0 ? '' : `\nField errors:\n${aries.fieldErrors.map((error) => `- ${fieldLine(error)}`).join('\n')}`;
  const rejected = (text: string): MappedFailure => ({ outcome: 'rejected', text });

  if (status === 400 || status === 422) {
    return rejected(`Aries rejected the request as invalid (HTTP ${status}).${said}${fields}\nFix the arguments and call ${tool.name} again.`);
  }
  if (status === 403) {
    const scopes = tool.scopes.length === 0 ? 'a permission this connection lacks' : `the scope ${tool.scopes.map((scope) => `"${scope}"`).join(' and ')}`;
    return rejected(
      `Aries refused the request (HTTP 403).${said}\n${tool.name} needs ${scopes}. Add it to your OAuth client in Aries Client Center (Client Center > your client > Scopes), then reconnect the Aries connector so the new scope is granted.`,
    );
  }
  if (status === 404) {
    const lookUp = tool.recovery?.lookUpWith ?? [];
    const how = lookUp.length === 0 ? '.' : `; ${listOf(lookUp)} ${lookUp.length === 1 ? 'looks' : 'look'} them up.`;
    return rejected(`Aries found nothing for this request (HTTP 404).${said}\nCheck the identifiers you passed (account id, order id, symbol)${how}`);
  }
  if (status === 429) {
    const seconds = retryAfterSeconds(failure.retryAfter, options.now ?? Date.now);
    const wait = seconds === undefined ? 'Wait a minute' : `Wait ${seconds} second${seconds === 1 ? '' : 's'} (Retry-After)`;
    return rejected(`Aries is rate-limiting requests (HTTP 429).${said}\n${wait} before calling ${tool.name} again.`);
  }
  if (status >= 500) {
    return unknownFor(tool, `Aries is having trouble (HTTP ${status}).${said}`, 'Try again shortly.');
  }
  return rejected(`Aries refused the request (HTTP ${status}).${said}${fields}`);
}

function unknownFor(tool: FailedTool, what: string, retry: string): MappedFailure {
  if (!tool.unsafeToRepeat) return { outcome: 'rejected', text: `${what}\n${retry}` };
  const [first, ...more] = tool.recovery?.checkOrdersWith ?? [];
  const check = first === undefined ? "the account's orders" : more.length === 0 ? first : `${first} (and ${listOf(more)})`;
  return {
    outcome: 'unknown',
    text: `${what}\nThe status of this ${tool.name} request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check ${check} to see whether it went through, then retry only if it is not there.`,
  };
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function retryAfterSeconds(value: string | null | undefined, now: () => number): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now()) / 1000));
}
