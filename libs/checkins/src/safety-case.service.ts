import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseRepository, CaseService, type CaseOutcome } from '@panah/cases';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseReason, type Severity } from '@panah/domain';
import { CaseUpdateNotifier } from '@panah/escalation';
import { RuleSetRepository } from '@panah/triage';
import { type SafetyEventKind, SafetyEventRepository } from './safety-event.repository';

export interface SafetySignal {
  readonly reporterId: string;
  readonly reason: typeof CaseReason.MissedCheckin | typeof CaseReason.Panic | typeof CaseReason.Duress;
  readonly severity: Severity;
  readonly event: SafetyEventKind;
  readonly at: Date;
}

export interface SafetyRouting {
  readonly version: number | null;
  readonly teamId: string | null;
  readonly policyId: string | null;
}

/**
 * Turns a missed check-in, a panic press or a duress signal into a case, through the one door
 * every signal uses (CaseService.openOrRaise, which also writes case.opened / case.updated for
 * escalation in the caller's transaction). Safety signals carry no hints to route by, so a new
 * case goes to the default team and policy of the active triage rule set; an open case keeps its
 * routing and is only ever raised.
 */
@Injectable()
export class SafetyCaseService {
  constructor(
    private readonly cases: CaseService,
    private readonly caseRows: CaseRepository,
    private readonly rules: RuleSetRepository,
    private readonly updates: CaseUpdateNotifier,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly events: SafetyEventRepository,
  ) {}

  /** Where a new safety case goes: read once per transaction (a batch of alerts shares it). */
  async routing(manager: EntityManager): Promise<SafetyRouting> {
    const active = await this.rules.active(manager);
    return {
      version: active.version,
      teamId: active.ruleSet.defaultTeamId,
      policyId: active.ruleSet.default.policyId,
    };
  }

  /** Before raising several reporters' cases in one transaction: see CaseService.lockReporters. */
  async lockReporters(manager: EntityManager, reporterIds: readonly string[]): Promise<void> {
    await this.cases.lockReporters(manager, reporterIds);
  }

  async raise(manager: EntityManager, signal: SafetySignal, routing?: SafetyRouting): Promise<CaseOutcome> {
    const active = routing ?? (await this.routing(manager));
    const outcome = await this.cases.openOrRaise(manager, {
      reporterId: signal.reporterId,
      severity: signal.severity,
      teamId: active.teamId,
      policyId: active.policyId,
      deadlineAt: new Date(signal.at.getTime() + this.config.checkins.ackMinutes * 60_000),
      reason: signal.reason,
      repeat: false,
      triage: {
        ruleSetVersion: active.version,
        rule: signal.reason,
        ruleName: null,
        routedBy: 'default_team',
      },
    });
    await this.events.record(manager, outcome.caseId, signal.event, signal.at);
    return outcome;
  }

  /**
   * "The reporter checked in after the alert", on the case the alert opened (or the reporter's
   * latest): written down, and the case's assignee told (whoever acknowledged it, or everyone
   * its escalation alerted so far) in the same transaction, never closing anything. Returns the
   * case id, if there is a case.
   */
  async recordLateCheckin(
    manager: EntityManager,
    reporterId: string,
    checkinId: string,
    at: Date,
  ): Promise<string | null> {
    const caseId = await this.caseRows.latestForReporter(manager, reporterId);
    if (!caseId) return null;
    await this.events.record(manager, caseId, 'checked_in_after_alert', at);
    await this.updates.notifyParticipants(manager, {
      caseId,
      event: 'checked_in_after_alert',
      eventId: checkinId,
    });
    return caseId;
  }
}
