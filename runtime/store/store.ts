/**
 * The one storage interface of the OAuth proxy: string values under string
 * keys, every entry with a time to live. Pending authorizations, one-time
 * codes, token records, grants and refresh locks all live behind it, so one
 * replica (`MemoryStore`) or many sharing Redis (`RedisStore`) behave alike.
 *
 * Rules every implementation keeps (the contract tests in
 * `test/support/store-contract.ts` check them):
 * - an entry is invisible once its TTL has passed;
 * - `take` is atomic: of two concurrent takes of one key, one gets the value;
 * - `setIfAbsent` is atomic: of two concurrent calls, one returns true;
 * - `increment` is atomic: n concurrent increments of a key return 1..n,
 *   each once; the TTL is set when the key is created and not extended, so a
 *   counter is a fixed window;
 * - `deleteIfEquals` is atomic: it deletes only the value the caller wrote
 *   (lock release by its owner);
 * - `addWithin` is atomic: of concurrent additions that together would pass
 *   the ceiling, only those that fit are added (a daily spending total);
 *   its TTL is set when the key is created and not extended, like `increment`;
 * - a backend that cannot answer throws `StoreUnavailableError` (HTTP 503),
 *   never a client-fault error.
 *
 * It deliberately has no scans or lists: the key layout in `STORAGE.md`
 * needs none.
 */

export interface Store {
  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Writes (or overwrites) a value that expires after `ttlSeconds` (> 0; fractions allowed). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomic get-and-delete: the value for exactly one caller, `undefined` for the rest. */
  take(key: string): Promise<string | undefined>;
  /** Writes only when the key is absent; true when this call wrote it (locks, one-time markers). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Adds 1 to the counter at `key` (created at 0 with `ttlSeconds` when absent; the TTL is not extended) and returns the new count. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /**
   * Adds the integer `amount` to the total at `key` (created at 0 with `ttlSeconds` when absent; the TTL is not
   * extended) unless the new total would exceed `ceiling`; a negative amount (giving back) is always added.
   * Returns whether it was added and the total after the call.
   */
  addWithin(key: string, amount: number, ceiling: number, ttlSeconds: number): Promise<{ readonly added: boolean; readonly total: number }>;
  /** Deletes `key` only while it holds `expected`; true when this call deleted it (compare-and-delete). */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Resolves when the backend answers (readiness); throws `StoreUnavailableError` otherwise. */
  ping(): Promise<void>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/** The store's backend is unreachable or failing; the HTTP layer answers 503. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}

/** Reads a JSON record written with `writeJson`; a corrupt value counts as absent. */
export async function readJson<T>(store: Store, key: string): Promise<T | undefined> {
  return parseJson<T>(await store.get(key));
}

export async function takeJson<T>(store: Store, key: string): Promise<T | undefined> {
  return parseJson<T>(await store.take(key));
}

export async function writeJson(store: Store, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  await store.set(key, JSON.stringify(value), ttlSeconds);
}

function parseJson<T>(raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- trust boundary: only this gateway writes the store (writeJson), under the key that names the record type
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

/** `addWithin` takes whole numbers only (amounts in cents), so every backend adds them exactly. */
export function assertAmount(amount: number, ceiling: number): void {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(ceiling)) throw new RangeError(`addWithin needs safe integers; got ${amount} within ${ceiling}`);
}

export function assertTtl(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`ttlSeconds must be a positive number; got ${ttlSeconds}`);
}
