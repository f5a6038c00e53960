import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

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
 * A run's events and every notification attempt, for supervisors (ids, channels, outcomes; no
 * addresses). Notifications include the case's updates (`kind` `case_update`, no step or round,
 * `eventKey` naming what happened by kind and id), also those sent before the run existed (a
 * triage failure tells admins in the transaction that opens the case).
 */
@Injectable()
export class EscalationHistory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The case's run, its events and every notification about the case (escalation and case updates), oldest first. */
  async forCase(m: EntityManager, caseId: string): Promise<CaseEscalationHistory> {
    const runs = (await m.query(
      `SELECT id, state, step, round, acknowledged_by, acknowledged_at FROM escalation_runs WHERE case_id = $1`,
      [caseId],
    )) as {
      id: string;
      state: string;
      step: number;
      round: number;
      acknowledged_by: string | null;
      acknowledged_at: Date | null;
    }[];
    const r = runs[0];
    const events = r
      ? ((await m.query(
          `SELECT at, kind, step, round, actor_id FROM escalation_run_events WHERE run_id = $1 ORDER BY id LIMIT 2000`,
          [r.id],
        )) as {
          at: Date;
          kind: string;
          step: number | null;
          round: number | null;
          actor_id: string | null;
        }[])
      : [];
    const notifications = (await m.query(
      `SELECT created_at, kind, recipient_id, channel, status, delivered_at, event_key FROM escalation_notifications
        WHERE case_id = $1 OR ($2::uuid IS NOT NULL AND run_id = $2::uuid) ORDER BY created_at, id LIMIT 2000`,
      [caseId, r?.id ?? null],
    )) as {
      created_at: Date;
      kind: string;
      recipient_id: string;
      channel: string;
      status: string;
      delivered_at: Date | null;
      event_key: string | null;
    }[];
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

  async events(runId: string): Promise<unknown[]> {
    return (await this.dataSource.query(
      `SELECT id, at, kind, step, round, actor_id AS "actorId", details FROM escalation_run_events WHERE run_id = $1 ORDER BY id LIMIT 2000`,
      [runId],
    )) as unknown[];
  }

  async notifications(runId: string): Promise<unknown[]> {
    return (await this.dataSource.query(
      `SELECT n.id, n.kind, n.event_key AS "eventKey", n.step, n.round, n.recipient_id AS "recipientId", n.channel, n.status, n.attempts, n.fallback_of AS "fallbackOf",
              n.last_error AS "lastError", n.created_at AS "createdAt", n.delivered_at AS "deliveredAt",
              COALESCE(json_agg(json_build_object('attempt', a.attempt, 'outcome', a.outcome, 'error', a.error, 'startedAt', a.started_at, 'finishedAt', a.finished_at)
                                ORDER BY a.attempt) FILTER (WHERE a.id IS NOT NULL), '[]') AS "attemptLog"
         FROM escalation_notifications n LEFT JOIN escalation_notification_attempts a ON a.notification_id = n.id
        WHERE n.run_id = $1
           -- Case updates of the run's case, including those sent before the run existed.
           OR (n.event_key IS NOT NULL AND n.case_id = (SELECT case_id FROM escalation_runs WHERE id = $1))
        GROUP BY n.id ORDER BY n.created_at, n.id LIMIT 2000`,
      [runId],
    )) as unknown[];
  }
}
