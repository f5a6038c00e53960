import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  escalationStepJobId,
  JobName,
  jobOptions,
  notificationJobId,
  ProducerQueues,
  QueueName,
  withTimeout,
} from '@panah/queue';
import { EscalationMetrics } from './escalation.metrics';
import { NotificationRepository } from './notification.repository';
import { RunRepository } from './run.repository';

export const LAST_SWEEP_KEY = 'escalation:last-sweep';

/**
 * The safety net under the delayed jobs. Every few seconds it finds runs whose `next_step_at`
 * passed more than the grace period ago, and notifications whose attempt is overdue or whose
 * sending worker's lease expired, and — when their job is no longer in Redis (flushed, failed for
 * good, completed without effect) — enqueues a fresh wake-up for each (a new job id per sweep,
 * so a failed or completed job with the old id cannot block it). Wake-ups are idempotent (the fencing
 * token and the position are checked under the row lock), so a duplicate costs one no-op.
 */
@Injectable()
export class EscalationSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly queues: ProducerQueues,
    private readonly metrics: EscalationMetrics,
    private readonly runs: RunRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  async sweep(): Promise<{ runs: number; notifications: number }> {
    const graceMs = this.config.escalation.sweepGraceMs;
    const runs = await this.sweepRuns(graceMs);
    const notifications = await this.sweepNotifications(graceMs);
    // Cluster-wide heartbeat for readiness: any worker's sweep counts.
    await withTimeout(
      this.queues.redis.set(`${this.config.redis.prefix}:${LAST_SWEEP_KEY}`, String(Date.now()), 'EX', 3_600),
      2_000,
      'Redis',
    );
    return { runs, notifications };
  }

  /**
   * Overdue runs whose wake-up is really gone. A run that is merely late (its job is still
   * waiting in Redis behind a backlog) is left alone: re-enqueueing it would add a no-op job per
   * sweep to the very backlog that made it late.
   */
  private async sweepRuns(graceMs: number): Promise<number> {
    const candidates = await this.runs.sweepCandidates(this.dataSource.manager, graceMs);
    if (candidates.length === 0) return 0;
    const queue = this.queues.get(QueueName.Escalation);
    const lost = await this.lostOnes(queue, candidates, (r) => {
      const base = escalationStepJobId({ runId: r.id, fence: r.fence, step: r.step, round: r.round });
      return r.sweeps > 0 ? [base, `${base}-s${r.sweeps}`] : [base];
    });
    if (lost.length === 0) return 0;
    // Claim them (another worker's sweeper may be looking at the same rows) and only then enqueue.
    const claimed = await this.runs.claimForSweep(
      this.dataSource.manager,
      lost.map((r) => r.id),
      graceMs,
    );
    if (claimed.length === 0) return 0;
    const jobs = claimed.map((r) => {
      const data = { runId: r.id, fence: r.fence, step: r.step, round: r.round };
      return {
        name: JobName.EscalationStep,
        data,
        opts: { ...jobOptions[JobName.EscalationStep], jobId: `${escalationStepJobId(data)}-s${r.sweeps}` },
      };
    });
    await withTimeout(queue.addBulk(jobs), 5_000, 'Redis');
    this.metrics.sweeps.inc({ kind: 'run' }, claimed.length);
    return claimed.length;
  }

  /** Overdue notification attempts whose job is gone, and deliveries whose worker died (lease expired). */
  private async sweepNotifications(graceMs: number): Promise<number> {
    const candidates = await this.notifications.sweepCandidates(this.dataSource.manager, graceMs);
    if (candidates.length === 0) return 0;
    const queue = this.queues.get(QueueName.Notify);
    // A `sending` row past its lease is lost only if no live worker holds a job of it: a live
    // worker may be in a slow send or holding an outcome it cannot record yet (PostgreSQL down),
    // and sending it again then would deliver it twice. Live means active with its lock (renewed
    // every half lock while the worker lives); a dead worker's lock expires within WORKER_LOCKS'
    // lockDuration, whether or not the stalled check has moved its job yet. A pending one may
    // just be queued.
    const held = candidates.some((n) => n.status === 'sending')
      ? await withTimeout(this.heldNotifications(queue), 5_000, 'Redis')
      : new Set<string>();
    const lost = await this.lostOnes(
      queue,
      candidates.filter((n) => !held.has(n.id)),
      (n) => (n.status === 'sending' ? [] : [notificationJobId(n.id, n.attempts + 1)]),
    );
    if (lost.length === 0) return 0;
    const claimed = await this.notifications.claimForSweep(
      this.dataSource.manager,
      lost.map((n) => n.id),
      graceMs,
    );
    if (claimed.length === 0) return 0;
    const jobs = claimed.map((n) => {
      // A pending row waits for attempt attempts+1; a `sending` row with an expired lease too.
      const attempt = n.attempts + 1;
      return {
        name: JobName.NotificationDeliver,
        data: { notificationId: n.id, attempt },
        opts: {
          ...jobOptions[JobName.NotificationDeliver],
          jobId: `${notificationJobId(n.id, attempt)}-s${n.stamp}`,
        },
      };
    });
    await withTimeout(queue.addBulk(jobs), 5_000, 'Redis');
    this.metrics.sweeps.inc({ kind: 'notification' }, claimed.length);
    return claimed.length;
  }

  /** Notifications a job of which is active and locked (its worker alive) in Redis. */
  private async heldNotifications(queue: Queue): Promise<Set<string>> {
    const active = await queue.getActive();
    if (active.length === 0) return new Set();
    const locked = await Promise.all(
      active.map((j) => this.queues.redis.exists(`${queue.toKey(j.id ?? '')}:lock`)),
    );
    const held = new Set<string>();
    active.forEach((j, i) => {
      const id = (j.data as { notificationId?: string } | undefined)?.notificationId;
      if (id && locked[i] === 1) held.add(id);
    });
    return held;
  }

  /** The candidates none of whose job ids is still waiting, delayed or running in Redis. */
  private async lostOnes<T>(
    queue: Queue,
    candidates: readonly T[],
    jobIds: (c: T) => string[],
  ): Promise<T[]> {
    const alive = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
    const states = await withTimeout(
      Promise.all(
        candidates.map(async (c) =>
          (await Promise.all(jobIds(c).map((id) => queue.getJobState(id)))).some((st) => alive.has(st)),
        ),
      ),
      5_000,
      'Redis',
    );
    return candidates.filter((_c, i) => !states[i]);
  }

  /** Milliseconds since any worker last completed a sweep; null if never (or Redis lost it). */
  async sinceLastSweep(): Promise<number | null> {
    const v = await withTimeout(
      this.queues.redis.get(`${this.config.redis.prefix}:${LAST_SWEEP_KEY}`),
      1_000,
      'Redis',
    );
    return v ? Date.now() - Number(v) : null;
  }
}
