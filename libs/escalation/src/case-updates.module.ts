import { Module } from '@nestjs/common';
import { CaseUpdateNotifier } from './case-updates';

/**
 * Just the case-update notifier, for capabilities that report case events (check-ins, triage)
 * without pulling in the escalation engine, its channels and its commands.
 */
@Module({ providers: [CaseUpdateNotifier], exports: [CaseUpdateNotifier] })
export class CaseUpdatesModule {}
