/**
 * A `Store` that forwards to a real one and can be told to fail one future
 * operation, the way a Redis that goes away between two commands fails:
 * `failNext(op, keyPrefix)` makes the next matching call throw
 * `StoreUnavailableError` without touching the inner store. Everything
 * before it has happened; everything after it is what the caller decides.
 * `failKeys(prefixes)` makes every operation on keys with those prefixes
 * fail until `failKeys([])` (a Redis that times out on some commands).
 */
import { StoreUnavailableError, type Store } from '../../../runtime/store/store.js';

type Operation = 'get' | 'set' | 'delete' | 'take' | 'setIfAbsent' | 'increment' | 'deleteIfEquals';

export class FaultyStore implements Store {
  private armed: { op: Operation; keyPrefix: string } | undefined;
  private failing: readonly string[] = [];
  /** Operations seen, as `op key-prefix` (the key up to its first colon). */
  readonly seen: string[] = [];

  constructor(private readonly inner: Store) {}

  failNext(op: Operation, keyPrefix: string): void {
    this.armed = { op, keyPrefix };
  }

  failKeys(prefixes: readonly string[]): void {
    this.failing = prefixes;
  }

  get fired(): boolean {
    return this.armed === undefined;
  }

  private check(op: Operation, key: string): void {
    this.seen.push(`${op} ${key.split(':')[0]}`);
    if (this.failing.some((prefix) => key.startsWith(prefix))) throw new StoreUnavailableError('Redis is unavailable: injected outage');
    if (this.armed !== undefined && this.armed.op === op && key.startsWith(this.armed.keyPrefix)) {
      this.armed = undefined;
      throw new StoreUnavailableError('Redis is unavailable: injected fault');
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.check('get', key);
    return this.inner.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.check('set', key);
    return this.inner.set(key, value, ttlSeconds);
  }
  async delete(key: string): Promise<void> {
    this.check('delete', key);
    return this.inner.delete(key);
  }
  async take(key: string): Promise<string | undefined> {
    this.check('take', key);
    return this.inner.take(key);
  }
  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.check('setIfAbsent', key);
    return this.inner.setIfAbsent(key, value, ttlSeconds);
  }
  async increment(key: string, ttlSeconds: number): Promise<number> {
    this.check('increment', key);
    return this.inner.increment(key, ttlSeconds);
  }
  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    this.check('deleteIfEquals', key);
    return this.inner.deleteIfEquals(key, expected);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
