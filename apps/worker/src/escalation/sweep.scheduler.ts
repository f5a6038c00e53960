import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the escalation sweeper. */
@Injectable()
export class EscalationSweepScheduler extends RepeatingJob<typeof JobName.EscalationSweep> {
  constructor(
    @InjectQueue(QueueName.EscalationSweep) queue: Queue,
    @Inject(PANAH_CONFIG) config: PanahConfig,
  ) {
    super(queue, {
      id: 'escalation-sweep',
      job: JobName.EscalationSweep,
      data: {},
      everyMs: config.escalation.sweepEveryMs,
    });
  }
}
