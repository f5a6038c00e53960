import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the triage reconciler. */
@Injectable()
export class TriageScheduler extends RepeatingJob<typeof JobName.TriageReconcile> {
  constructor(
    @InjectQueue(QueueName.TriageReconcile) queue: Queue,
    @Inject(PANAH_CONFIG) config: PanahConfig,
  ) {
    super(queue, {
      id: 'triage-reconcile',
      job: JobName.TriageReconcile,
      data: {},
      everyMs: config.triage.reconcileEveryMs,
    });
  }
}
