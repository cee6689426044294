/**
 * The store for several replicas: Redis through ioredis (`REDIS_URL`).
 *
 * - Every key gets the configured prefix (default `agw:`) and a TTL (`SET ... PX`).
 * - `take` runs GET + DEL in one Lua script, so it is atomic on any Redis
 *   version (GETDEL needs 6.2).
 * - `setIfAbsent` is `SET ... NX PX`.
 * - `increment` is INCR plus PEXPIRE when the key has no TTL yet, and
 *   `deleteIfEquals` GET-compare-DEL, `addWithin` GET-check-INCRBY, each one
 *   Lua script (atomic).
 * - Fail fast: no offline queue, one retry, a command timeout; any failure is
 *   a `StoreUnavailableError` (answered 503), so a Redis outage never looks
 *   like an invalid token. ioredis keeps reconnecting in the background.
 */
import { Redis } from 'ioredis';
import { assertAmount, assertTtl, StoreUnavailableError, type Store } from './store.js';

const TAKE_SCRIPT = "local v = redis.call('GET', KEYS[1]); if v then redis.call('DEL', KEYS[1]) end; return v";
// PTTL -1: the key exists without a TTL, i.e. INCR just created it (every write of this store sets one).
const INCREMENT_SCRIPT =
  "local n = redis.call('INCR', KEYS[1]); if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n";
// Adds ARGV[1] unless the total would pass ARGV[2] (a negative amount always goes in); a new key gets the TTL ARGV[3].
const ADD_WITHIN_SCRIPT =
  "local cur = tonumber(redis.call('GET', KEYS[1]) or '0'); local a = tonumber(ARGV[1]); " +
  'if a > 0 and cur + a > tonumber(ARGV[2]) then return {0, cur} end; ' +
  "local n = redis.call('INCRBY', KEYS[1], a); if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end; return {1, n}";
const DELETE_IF_EQUALS_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end; return 0";

export interface RedisStoreOptions {
  /** Prefix for every key, so the gateway can share a Redis. Default `agw:`. */
  readonly keyPrefix?: string;
  /** Per-command time limit. Default 2000 ms. */
  readonly commandTimeoutMs?: number;
  /** Called (rate-limited to one per 10 s) when the connection reports an error. */
  readonly onError?: (error: Error) => void;
}

export class RedisStore implements Store {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Connects and pings; a Redis that cannot be reached is a `StoreUnavailableError` naming REDIS_URL. */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    let lastReport = 0;
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    redis.on('error', (error: Error) => {
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      options.onError?.(error);
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw new StoreUnavailableError(
        `Cannot reach Redis at REDIS_URL (${redactUrl(url)}): ${error instanceof Error ? error.message : String(error)}. Start Redis or fix REDIS_URL.`,
        { cause: error },
      );
    }
    return new RedisStore(redis, options.keyPrefix ?? 'agw:');
  }

  get(key: string): Promise<string | undefined> {
    return this.run(async () => (await this.redis.get(this.prefix + key)) ?? undefined);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds);
    return this.run(async () => {
      await this.redis.set(this.prefix + key, value, 'PX', toMs(ttlSeconds));
    });
  }

  delete(key: string): Promise<void> {
    return this.run(async () => {
      await this.redis.del(this.prefix + key);
    });
  }

  take(key: string): Promise<string | undefined> {
    return this.run(async () => {
      const value: unknown = await this.redis.eval(TAKE_SCRIPT, 1, this.prefix + key);
      return typeof value === 'string' ? value : undefined;
    });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    return this.run(async () => (await this.redis.set(this.prefix + key, value, 'PX', toMs(ttlSeconds), 'NX')) === 'OK');
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    assertTtl(ttlSeconds);
    return this.run(async () => Number(await this.redis.eval(INCREMENT_SCRIPT, 1, this.prefix + key, toMs(ttlSeconds))));
  }

  async addWithin(key: string, amount: number, ceiling: number, ttlSeconds: number): Promise<{ added: boolean; total: number }> {
    assertTtl(ttlSeconds);
    assertAmount(amount, ceiling);
    return this.run(async () => {
      const reply: unknown = await this.redis.eval(ADD_WITHIN_SCRIPT, 1, this.prefix + key, String(amount), String(ceiling), toMs(ttlSeconds));
      const [added, total] = Array.isArray(reply) ? reply.map(Number) : [];
      if (total === undefined || !Number.isSafeInteger(total)) throw new StoreUnavailableError(`${key}: unexpected reply to addWithin`);
      return { added: added === 1, total };
    });
  }

  deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return this.run(async () => Number(await this.redis.eval(DELETE_IF_EQUALS_SCRIPT, 1, this.prefix + key, expected)) === 1);
  }

  ping(): Promise<void> {
    return this.run(async () => {
      await this.redis.ping();
    });
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StoreUnavailableError(`Redis is unavailable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function toMs(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

/** `redis://user:secret@host` -> `redis://user:***@host`, for error messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return '(unparseable URL)';
  }
}
