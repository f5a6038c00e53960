import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { createRedis, withTimeout } from '@panah/queue';

export interface RateLimitRule {
  /** Bucket family, e.g. `staff-login-account`. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitResult {
  readonly allowed: boolean;
  /** Hits in the current window, including this one. */
  readonly count: number;
  readonly retryAfterMs: number;
}

/**
 * Fixed-window counters in Redis (shared by every API instance), with an in-memory fallback
 * while Redis is unreachable so that an outage neither blocks reports nor lifts the limits.
 * Keys are whatever the caller passes: pass keyed hashes, never raw identifiers or addresses.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {
    this.redis = createRedis(config.redis.url, 'producer');
    this.redis.on('error', () => undefined);
  }

  async hit(rule: RateLimitRule, key: string, now = Date.now()): Promise<RateLimitResult> {
    const window = Math.floor(now / rule.windowMs);
    const bucket = `${this.config.redis.prefix}:rl:${rule.name}:${key}:${window}`;
    const resetAt = (window + 1) * rule.windowMs;
    let count: number;
    try {
      const [[, incr]] = (await withTimeout(
        this.redis
          .multi()
          .incr(bucket)
          .pexpire(bucket, rule.windowMs + 1_000)
          .exec(),
        500,
        'rate limiter',
      )) as [[Error | null, number]];
      count = incr;
    } catch {
      count = this.localHit(bucket, resetAt, now);
    }
    return { allowed: count <= rule.limit, count, retryAfterMs: Math.max(0, resetAt - now) };
  }

  /**
   * Marks `key` used for `ttlMs`; true only for the first caller (a single-use proof of work).
   * While Redis is unreachable the mark is kept in memory, so a replay is still refused here.
   */
  async claimOnce(name: string, key: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const bucket = `${this.config.redis.prefix}:once:${name}:${key}`;
    try {
      const set = await withTimeout(this.redis.set(bucket, '1', 'PX', ttlMs, 'NX'), 500, 'rate limiter');
      return set === 'OK';
    } catch {
      if (this.local.has(bucket) && (this.local.get(bucket)?.resetAt ?? 0) > now) return false;
      this.local.set(bucket, { count: 1, resetAt: now + ttlMs });
      return true;
    }
  }

  /** Forgets a key's current window (e.g. after a successful login). */
  async reset(rule: RateLimitRule, key: string, now = Date.now()): Promise<void> {
    const window = Math.floor(now / rule.windowMs);
    const bucket = `${this.config.redis.prefix}:rl:${rule.name}:${key}:${window}`;
    this.local.delete(bucket);
    await withTimeout(this.redis.del(bucket), 500, 'rate limiter').catch(() => undefined);
  }

  private localHit(bucket: string, resetAt: number, now: number): number {
    if (this.local.size > 100_000) {
      for (const [k, v] of this.local) if (v.resetAt <= now) this.local.delete(k);
    }
    const entry = this.local.get(bucket) ?? { count: 0, resetAt };
    entry.count += 1;
    this.local.set(bucket, entry);
    return entry.count;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
