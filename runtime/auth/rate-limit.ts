/**
 * Per-address request limits for the OAuth endpoints, counted in the store
 * (`http/fixed-window.ts`), so N replicas sharing Redis allow the limit once,
 * not N times.
 *
 * Why not the SDK's defaults: `mcpAuthRouter` allows 50 token requests per
 * 15 minutes per address, but every claude.ai user reaches us from a few
 * shared Anthropic addresses, so that limit would lock out everyone at once.
 * The default here is 600 per minute per address and per endpoint
 * (OAUTH_RATE_LIMIT_PER_MINUTE): a backstop against floods, not a
 * per-user quota.
 *
 * - Over the limit: 429 with `Retry-After` (RFC 6585 §4) through `onLimited`.
 * - The store cannot count: `onUnavailable` (the endpoints answer 503 with
 *   `Retry-After`, as for any other store outage).
 * - The client is `req.ip` (set Express `trust proxy` behind a load
 *   balancer), IPv6 clients by their /64 (`http/client-address.ts`).
 * One limiter is one counter: mount the same limiter on routes that must
 * share a limit (GET and POST /authorize).
 */
import type { NextFunction, Request, Response } from 'express';
import { clientAddressKey } from '../http/client-address.js';
import { FixedWindowLimit } from '../http/fixed-window.js';
import { isStoreUnavailable, type Store } from '../store/store.js';

export interface RateLimitOptions {
  readonly store: Store;
  /** Which endpoint's counter (part of the store key). */
  readonly name: string;
  readonly limitPerMinute: number;
  readonly now?: () => number;
  readonly onLimited: (req: Request, res: Response, retryAfterSeconds: number) => void;
  readonly onUnavailable: (req: Request, res: Response, error: Error) => void;
}

export type RateLimiter = (req: Request, res: Response, next: NextFunction) => Promise<void>;

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const limit = new FixedWindowLimit({ store: options.store, name: `oauth:${options.name}`, limitPerMinute: options.limitPerMinute, now: options.now });
  return async (req, res, next) => {
    let verdict;
    try {
      verdict = await limit.take(clientAddressKey(req.ip ?? req.socket.remoteAddress));
    } catch (error) {
      if (!isStoreUnavailable(error)) return next(error);
      options.onUnavailable(req, res, error);
      return;
    }
    if (verdict.allowed) next();
    else options.onLimited(req, res, verdict.retryAfterSeconds);
  };
}
