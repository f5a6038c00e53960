import { Global, Module } from '@nestjs/common';
import { CasesModule } from '@panah/cases';
import { CaseUpdatesModule } from '@panah/escalation';
import { StaffTeamRepository } from '@panah/identity';
import { IntakeModule, REPORTER_DURESS_PORT, ReporterRepository } from '@panah/intake';
import { RuleSetRepository } from '@panah/triage';
import { CheckinHistoryService } from './checkin-history.service';
import { CheckinRepository } from './checkin.repository';
import { CheckinService } from './checkin.service';
import { DeadlineService } from './deadline.service';
import { DuressRepository } from './duress.repository';
import { DuressService } from './duress.service';
import { PanicRepository } from './panic.repository';
import { PanicService } from './panic.service';
import { PlanRepository } from './plan.repository';
import { ReminderRepository } from './reminder.repository';
import { SafetyCaseService } from './safety-case.service';
import { SafetyEventRepository } from './safety-event.repository';
import { SignalVerifier } from './signal-verifier.service';

/**
 * Safety check-ins, panic and duress (issue 8): reporters' plans and check-ins, the deadline
 * engine's state changes, panic presses, duress sign-ins; each signal becomes a case through
 * CaseService, which escalation picks up from the outbox. A check-in after the alert is told to
 * the case's people through escalation's CaseUpdateNotifier.
 */
@Module({
  imports: [CasesModule, IntakeModule, CaseUpdatesModule],
  // RuleSetRepository is triage's: provided here read-only, for the default team and policy;
  // StaffTeamRepository is identity's, for who may see a case; ReporterRepository intake's, for
  // reporter locks, sessions and keys.
  providers: [
    RuleSetRepository,
    StaffTeamRepository,
    ReporterRepository,
    PlanRepository,
    CheckinRepository,
    ReminderRepository,
    SafetyEventRepository,
    PanicRepository,
    DuressRepository,
    SafetyCaseService,
    SignalVerifier,
    CheckinService,
    PanicService,
    DuressService,
    DeadlineService,
    CheckinHistoryService,
  ],
  exports: [CheckinService, PanicService, DuressService, DeadlineService, CheckinHistoryService],
})
export class CheckinsModule {}

/**
 * Plugs DuressService into intake's sign-in and registration (REPORTER_DURESS_PORT). Global
 * because intake must not import check-ins (dependencies point one way); import it once per app.
 */
@Global()
@Module({
  imports: [CheckinsModule],
  providers: [{ provide: REPORTER_DURESS_PORT, useExisting: DuressService }],
  exports: [REPORTER_DURESS_PORT],
})
export class DuressPortModule {}
