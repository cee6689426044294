/**
 * Faults on demand for the trading API (never on by default): extra latency,
 * a 5xx or 401 status, a 429 with Retry-After, or a dropped connection, optionally
 * limited to a path prefix and to the next `count` requests. The active fault
 * is consumed one request at a time; `clear` turns everything off.
 */

export interface FaultPlan {
  readonly latencyMs?: number;
  readonly status?: 401 | 500 | 502 | 503;
  readonly count?: number;
  readonly rateLimit?: { readonly retryAfterSeconds: number };
  readonly reset?: boolean;
  readonly pathPrefix?: string;
}

export interface FaultEffect {
  readonly latencyMs: number;
  readonly status: 401 | 500 | 502 | 503 | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly reset: boolean;
}

export class FaultSwitch {
  private plan: FaultPlan | undefined;
  private remaining = Infinity;

  set(plan: FaultPlan): void {
    this.plan = plan;
    this.remaining = plan.count ?? Infinity;
  }

  clear(): void {
    this.plan = undefined;
  }

  describe(): (FaultPlan & { remaining: number | null }) | null {
    return this.plan ? { ...this.plan, remaining: Number.isFinite(this.remaining) ? this.remaining : null } : null;
  }

  /** The fault this request suffers (and one use of it spent), or undefined. */
  take(path: string): FaultEffect | undefined {
    const plan = this.plan;
    if (!plan || this.remaining <= 0) return undefined;
    if (plan.pathPrefix !== undefined && !path.startsWith(plan.pathPrefix)) return undefined;
    this.remaining -= 1;
    if (this.remaining <= 0) this.plan = undefined;
    return {
      latencyMs: plan.latencyMs ?? 0,
      status: plan.status,
      retryAfterSeconds: plan.rateLimit?.retryAfterSeconds,
      reset: plan.reset === true,
    };
  }
}
