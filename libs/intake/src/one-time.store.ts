import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { createRedis, withTimeout } from '@panah/queue';

/**
 * "Use once" marks for challenges (Redis SET NX PX, shared by every API instance). While Redis is
 * unreachable, marks fall back to this process's memory so sign-in and registration keep working
 * during an outage; a challenge could then be replayed once on another instance at most, within
 * its short lifetime, which the signature or proof of work still has to survive.
 */
@Injectable()
export class OneTimeStore implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly local = new Map<string, number>();

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {
    this.redis = createRedis(config.redis.url, 'producer');
    this.redis.on('error', () => undefined);
  }

  /** True the first time `key` is claimed within `ttlMs`; false on every later claim. */
  async claim(purpose: string, key: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const redisKey = `${this.config.redis.prefix}:once:${purpose}:${key}`;
    if (this.localSeen(redisKey, now)) return false;
    try {
      const result = await withTimeout(
        this.redis.set(redisKey, '1', 'PX', ttlMs, 'NX'),
        500,
        'one-time store',
      );
      if (result !== 'OK') return false;
    } catch {
      // Redis down: remember locally only.
    }
    this.local.set(redisKey, now + ttlMs);
    return true;
  }

  private localSeen(key: string, now: number): boolean {
    if (this.local.size > 100_000) for (const [k, exp] of this.local) if (exp <= now) this.local.delete(k);
    const exp = this.local.get(key);
    return exp !== undefined && exp > now;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
