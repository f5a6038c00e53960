import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  caseOpenedJobId,
  caseUpdatedJobId,
  JobName,
  jobOptions,
  ProducerQueues,
  QueueName,
  withTimeout,
} from '@panah/queue';
import { CaseEventSweepRepository, type StaleCaseEvent } from './case-event-sweep.repository';
import { EscalationMetrics } from './escalation.metrics';

/** Re-announcements of one case event collapse within this window (one redo per window at most). */
const REDO_WINDOW_MS = 15_000;

/**
 * The sweeper for case events whose job Redis lost (flushed, restarted empty, failed over):
 * relayed outbox rows are not proof of delivery, so the sweeper compares the cases with their
 * runs (CaseEventSweepRepository) and, for each case whose event is not waiting, delayed or
 * running in Redis, announces it again. Starting and updating are idempotent (the run row and
 * the case lock decide), so a redundant announcement costs one no-op job.
 */
@Injectable()
export class CaseEventSweeper {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly queues: ProducerQueues,
    private readonly repository: CaseEventSweepRepository,
    private readonly metrics: EscalationMetrics,
  ) {}

  async sweep(): Promise<{ opened: number; updated: number; signals: number }> {
    const stale = await this.repository.stale(
      this.dataSource.manager,
      this.config.escalation.sweepGraceMs,
      500,
    );
    if (stale.length === 0) return { opened: 0, updated: 0, signals: 0 };
    const queue = this.queues.get(QueueName.CaseEvents);
    const alive = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
    const baseId = (e: StaleCaseEvent): string =>
      e.kind === 'opened' ? caseOpenedJobId(e.caseId) : caseUpdatedJobId(e.caseId, e.version);
    const window = Math.floor(Date.now() / REDO_WINDOW_MS);
    const redoId = (e: StaleCaseEvent, w: number): string => `${baseId(e)}-s${w}`;
    const states = await withTimeout(
      Promise.all(
        stale.map(async (e) =>
          (
            await Promise.all(
              [baseId(e), redoId(e, window), redoId(e, window - 1)].map((id) => queue.getJobState(id)),
            )
          ).some((s) => alive.has(s)),
        ),
      ),
      5_000,
      'Redis',
    );
    const lost = stale.filter((_e, i) => !states[i]);
    if (lost.length === 0) return { opened: 0, updated: 0, signals: 0 };
    await withTimeout(
      queue.addBulk(
        lost.map((e) =>
          e.kind === 'opened'
            ? {
                name: JobName.CaseOpened,
                data: { caseId: e.caseId },
                opts: { ...jobOptions[JobName.CaseOpened], jobId: redoId(e, window) },
              }
            : {
                name: JobName.CaseUpdated,
                data: { caseId: e.caseId, version: e.version, ...(e.signal ? { signal: e.signal } : {}) },
                opts: { ...jobOptions[JobName.CaseUpdated], jobId: redoId(e, window) },
              },
        ),
      ),
      5_000,
      'Redis',
    );
    const opened = lost.filter((e) => e.kind === 'opened').length;
    const signals = lost.filter((e) => e.kind === 'signal').length;
    const updated = lost.length - opened - signals;
    if (opened) this.metrics.sweeps.inc({ kind: 'case_opened' }, opened);
    if (updated) this.metrics.sweeps.inc({ kind: 'case_updated' }, updated);
    if (signals) this.metrics.sweeps.inc({ kind: 'case_signal' }, signals);
    return { opened, updated, signals };
  }
}
