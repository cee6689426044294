/**
 * What a hand-written operation handler receives and returns. Handlers are
 * keyed by the spec's operationId; they get the caller, the validated and
 * coerced parameters and body, and the sandbox state, and return the JSON
 * body of the success response (or throw `ApiError`).
 */
import { randomBytes } from 'node:crypto';
import { findInstrument, type Instrument } from '../market/universe.js';
import type { FieldError } from '../openapi/validate-request.js';
import type { Account } from '../state/accounts.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { notFound } from './api-error.js';
import type { Caller } from './authenticate-bearer.js';

export interface ApiContext {
  readonly caller: Caller;
  readonly state: SandboxState;
  readonly path: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

export type OperationHandler = (ctx: ApiContext) => unknown;

export type OperationHandlers = Readonly<Record<string, OperationHandler>>;

/**
 * For operations documented to answer request errors with HTTP 200 and an error in the body
 * (chart history: `s: "error"`), the body to send instead of the usual 400.
 */
export type InvalidRequestAnswers = Readonly<Record<string, (errors: readonly FieldError[]) => unknown>>;

/** The caller's own account; another user's account is a 404, exactly like a missing one. */
export function ownAccount(ctx: ApiContext, accountId: unknown): Account {
  const account = ctx.state.accounts.findOwned(ctx.caller.userId, accountId);
  if (!account) throw notFound(`account ${String(accountId)} not found`);
  return account;
}

/** A query parameter as a string, when present. */
export function queryString(ctx: ApiContext, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The instrument named by a query parameter (`ticker`, `symbol`); an unknown one is a 404. */
export function queryInstrument(ctx: ApiContext, name: string): Instrument {
  const value = queryString(ctx, name);
  const instrument = findInstrument(value);
  if (!instrument) throw notFound(`unknown ${name} ${value ?? ''}`);
  return instrument;
}

/** The `requestId` of vendor-style envelopes. */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export function queryNumber(ctx: ApiContext, name: string): number | undefined {
  const value = ctx.query[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
