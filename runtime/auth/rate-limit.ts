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
 * Fixed one-minute windows; over the limit the caller gets 429 with
 * `Retry-After` (RFC 6585 §4) through `onLimited`. Windows are swept by an
 * unref'd timer. The client address is `req.ip` (set Express `trust proxy`
 * behind a load balancer).
 */
import type { NextFunction, Request, Response } from 'express';

export interface RateLimitOptions {
  readonly limitPerMinute: number;
  readonly now?: () => number;
  readonly onLimited: (req: Request, res: Response, retryAfterSeconds: number) => void;
}

export interface RateLimiter {
  (req: Request, res: Response, next: NextFunction): void;
  close(): void;
}

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  const sweeper = setInterval(() => {
    const cutoff = now() - WINDOW_MS;
    for (const [key, window] of windows) if (window.start <= cutoff) windows.delete(key);
  }, WINDOW_MS);
  sweeper.unref();

  const limiter = ((req: Request, res: Response, next: NextFunction): void => {
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const time = now();
    let window = windows.get(key);
    if (window === undefined || time - window.start >= WINDOW_MS) {
      if (windows.size >= MAX_TRACKED) windows.clear();
      window = { start: time, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > options.limitPerMinute) {
      options.onLimited(req, res, Math.max(1, Math.ceil((window.start + WINDOW_MS - time) / 1000)));
      return;
    }
    next();
  }) as RateLimiter;
  limiter.close = () => clearInterval(sweeper);
  return limiter;
}
