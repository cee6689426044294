/**
 * A `Store` that forwards to a real one and can be told to fail one future
 * operation, the way a Redis that goes away between two commands fails:
 * `failNext(op, keyPrefix)` makes the next matching call throw
 * `StoreUnavailableError` without touching the inner store. Everything
 * before it has happened; everything after it is what the caller decides.
 * `writeThenFailNext(op, keyPrefix)` is the other Redis failure: the
 * command reaches the store, but its answer is lost (a command timeout),
 * so the caller sees an error for a write that happened.
 * `failKeys(prefixes)` makes every operation on keys with those prefixes
 * fail until `failKeys([])` (a Redis that times out on some commands).
 */
import { StoreUnavailableError, type Store } from '../../../runtime/store/store.js';

type Operation = 'get' | 'set' | 'delete' | 'take' | 'setIfAbsent' | 'increment' | 'addWithin' | 'deleteIfEquals';

export class FaultyStore implements Store {
  private armed: { op: Operation; keyPrefix: string; applied: boolean } | undefined;
  private failing: readonly string[] = [];
  /** Operations seen, as `op key-prefix` (the key up to its first colon). */
  readonly seen: string[] = [];

  constructor(private readonly inner: Store) {}

  failNext(op: Operation, keyPrefix: string): void {
    this.armed = { op, keyPrefix, applied: false };
  }

  writeThenFailNext(op: Operation, keyPrefix: string): void {
    this.armed = { op, keyPrefix, applied: true };
  }

  failKeys(prefixes: readonly string[]): void {
    this.failing = prefixes;
  }

  get fired(): boolean {
    return this.armed === undefined;
  }

  /** Runs `operation` unless this call is an injected fault: then throws, before or after running it. */
  private async guarded<T>(op: Operation, key: string, operation: () => Promise<T>): Promise<T> {
    this.seen.push(`${op} ${key.split(':')[0]}`);
    if (this.failing.some((prefix) => key.startsWith(prefix))) throw new StoreUnavailableError('Redis is unavailable: injected outage');
    const armed = this.armed;
    if (armed === undefined || armed.op !== op || !key.startsWith(armed.keyPrefix)) return operation();
    this.armed = undefined;
    if (armed.applied) await operation();
    throw new StoreUnavailableError('Redis is unavailable: injected fault');
  }

  get(key: string): Promise<string | undefined> {
    return this.guarded('get', key, () => this.inner.get(key));
  }
  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.guarded('set', key, () => this.inner.set(key, value, ttlSeconds));
  }
  delete(key: string): Promise<void> {
    return this.guarded('delete', key, () => this.inner.delete(key));
  }
  take(key: string): Promise<string | undefined> {
    return this.guarded('take', key, () => this.inner.take(key));
  }
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return this.guarded('setIfAbsent', key, () => this.inner.setIfAbsent(key, value, ttlSeconds));
  }
  increment(key: string, ttlSeconds: number): Promise<number> {
    return this.guarded('increment', key, () => this.inner.increment(key, ttlSeconds));
  }
  addWithin(key: string, amount: number, ceiling: number, ttlSeconds: number): Promise<{ readonly added: boolean; readonly total: number }> {
    return this.guarded('addWithin', key, () => this.inner.addWithin(key, amount, ceiling, ttlSeconds));
  }
  deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return this.guarded('deleteIfEquals', key, () => this.inner.deleteIfEquals(key, expected));
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
