import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NotificationRepository, type RunNotificationRow } from './notification.repository';
import { RunRepository } from './run.repository';

/** A case's escalation as its timeline shows it: ids, channels and outcomes only. */
export interface CaseEscalationHistory {
  readonly run: {
    id: string;
    state: string;
    step: number;
    round: number;
    acknowledgedBy: string | null;
    acknowledgedAt: Date | null;
  } | null;
  readonly events: {
    at: Date;
    kind: string;
    step: number | null;
    round: number | null;
    actorId: string | null;
  }[];
  readonly notifications: {
    createdAt: Date;
    kind: string;
    recipientId: string;
    channel: string;
    status: string;
    deliveredAt: Date | null;
    eventKey: string | null;
  }[];
}

/**
 * A case's escalation for its timeline: the run, its events and every notification about the
 * case (ids, channels, outcomes; no addresses). Notifications include the case's updates (`kind` `case_update`, no step or round,
 * `eventKey` naming what happened by kind and id), also those sent before the run existed (a
 * triage failure tells admins in the transaction that opens the case).
 */
@Injectable()
export class EscalationHistory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunRepository,
    private readonly notificationRows: NotificationRepository,
  ) {}

  /** The case's run, its events and every notification about the case (escalation and case updates), oldest first. */
  async forCase(m: EntityManager, caseId: string): Promise<CaseEscalationHistory> {
    const r = await this.runs.summaryForCase(m, caseId);
    const events = r ? await this.runs.timelineEvents(m, r.id) : [];
    const notifications = await this.notificationRows.forCase(m, caseId, r?.id ?? null);
    return {
      run: r
        ? {
            id: r.id,
            state: r.state,
            step: r.step,
            round: r.round,
            acknowledgedBy: r.acknowledged_by,
            acknowledgedAt: r.acknowledged_at,
          }
        : null,
      events: events.map((e) => ({
        at: e.at,
        kind: e.kind,
        step: e.step,
        round: e.round,
        actorId: e.actor_id,
      })),
      notifications: notifications.map((n) => ({
        createdAt: n.created_at,
        kind: n.kind,
        recipientId: n.recipient_id,
        channel: n.channel,
        status: n.status,
        deliveredAt: n.delivered_at,
        eventKey: n.event_key,
      })),
    };
  }

  /** The run's notifications and its case's updates with their attempts (as the run's history shows them). */
  notifications(runId: string): Promise<RunNotificationRow[]> {
    return this.notificationRows.forRunWithAttempts(this.dataSource.manager, runId);
  }
}
