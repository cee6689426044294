/**
 * Reads the body of `POST /admin/faults`:
 * `{ latencyMs?, status?: 401|500|502|503, count?, rateLimit?: {retryAfterSeconds}, reset?, expireTokens?, pathPrefix? }`.
 * `expireTokens` acts once, at once; the other fields make the fault plan.
 * Throws a message naming the bad field.
 */
import type { FaultPlan } from '../state/faults.js';
import { isJsonObject } from '../json-object.js';

export interface FaultRequest {
  readonly plan: FaultPlan | undefined;
  readonly expireTokens: boolean;
}

export function readFaultPlan(body: unknown): FaultRequest {
  if (!isJsonObject(body)) throw new Error('send a JSON object');
  const b = body;
  const nonNegative = (name: string, value: unknown) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
    return value;
  };
  const latencyMs = nonNegative('latencyMs', b.latencyMs);
  const count = nonNegative('count', b.count);
  if (count !== undefined && !Number.isInteger(count)) throw new Error('count must be a whole number');
  if (b.status !== undefined && b.status !== 401 && b.status !== 500 && b.status !== 502 && b.status !== 503)
    throw new Error('status must be 401, 500, 502 or 503');
  let rateLimit: FaultPlan['rateLimit'];
  if (b.rateLimit !== undefined) {
    const retryAfterSeconds = nonNegative('rateLimit.retryAfterSeconds', isJsonObject(b.rateLimit) ? b.rateLimit.retryAfterSeconds : undefined);
    if (retryAfterSeconds === undefined) throw new Error('rateLimit needs retryAfterSeconds');
    rateLimit = { retryAfterSeconds: Math.round(retryAfterSeconds) };
  }
  for (const flag of ['reset', 'expireTokens'] as const) {
    if (b[flag] !== undefined && typeof b[flag] !== 'boolean') throw new Error(`${flag} must be true or false`);
  }
  if (b.pathPrefix !== undefined && (typeof b.pathPrefix !== 'string' || !b.pathPrefix.startsWith('/')))
    throw new Error('pathPrefix must be a path starting with /');
  const plan: FaultPlan = {
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(b.status !== undefined ? { status: b.status } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(b.reset === true ? { reset: true } : {}),
    ...(typeof b.pathPrefix === 'string' ? { pathPrefix: b.pathPrefix } : {}),
  };
  const active = plan.latencyMs !== undefined || plan.status !== undefined || plan.rateLimit !== undefined || plan.reset === true;
  return { plan: active ? plan : undefined, expireTokens: b.expireTokens === true };
}
