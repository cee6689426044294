/**
 * The checks a tool call makes in the store (per-grant call limit,
 * duplicate-order window, concurrency slots) and what a store outage means
 * for each tool, by its annotations:
 * - not read-only (`readOnlyHint: false`): refused before anything is sent
 *   to Aries (fail closed: an order must never go unguarded); destructive
 *   tools (those that place, replace or cancel orders) with
 *   `STORE_DOWN_ORDER_MESSAGE`;
 * - read-only: goes ahead unchecked, with a warning log line and
 *   `agw_limit_unchecked_total`.
 * What it does not do: decide the limits (`http/fixed-window.ts`,
 * `grant-concurrency.ts`, `duplicate-guard.ts` do).
 */
import type { ToolDefinition } from '../contract/tool-definition.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics, LimitName, ToolCallOutcome } from '../metrics/gateway-metrics.js';
import { isStoreUnavailable } from '../store/store.js';
import type { Claim, DuplicateGuard } from './duplicate-guard.js';
import { ToolError } from './tool-errors.js';

export const STORE_DOWN_ORDER_MESSAGE = 'cannot check for a duplicate order right now; nothing was sent to Aries, try again';
export const STORE_DOWN_MESSAGE = 'cannot check the limits of this connection right now; nothing was sent to Aries, try again';

/** A tool call refused before anything reached Aries, with its metrics outcome. */
export class Refusal extends ToolError {
  constructor(
    message: string,
    readonly outcome: ToolCallOutcome,
  ) {
    super(message);
  }
}

export interface CheckContext {
  /** `undefined` for an unknown tool name (treated as read-only: it never reaches Aries). */
  readonly tool: ToolDefinition | undefined;
  readonly requestId: string;
  readonly log: Logger;
  readonly metrics?: GatewayMetrics;
}

/** Runs `check`; when the store cannot answer, refuses (`Refusal`) or, for a read-only tool, returns `undefined`. */
export async function checkInStore<T>(at: CheckContext, limit: LimitName | undefined, check: () => Promise<T>): Promise<T | undefined> {
  try {
    return await check();
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    const err = { name: error.name, message: error.message };
    if (at.tool !== undefined && !at.tool.annotations.readOnlyHint) {
      at.log.error({ requestId: at.requestId, tool: at.tool.name, err }, 'store unavailable: call refused before reaching Aries');
      throw new Refusal(at.tool.annotations.destructiveHint ? STORE_DOWN_ORDER_MESSAGE : STORE_DOWN_MESSAGE, 'refused_store_unavailable');
    }
    at.log.warn({ requestId: at.requestId, tool: at.tool?.name, limit, err }, 'store unavailable: read-only call not counted');
    if (limit !== undefined) at.metrics?.limitUnchecked(limit);
    return undefined;
  }
}

/** Keeps or releases the duplicate claim; a store outage here leaves the in-flight claim to expire on its own (still guarding). */
export async function settleClaim(at: CheckContext, guard: DuplicateGuard, claim: Claim, armed: boolean): Promise<void> {
  try {
    await guard.settle(claim, armed);
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    at.log.error(
      { requestId: at.requestId, tool: at.tool?.name, armed },
      'store unavailable: duplicate window not settled; the in-flight claim expires on its own',
    );
  }
}
