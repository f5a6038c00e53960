import { Inject, Injectable, Logger, OnModuleInit, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { assertNoEviction, createRedis, RedisPolicyError } from './redis';

/**
 * Refuses to run against a Redis that may evict keys. Checked at boot when Redis is reachable
 * (the boot fails with the reason); if Redis is down at boot the process starts anyway (reports
 * must still be accepted) and checks the first time Redis comes up.
 */
@Injectable()
export class RedisPolicyCheck implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisPolicyCheck.name);
  private client: Redis | null = null;

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {}

  async onModuleInit(): Promise<void> {
    const client = createRedis(this.config.redis.url, 'probe');
    this.client = client;
    client.on('error', () => undefined);
    try {
      await waitReady(client, 3_000);
    } catch {
      this.logger.warn('Redis is not reachable at boot; its eviction policy will be checked when it is');
      client.once('ready', () => {
        assertNoEviction(client).catch((error: unknown) => {
          if (error instanceof RedisPolicyError) {
            this.logger.fatal(error.message);
            process.exit(78);
          }
        });
      });
      return;
    }
    await assertNoEviction(client);
    client.disconnect();
    this.client = null;
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}

function waitReady(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis not ready')), ms);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
