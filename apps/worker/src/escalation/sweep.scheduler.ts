import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the escalation sweeper. */
@Injectable()
export class EscalationSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly repeating: RepeatingJob<typeof JobName.EscalationSweep>;

  constructor(
    @InjectQueue(QueueName.EscalationSweep) queue: Queue,
    @Inject(PANAH_CONFIG) config: PanahConfig,
  ) {
    this.repeating = new RepeatingJob(
      queue,
      {
        id: 'escalation-sweep',
        job: JobName.EscalationSweep,
        data: {},
        everyMs: config.escalation.sweepEveryMs,
      },
      new Logger(EscalationSweepScheduler.name),
    );
  }

  onApplicationBootstrap(): void {
    this.repeating.start();
  }

  onApplicationShutdown(): void {
    this.repeating.stop();
  }
}
