/**
 * Picks the store from configuration: Redis when REDIS_URL is set (several
 * replicas share pending authorizations, codes and grants), else memory.
 *
 * The Redis store (and ioredis with it) is imported only when REDIS_URL
 * selects it: a single instance on the memory store never loads ioredis,
 * which would cost a good part of its start-up.
 */
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  readonly redisUrl: string | undefined;
  readonly onRedisError?: (error: Error) => void;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.redisUrl === undefined) return new MemoryStore();
  const { RedisStore } = await import('./redis-store.js');
  return RedisStore.connect(options.redisUrl, { onError: options.onRedisError });
}
