import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { outboxBacklog, ProducerQueues, withTimeout } from '@panah/queue';
import { MetricsService } from './metrics.service';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

/** Queue depths and the outbox backlog, read when Prometheus scrapes (never on a timer). */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: ProducerQueues,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const queues = this.queues;
    const dataSource = this.dataSource;
    new Gauge({
      name: 'panah_queue_jobs',
      help: 'BullMQ jobs per queue and state (absent while Redis is unreachable)',
      labelNames: ['queue', 'state'],
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        for (const [name, queue] of queues.all()) {
          const counts = await withTimeout(queue.getJobCounts(...STATES), 1_000).catch(() => null);
          if (!counts) continue;
          for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
    let backlog: Promise<{ count: number; age: number }> | null = null;
    const readBacklog = (): Promise<{ count: number; age: number }> =>
      (backlog ??= outboxBacklog(dataSource.manager)
        .catch(() => ({ count: -1, age: -1 }))
        .finally(() => setTimeout(() => (backlog = null), 0)));
    new Gauge({
      name: 'panah_outbox_backlog',
      help: 'Outbox rows not yet relayed to BullMQ',
      registers: [this.metrics.registry],
      async collect() {
        this.set((await readBacklog()).count);
      },
    });
    new Gauge({
      name: 'panah_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet relayed',
      registers: [this.metrics.registry],
      async collect() {
        this.set((await readBacklog()).age);
      },
    });
  }
}
