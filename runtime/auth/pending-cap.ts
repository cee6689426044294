/**
 * A global cap on pending authorizations (sign-ins started at /authorize and
 * not yet back at /auth/callback), counted in the store so it holds for all
 * replicas sharing Redis: without it, anonymous /authorize requests store
 * records until memory (or Redis) runs out.
 *
 * How it counts: a pending record lives `PENDING_TTL_SECONDS` (600 s), so
 * admissions are counted in aligned windows of that length
 * (`pending-count:<window index>`, one atomic increment each). Every record
 * still alive was admitted in the current or the previous window, so
 * refusing while (current + previous) reaches `max` keeps the live records
 * at or under `max` (a few over under a race of concurrent admissions).
 * Refused attempts are not counted, so the cap frees as soon as old windows
 * age out. Records consumed early are still counted until their window
 * ends: the cap is on sign-ins started, a conservative bound.
 * What it does not do: bound one record's size (`authorize.ts` bounds its
 * fields) or limit one address (`rate-limit.ts`).
 */
import type { Store } from '../store/store.js';
import { PENDING_TTL_SECONDS } from './oauth-records.js';

export interface PendingCapOptions {
  readonly store: Store;
  readonly max: number;
  readonly now?: () => number;
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

export class PendingCap {
  private readonly now: () => number;

  constructor(private readonly options: PendingCapOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Counts one pending authorization, or refuses it when the cap is reached. Throws `StoreUnavailableError`. */
  async admit(): Promise<Admission> {
    const windowMs = PENDING_TTL_SECONDS * 1000;
    const time = this.now();
    const index = Math.floor(time / windowMs);
    const [current, previous] = await Promise.all([this.options.store.get(`pending-count:${index}`), this.options.store.get(`pending-count:${index - 1}`)]);
    // The previous window stops counting when the current one ends: the earliest relief.
    const retryAfterSeconds = Math.max(1, Math.ceil(((index + 1) * windowMs - time) / 1000));
    const earlier = Number(previous ?? 0);
    if (Number(current ?? 0) + earlier >= this.options.max) return { admitted: false, retryAfterSeconds };
    const count = await this.options.store.increment(`pending-count:${index}`, (2 * windowMs) / 1000);
    if (count + earlier > this.options.max) return { admitted: false, retryAfterSeconds };
    return { admitted: true };
  }
}
