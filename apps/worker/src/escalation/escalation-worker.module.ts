import { Global, Module } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { EscalationModule, EscalationSweeper } from '@panah/escalation';
import { READINESS_CHECKS, type ReadinessCheck } from '@panah/observability';

/**
 * The escalation capability in the worker, and its readiness check: the worker is not ready when
 * no sweep completed anywhere in the cluster within the larger of five intervals and 15 s (the
 * sweeper is what turns a lost wake-up into a late step instead of a missed one). Global so that
 * the health controller sees READINESS_CHECKS.
 */
@Global()
@Module({
  imports: [EscalationModule],
  providers: [
    {
      provide: READINESS_CHECKS,
      inject: [EscalationSweeper, PANAH_CONFIG],
      useFactory: (sweeper: EscalationSweeper, config: PanahConfig): ReadinessCheck[] => [
        async () => {
          const limit = Math.max(15_000, config.escalation.sweepEveryMs * 5);
          const since = await sweeper.sinceLastSweep().catch(() => null);
          return {
            escalationSweeper: {
              status: since !== null && since <= limit ? 'up' : 'down',
              sinceLastSweepMs: since,
            },
          };
        },
      ],
    },
  ],
  exports: [READINESS_CHECKS, EscalationModule],
})
export class EscalationWorkerModule {}
