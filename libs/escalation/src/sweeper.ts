import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { escalationStepJobId, JobName, jobOptions, notificationJobId, ProducerQueues, QueueName, withTimeout } from '@panah/queue';
import { EscalationMetrics } from './escalation.metrics';

export const LAST_SWEEP_KEY = 'escalation:last-sweep';

/**
 * The safety net under the delayed jobs. Every few seconds it finds runs whose `next_step_at`
 * passed more than the grace period ago, and notifications whose attempt is overdue or whose
 * sending worker's lease expired, and enqueues a fresh wake-up for each (a new job id per sweep,
 * so a job lost, failed or stuck in Redis cannot block it). Wake-ups are idempotent (the fencing
 * token and the position are checked under the row lock), so a duplicate costs one no-op.
 */
@Injectable()
export class EscalationSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly queues: ProducerQueues,
    private readonly metrics: EscalationMetrics,
  ) {}

  async sweep(): Promise<{ runs: number; notifications: number }> {
    const graceMs = this.config.escalation.sweepGraceMs;
    const [runs] = (await this.dataSource.query(
      `UPDATE escalation_runs r SET swept_at = now(), sweeps = r.sweeps + 1
        WHERE r.id IN (SELECT id FROM escalation_runs
                        WHERE state IN ('active', 'snoozed', 'acknowledged') AND next_step_at < now() - make_interval(secs => $1::float / 1000)
                          AND (swept_at IS NULL OR swept_at < now() - make_interval(secs => $1::float / 1000))
                        ORDER BY next_step_at LIMIT 2000 FOR UPDATE SKIP LOCKED)
        RETURNING r.id, r.fence, r.step, r.round, r.sweeps`,
      [graceMs],
    )) as [{ id: string; fence: number; step: number; round: number; sweeps: number }[], number];
    if (runs.length > 0) {
      const jobs = runs.map((r) => {
        const data = { runId: r.id, fence: r.fence, step: r.step, round: r.round };
        return { name: JobName.EscalationStep, data, opts: { ...jobOptions[JobName.EscalationStep], jobId: `${escalationStepJobId(data)}-s${r.sweeps}` } };
      });
      await withTimeout(this.queues.get(QueueName.Escalation).addBulk(jobs), 5_000, 'Redis');
      this.metrics.sweeps.inc({ kind: 'run' }, runs.length);
    }
    const [notes] = (await this.dataSource.query(
      `UPDATE escalation_notifications n SET next_attempt_at = now() + make_interval(secs => $1::float / 1000)
        WHERE n.id IN (SELECT id FROM escalation_notifications
                        WHERE status IN ('pending', 'sending') AND next_attempt_at < now() - make_interval(secs => $1::float / 1000)
                        ORDER BY next_attempt_at LIMIT 2000 FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.status, n.attempts, (extract(epoch from now()) * 1000)::bigint AS stamp`,
      [graceMs],
    )) as [{ id: string; status: string; attempts: number; stamp: string }[], number];
    if (notes.length > 0) {
      const jobs = notes.map((n) => {
        // A pending row waits for attempt attempts+1; a `sending` row with an expired lease too.
        const attempt = n.attempts + 1;
        return {
          name: JobName.NotificationDeliver,
          data: { notificationId: n.id, attempt },
          opts: { ...jobOptions[JobName.NotificationDeliver], jobId: `${notificationJobId(n.id, attempt)}-s${n.stamp}` },
        };
      });
      await withTimeout(this.queues.get(QueueName.Notify).addBulk(jobs), 5_000, 'Redis');
      this.metrics.sweeps.inc({ kind: 'notification' }, notes.length);
    }
    // Cluster-wide heartbeat for readiness: any worker's sweep counts.
    await withTimeout(this.queues.redis.set(`${this.config.redis.prefix}:${LAST_SWEEP_KEY}`, String(Date.now()), 'EX', 3_600), 2_000, 'Redis');
    return { runs: runs.length, notifications: notes.length };
  }

  /** Milliseconds since any worker last completed a sweep; null if never (or Redis lost it). */
  async sinceLastSweep(): Promise<number | null> {
    const v = await withTimeout(this.queues.redis.get(`${this.config.redis.prefix}:${LAST_SWEEP_KEY}`), 1_000, 'Redis');
    return v ? Date.now() - Number(v) : null;
  }
}
