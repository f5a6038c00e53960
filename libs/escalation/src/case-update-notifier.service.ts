import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseRepository } from '@panah/cases';
import { caseUpdateRecipients } from '@panah/domain';
import { StaffRepository } from '@panah/identity';
import { ContactMethodRepository } from './contact-method.repository';
import { NotificationRepository } from './notification.repository';
import { RunRepository, type RunSummaryRow } from './run.repository';

/** What happened on a case; with its id it keys the notifications (each recorded once). */
export type CaseUpdateEvent =
  'checked_in_after_alert' | 'triage_failed' | 'reporter_message' | 'assigned' | 'signal';

export interface CaseUpdate {
  readonly caseId: string;
  readonly event: CaseUpdateEvent;
  /** The id of what happened (the check-in, the report): the same update told twice is recorded once. */
  readonly eventId: string;
}

/**
 * Tells people about something that happened on a case, through the notification outbox the
 * escalation engine uses: written in the caller's transaction (so the update and its
 * notifications commit together), recorded once per (case, event, recipient, contact method),
 * delivered at least once by NotificationDelivery with retries and fallback to each person's next
 * contact method. The message is the fixed-length G5 "update on <severity> case <ref>" text: it
 * never says what happened; the people it reaches read that in the case.
 */
@Injectable()
export class CaseUpdateNotifier {
  private readonly logger = new Logger(CaseUpdateNotifier.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly staff: StaffRepository,
    private readonly runs: RunRepository,
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactMethodRepository,
  ) {}

  /**
   * The case's people: whoever acknowledged its escalation (and anyone alerted since), or, if
   * nobody has, everyone the escalation already alerted (see caseUpdateRecipients). If nobody has
   * been alerted yet (the escalation has not started, its first step waits, or it found nobody),
   * the update still reaches someone: the case's team, or failing that the admins.
   */
  async notifyParticipants(m: EntityManager, update: CaseUpdate): Promise<number> {
    const run = await this.runs.summaryForCase(m, update.caseId);
    const participants = run ? await this.participants(m, run) : [];
    if (run && participants.length > 0) return this.notify(m, update, run.id, participants);
    const teamId = (await this.cases.access(m, update.caseId))?.team_id ?? null;
    const team = teamId === null ? [] : await this.staff.activeCaseStaffOfTeam(m, teamId);
    if (team.length > 0) return this.notify(m, update, run?.id ?? null, team);
    return this.notifyAdmins(m, update);
  }

  /**
   * The case's assignee when it has an active one (issue 15: an assigned case's updates go to the
   * person working it), else the participants as notifyParticipants finds them.
   */
  async notifyAssignee(m: EntityManager, update: CaseUpdate, assigneeId: string | null): Promise<number> {
    if (assigneeId !== null) {
      if (await this.staff.isActiveCaseStaff(m, assigneeId)) {
        return this.notify(m, update, await this.runs.idForCase(m, update.caseId), [assigneeId]);
      }
    }
    return this.notifyParticipants(m, update);
  }

  private async participants(m: EntityManager, run: RunSummaryRow): Promise<string[]> {
    // First attempts only: a fallback to someone's next contact method is not a new alert.
    const notified = await this.notifications.alertedRecipients(m, run.id);
    const candidates = [
      ...new Set([
        ...(run.acknowledged_by ? [run.acknowledged_by] : []),
        ...notified.map((n) => n.recipient_id),
      ]),
    ];
    const active = await this.staff.activeIds(m, candidates);
    return caseUpdateRecipients({
      acknowledgedBy: run.acknowledged_by,
      acknowledgedAt: run.acknowledged_at,
      notified: notified.map((n) => ({ staffId: n.recipient_id, firstAt: n.first_at, lastAt: n.last_at })),
      activeStaff: active,
    });
  }

  /** Every active admin (a failure of the system itself: admins own the rules and the workers). */
  async notifyAdmins(m: EntityManager, update: CaseUpdate): Promise<number> {
    const admins = await this.staff.activeAdminIds(m);
    return this.notify(m, update, await this.runs.idForCase(m, update.caseId), admins);
  }

  /** One notification per person, to their first enabled contact method (delivery falls back to the next). */
  private async notify(
    m: EntityManager,
    update: CaseUpdate,
    runId: string | null,
    staffIds: readonly string[],
  ): Promise<number> {
    if (staffIds.length === 0) {
      this.logger.warn({ caseId: update.caseId, event: update.event }, 'nobody to tell about a case update');
      return 0;
    }
    const first = await this.contacts.firstEnabledOf(m, staffIds);
    const about = {
      kind: 'case_update',
      caseId: update.caseId,
      runId,
      eventKey: `${update.event}:${update.eventId}`,
    } as const;
    await this.notifications.insert(
      m,
      first.map((r) => ({
        about,
        recipientId: r.staff_id,
        contact: r.method_id && r.channel ? { methodId: r.method_id, channel: r.channel } : null,
        fallbackOf: null,
      })),
    );
    return first.length;
  }
}
