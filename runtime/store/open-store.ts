/**
 * Picks the store from configuration: Redis when REDIS_URL is set (several
 * replicas share pending authorizations, codes and grants), else memory.
 */
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  readonly redisUrl: string | undefined;
  readonly onRedisError?: (error: Error) => void;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.redisUrl === undefined) return new MemoryStore();
  return RedisStore.connect(options.redisUrl, { onError: options.onRedisError });
}
