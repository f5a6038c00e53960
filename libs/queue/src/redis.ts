import Redis, { RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'probe';

/** Reconnect forever, backing off to at most 2 s, so a Redis outage heals without a restart. */
const retryStrategy = (times: number): number => Math.min(times * 200, 2_000);

/**
 * The one place ioredis options are decided.
 * - producer: fail fast while Redis is down (the caller keeps the work in PostgreSQL and retries);
 * - worker: BullMQ workers block on Redis and need `maxRetriesPerRequest: null`;
 * - probe: health checks, fail fast and never queue commands.
 */
/** ioredis options with a definite retry strategy (BullMQ's option type needs one). */
export type PanahRedisOptions = RedisOptions & { retryStrategy: (times: number) => number };

export function redisOptions(url: string, role: RedisRole): PanahRedisOptions {
  const base: PanahRedisOptions = {
    ...parseRedisUrl(url),
    lazyConnect: false,
    connectTimeout: 3_000,
    retryStrategy,
  };
  switch (role) {
    case 'worker':
      return { ...base, maxRetriesPerRequest: null, enableOfflineQueue: true };
    case 'producer':
      return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    case 'probe':
      return { ...base, maxRetriesPerRequest: 0, enableOfflineQueue: false };
  }
}

export function createRedis(url: string, role: RedisRole): Redis {
  return new Redis(redisOptions(url, role));
}

function parseRedisUrl(
  url: string,
): Pick<RedisOptions, 'host' | 'port' | 'username' | 'password' | 'db' | 'tls'> {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

export class RedisPolicyError extends Error {}

/**
 * BullMQ loses jobs if Redis may evict keys. Refuse to run unless `maxmemory-policy` is
 * `noeviction`. Uses INFO (allowed on managed Redis, unlike CONFIG GET).
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  const policy = match?.[1];
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Panah requires "noeviction" (BullMQ jobs would be evicted). ` +
        `Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf).`,
    );
  }
}
