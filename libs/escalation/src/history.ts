import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A run's events and every notification attempt, for supervisors (ids, channels, outcomes; no
 * addresses). Notifications include the case's updates (`kind` `case_update`, no step or round,
 * `eventKey` naming what happened by kind and id), also those sent before the run existed (a
 * triage failure tells admins in the transaction that opens the case).
 */
@Injectable()
export class EscalationHistory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
