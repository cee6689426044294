/**
 * A `Store` that forwards every operation to another and reports its latency
 * and failures to the metrics (`agw_store_operation_duration_seconds`,
 * `agw_store_errors_total`). Keys and values are never reported.
 */
import type { Store } from '../store/store.js';
import type { GatewayMetrics } from './gateway-metrics.js';

export class InstrumentedStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly metrics: GatewayMetrics,
  ) {}

  get(key: string): Promise<string | undefined> {
    return this.time('get', () => this.inner.get(key));
  }
  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.time('set', () => this.inner.set(key, value, ttlSeconds));
  }
  delete(key: string): Promise<void> {
    return this.time('delete', () => this.inner.delete(key));
  }
  take(key: string): Promise<string | undefined> {
    return this.time('take', () => this.inner.take(key));
  }
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return this.time('setIfAbsent', () => this.inner.setIfAbsent(key, value, ttlSeconds));
  }
  increment(key: string, ttlSeconds: number): Promise<number> {
    return this.time('increment', () => this.inner.increment(key, ttlSeconds));
  }
  addWithin(key: string, amount: number, ceiling: number, ttlSeconds: number): Promise<{ readonly added: boolean; readonly total: number }> {
    return this.time('addWithin', () => this.inner.addWithin(key, amount, ceiling, ttlSeconds));
  }
  deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return this.time('deleteIfEquals', () => this.inner.deleteIfEquals(key, expected));
  }
  ping(): Promise<void> {
    return this.time('ping', () => this.inner.ping());
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async time<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failed = true;
    try {
      const result = await run();
      failed = false;
      return result;
    } finally {
      this.metrics.storeOperation(operation, (performance.now() - started) / 1000, failed);
    }
  }
}
