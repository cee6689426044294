/**
 * Per-address request limits for the OAuth endpoints, in one process.
 *
 * Why not the SDK's defaults: `mcpAuthRouter` allows 50 token requests per
 * 15 minutes per address, but every claude.ai user reaches us from a few
 * shared Anthropic addresses, so that limit would lock out everyone at once.
 * The default here is 600 per minute per address and per endpoint
 * (OAUTH_RATE_LIMIT_PER_MINUTE): a backstop against floods, not a
 * per-user quota.
 *
 * Fixed one-minute windows (`http/fixed-window.ts`); over the limit the
 * caller gets 429 with `Retry-After` (RFC 6585 §4) through `onLimited`. The
 * client address is `req.ip` (set Express `trust proxy`
 * behind a load balancer).
 */
import type { NextFunction, Request, Response } from 'express';
import { FixedWindowCounter } from '../http/fixed-window.js';

export interface RateLimitOptions {
  readonly limitPerMinute: number;
  readonly now?: () => number;
  readonly onLimited: (req: Request, res: Response, retryAfterSeconds: number) => void;
}

export interface RateLimiter {
  (req: Request, res: Response, next: NextFunction): void;
  close(): void;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const counter = new FixedWindowCounter(options.limitPerMinute, options.now);
  const limiter = ((req: Request, res: Response, next: NextFunction): void => {
    const verdict = counter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (verdict.allowed) next();
    else options.onLimited(req, res, verdict.retryAfterSeconds);
  }) as RateLimiter;
  limiter.close = () => counter.close();
  return limiter;
}
