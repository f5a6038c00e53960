import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { ALL_QUEUE_NAMES, QueueName } from './jobs';
import { createRedis } from './redis';

/**
 * BullMQ queues for producing and inspecting jobs, on one fail-fast Redis connection: while Redis
 * is down, `add` rejects at once instead of queueing in memory, so callers keep the work in
 * PostgreSQL and retry. Workers get their own blocking connections (see WorkerQueueModule).
 */
@Injectable()
export class ProducerQueues implements OnApplicationShutdown {
  readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(PANAH_CONFIG) config: PanahConfig) {
    this.redis = createRedis(config.redis.url, 'producer');
    // Connection errors are expected during an outage; health checks report them.
    this.redis.on('error', () => undefined);
    for (const name of ALL_QUEUE_NAMES) {
      const queue = new Queue(name, { connection: this.redis, prefix: config.redis.prefix });
      queue.on('error', () => undefined); // outages surface as failed adds and in readiness
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    return queue;
  }

  all(): ReadonlyMap<QueueName, Queue> {
    return this.queues;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}
