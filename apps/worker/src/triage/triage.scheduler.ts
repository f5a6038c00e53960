import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the triage reconciler. */
@Injectable()
export class TriageScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly repeating: RepeatingJob<typeof JobName.TriageReconcile>;

  constructor(
    @InjectQueue(QueueName.TriageReconcile) queue: Queue,
    @Inject(PANAH_CONFIG) config: PanahConfig,
  ) {
    this.repeating = new RepeatingJob(
      queue,
      {
        id: 'triage-reconcile',
        job: JobName.TriageReconcile,
        data: {},
        everyMs: config.triage.reconcileEveryMs,
      },
      new Logger(TriageScheduler.name),
    );
  }

  onApplicationBootstrap(): void {
    this.repeating.start();
  }

  onApplicationShutdown(): void {
    this.repeating.stop();
  }
}
