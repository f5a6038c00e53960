import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { CaseRepository } from '@panah/cases';
import { SEVERITIES } from '@panah/domain';
import { MetricsService } from '@panah/observability';
import { RunRepository } from './run.repository';

/** Watchdog metrics: how late steps run, how many runs are overdue, how many deliveries fail. */
@Injectable()
export class EscalationMetrics implements OnModuleInit {
  readonly stepLateness: Histogram<'action'>;
  readonly notificationFailures: Counter<'channel' | 'outcome'>;
  readonly sweeps: Counter<'kind'>;

  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunRepository,
    private readonly cases: CaseRepository,
  ) {
    this.stepLateness = new Histogram({
      name: 'panah_escalation_step_lateness_seconds',
      help: 'Actual minus due time of escalation steps (G4 target: under 1 s)',
      labelNames: ['action'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [metrics.registry],
    });
    this.notificationFailures = new Counter({
      name: 'panah_notification_failures_total',
      help: 'Failed notification attempts by channel; outcome=exhausted means every contact method of a recipient failed',
      labelNames: ['channel', 'outcome'],
      registers: [metrics.registry],
    });
    this.sweeps = new Counter({
      name: 'panah_escalation_sweeper_requeued_total',
      help: 'Runs and notifications the sweeper had to re-enqueue (their wake-up was lost)',
      labelNames: ['kind'],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    const manager = this.dataSource.manager;
    const runs = this.runs;
    const cases = this.cases;
    new Gauge({
      name: 'panah_cases_oldest_unacknowledged_seconds',
      help: 'Per severity, seconds since the oldest open case nobody has acknowledged became unacknowledged (opened, reopened or un-acknowledged; 0: none; -1: database unreachable). Page on severity="critical"',
      labelNames: ['severity'],
      registers: [this.metrics.registry],
      async collect() {
        const rows = await cases.oldestUnacknowledgedAge(manager).catch(() => null);
        for (const severity of SEVERITIES)
          this.set({ severity }, rows ? (rows.find((r) => r.severity === severity)?.age ?? 0) : -1);
      },
    });
    new Gauge({
      name: 'panah_escalation_runs_overdue',
      help: 'Active, snoozed or acknowledged runs whose next step is more than 5 s past due',
      registers: [this.metrics.registry],
      async collect() {
        this.set(await runs.overdueCount(manager).catch(() => -1));
      },
    });
  }
}
