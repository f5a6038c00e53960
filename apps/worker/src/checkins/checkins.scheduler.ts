import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the check-in sweeper. */
@Injectable()
export class CheckinsScheduler extends RepeatingJob<typeof JobName.CheckinSweep> {
  constructor(@InjectQueue(QueueName.CheckinSweep) queue: Queue, @Inject(PANAH_CONFIG) config: PanahConfig) {
    super(queue, {
      id: 'checkin-sweep',
      job: JobName.CheckinSweep,
      data: {},
      everyMs: config.checkins.sweepEveryMs,
    });
  }
}
