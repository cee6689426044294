/**
 * Applies the active fault (if any) to one API request: waits `latencyMs`,
 * then destroys the socket (`reset`), answers 429 with `Retry-After`
 * (`rateLimit`), or answers the `status`: a 5xx, or 401 as Aries refuses a
 * token it no longer accepts. Latency alone lets the request through. Returns true when the request was answered (or dropped).
 */
import type { Request, Response } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';

const STATUS_ERRORS: Record<number, string> = { 401: 'unauthorized', 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable' };

export async function applyFault(state: SandboxState, req: Request, res: Response): Promise<boolean> {
  const fault = state.faults.take(req.path);
  if (!fault) return false;
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.reset) {
    req.socket.destroy();
    return true;
  }
  if (fault.retryAfterSeconds !== undefined) {
    res.set('Retry-After', String(fault.retryAfterSeconds)).status(429).json({ error: 'rate_limited', message: 'Too many requests; retry later.' });
    return true;
  }
  if (fault.status === 401) {
    res
      .set('WWW-Authenticate', 'Bearer error="invalid_token"')
      .status(401)
      .json({ error: 'unauthorized', message: 'Invalid or expired access token (simulated).' });
    return true;
  }
  if (fault.status !== undefined) {
    res.status(fault.status).json({ error: STATUS_ERRORS[fault.status] ?? 'internal_error', message: `Simulated upstream failure (${fault.status}).` });
    return true;
  }
  return false;
}
