import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { NotificationKind } from '@panah/domain';
import { JobName, notificationJobId, outboxRowValues } from '@panah/queue';
import { prepared } from '@panah/db';

/**
 * What a notification is about, which is also its idempotency key (with recipient and contact
 * method): a step of an escalation run, or an event on a case (`<event>:<id>`).
 */
export type NotificationAbout =
  | {
      readonly kind: 'escalation';
      readonly caseId: string;
      readonly runId: string;
      readonly step: number;
      readonly round: number;
    }
  | {
      readonly kind: 'case_update';
      readonly caseId: string;
      readonly runId: string | null;
      readonly eventKey: string;
    };

export interface NewNotification {
  readonly about: NotificationAbout;
  readonly recipientId: string;
  readonly contact: { readonly methodId: string; readonly channel: string } | null;
  readonly fallbackOf: string | null;
}

/** A notification to record, with the digest of the recipient's ack-link token where it has one. */
export interface NotificationToInsert extends NewNotification {
  /** Stored with the first notification of the run that carries it (escalations only). */
  readonly linkDigest?: string | null;
}

/**
 * A notification claimed for one delivery attempt, with what sending needs: its run's severity,
 * reference and state (a case update's run may not exist yet), its case's severity, and the
 * ciphertext of its contact method's detail (null when the method was removed or disabled).
 */
export interface ClaimedNotificationRow {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly case_id: string;
  readonly run_id: string | null;
  readonly step: number | null;
  readonly round: number | null;
  readonly event_key: string | null;
  readonly recipient_id: string;
  readonly method_ref: string;
  readonly channel: string;
  readonly attempts: number;
  readonly run_severity: string | null;
  readonly case_severity: string;
  readonly short_ref: string | null;
  readonly run_state: string | null;
  readonly detail_ciphertext: string | null;
}

/** A recipient a run alerted (first attempts only), with the first and last time. */
export interface AlertedRecipientRow {
  readonly recipient_id: string;
  readonly first_at: Date;
  readonly last_at: Date;
}

/** A notification about a case as its timeline shows it. */
export interface CaseNotificationRow {
  readonly created_at: Date;
  readonly kind: string;
  readonly recipient_id: string;
  readonly channel: string;
  readonly status: string;
  readonly delivered_at: Date | null;
  readonly event_key: string | null;
}

/** A notification of a run with its attempts, as the supervisor's history returns it. */
export interface RunNotificationRow {
  readonly id: string;
  readonly kind: string;
  readonly eventKey: string | null;
  readonly step: number | null;
  readonly round: number | null;
  readonly recipientId: string;
  readonly channel: string;
  readonly status: string;
  readonly attempts: number;
  readonly fallbackOf: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
  readonly attemptLog: {
    attempt: number;
    outcome: string;
    error: string | null;
    startedAt: string;
    finishedAt: string | null;
  }[];
}

/** A notification whose attempt the sweeper may have to re-announce. */
export interface SweptNotificationRow {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
}

/**
 * Records notifications in the outbox table (each once: a second insert under the same key does
 * nothing) and announces each new one's delivery through the transactional outbox, in the
 * caller's transaction and in one round trip however many there are. A recipient without a
 * usable contact method is recorded as failed with channel `none`, so supervisors see who could
 * not be reached instead of nothing at all. Delivery, retries and fallback to the next contact
 * method are NotificationDelivery's. Returns the ids of the notifications written now that will be
 * delivered (not those already recorded, nor those without a contact method).
 */
async function insertNotifications(
  m: EntityManager,
  list: readonly NotificationToInsert[],
): Promise<string[]> {
  if (list.length === 0) return [];
  const input = list.map((n, ord) => {
    const id = randomUUID();
    const a = n.about;
    const delivery = n.contact
      ? outboxRowValues(
          JobName.NotificationDeliver,
          { notificationId: id, attempt: 1 },
          { jobId: notificationJobId(id, 1) },
        )
      : null;
    return {
      ord,
      id,
      run_id: a.runId,
      step: a.kind === 'escalation' ? a.step : null,
      round: a.kind === 'escalation' ? a.round : null,
      recipient_id: n.recipientId,
      method_ref: n.contact?.methodId ?? 'none',
      channel: n.contact?.channel ?? 'none',
      status: n.contact ? 'pending' : 'failed',
      fallback_of: n.fallbackOf,
      last_error: n.contact ? null : 'no_contact_method',
      link: n.linkDigest ?? null,
      case_id: a.caseId,
      kind: a.kind,
      event_key: a.kind === 'case_update' ? a.eventKey : null,
      job_name: delivery?.[0] ?? null,
      payload: delivery?.[1] ?? null, // JSON text, cast to jsonb in SQL
      job_id: delivery?.[2] ?? null,
    };
  });
  const rows = (await m.query(
    prepared(`WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, id uuid, run_id uuid, step int, round int, recipient_id uuid, method_ref text, channel text, status text,
                                                        fallback_of uuid, last_error text, link text, case_id uuid, kind text, event_key text, job_name text, payload text, job_id text)
     ), link AS (
       INSERT INTO escalation_ack_links (token_digest, run_id, recipient_id)
       SELECT link, run_id, recipient_id FROM input WHERE link IS NOT NULL ORDER BY ord ON CONFLICT DO NOTHING
     ), written AS (
       INSERT INTO escalation_notifications (id, run_id, step, round, recipient_id, method_ref, channel, status, next_attempt_at, fallback_of, last_error, case_id, kind, event_key)
       SELECT id, run_id, step, round, recipient_id, method_ref, channel, status, now(), fallback_of, last_error, case_id, kind, event_key FROM input ORDER BY ord
       ON CONFLICT DO NOTHING RETURNING id
     ), announced AS (
       INSERT INTO outbox (job_name, payload, job_id)
       SELECT i.job_name, i.payload::jsonb, i.job_id FROM written w JOIN input i ON i.id = w.id WHERE i.job_name IS NOT NULL ORDER BY i.ord RETURNING job_id
     )
     SELECT i.id FROM written w JOIN input i ON i.id = w.id WHERE i.job_name IS NOT NULL ORDER BY i.ord`),
    [JSON.stringify(input)],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Owner of `escalation_notifications` and `escalation_notification_attempts` (and of the
 * acknowledgement links written with a run's first notification to each person): recording
 * notifications, claiming them for delivery, recording each attempt's outcome, and reading them
 * back for the timeline, the history and the sweeper. With the caller's transaction.
 */
@Injectable()
export class NotificationRepository {
  /** See insertNotifications above: the ids written now that will be delivered. */
  insert(m: EntityManager, list: readonly NotificationToInsert[]): Promise<string[]> {
    return insertNotifications(m, list);
  }

  /** insert for one: its id if it was written now and will be delivered, else null. */
  async insertOne(m: EntityManager, n: NotificationToInsert): Promise<string | null> {
    const [id] = await insertNotifications(m, [n]);
    return id ?? null;
  }

  /**
   * Claims a notification for attempt `attempt` with a lease of `leaseMs` (pending, or sending
   * with an expired lease) and reads what sending needs, in one statement (a case has at most one
   * run, so the left join finds the run of an escalation and of a case update alike). Null when
   * the attempt is stale (done, or claimed by another worker).
   */
  async claim(
    m: EntityManager,
    notificationId: string,
    attempt: number,
    leaseMs: number,
  ): Promise<ClaimedNotificationRow | null> {
    const [rows] = (await m.query(
      prepared(`UPDATE escalation_notifications n
          SET status = 'sending', attempts = n.attempts + 1, lease_until = now() + make_interval(secs => $3::float / 1000),
              next_attempt_at = now() + make_interval(secs => $3::float / 1000)
         FROM cases k LEFT JOIN escalation_runs r ON r.case_id = k.id
        WHERE n.id = $1 AND k.id = n.case_id AND n.attempts = $2 - 1
          AND (n.status = 'pending' OR (n.status = 'sending' AND n.lease_until < now()))
        RETURNING n.id, n.kind, n.case_id, n.run_id, n.step, n.round, n.event_key, n.recipient_id, n.method_ref, n.channel, n.attempts,
                  r.severity AS run_severity, k.severity AS case_severity, r.short_ref, r.state AS run_state,
                  (SELECT c.detail_ciphertext FROM contact_methods c WHERE c.id::text = n.method_ref AND c.enabled) AS detail_ciphertext`),
      [notificationId, attempt, leaseMs],
    )) as [ClaimedNotificationRow[], number];
    return rows[0] ?? null;
  }

  /**
   * Extends the lease of attempt `attempt` while its worker still holds it (the outcome is known
   * but could not be recorded yet): the sweeper then leaves the row alone. False if the row moved on.
   */
  async extendLease(m: EntityManager, id: string, attempt: number, leaseMs: number): Promise<boolean> {
    const [, count] = (await m.query(
      prepared(`UPDATE escalation_notifications SET lease_until = now() + make_interval(secs => $3::float / 1000),
              next_attempt_at = now() + make_interval(secs => $3::float / 1000)
        WHERE id = $1 AND attempts = $2 AND status = 'sending'`),
      [id, attempt, leaseMs],
    )) as [unknown, number];
    return count > 0;
  }

  /** The first attempt's outcome (delivered or cancelled) and its attempt record, in one statement. */
  async finishFirstAttempt(
    m: EntityManager,
    n: { id: string; channel: string },
    result: 'delivered' | 'cancelled',
    startedAt: Date,
  ): Promise<void> {
    await m.query(
      prepared(`WITH done AS (
         UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
                lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1 RETURNING id)
       INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
       SELECT id, 1, $3, $4, now(), $2, NULL FROM done ON CONFLICT (notification_id, attempt) DO NOTHING`),
      [n.id, result, n.channel, startedAt],
    );
  }

  /** Delivered or cancelled: nothing more to send. */
  async markDone(m: EntityManager, id: string, result: 'delivered' | 'cancelled'): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
      ),
      [id, result],
    );
  }

  /** Waits for another attempt at `at` after a failure classed `error`. */
  async markRetry(m: EntityManager, id: string, at: Date, error: string): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_notifications SET status = 'pending', lease_until = NULL, next_attempt_at = $2, last_error = $3 WHERE id = $1`,
      ),
      [id, at, error],
    );
  }

  /** Failed for good on this contact method. */
  async markFailed(m: EntityManager, id: string, error: string): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_notifications SET status = 'failed', lease_until = NULL, next_attempt_at = NULL, last_error = $2 WHERE id = $1`,
      ),
      [id, error],
    );
  }

  /** Records one attempt (once: a repeated record of the same attempt does nothing). */
  async recordAttempt(
    m: EntityManager,
    a: {
      notificationId: string;
      attempt: number;
      channel: string;
      startedAt: Date;
      outcome: string;
      error: string | null;
    },
  ): Promise<void> {
    await m.query(
      prepared(`INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
       VALUES ($1, $2, $3, $4, now(), $5, $6) ON CONFLICT (notification_id, attempt) DO NOTHING`),
      [a.notificationId, a.attempt, a.channel, a.startedAt, a.outcome, a.error],
    );
  }

  /** Records an attempt whose worker died before recording it (its lease expired). */
  async recordLostAttempt(
    m: EntityManager,
    a: { notificationId: string; attempt: number; channel: string; at: Date },
  ): Promise<void> {
    await m.query(
      prepared(`INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
       VALUES ($1, $2, $3, $4, $4, 'lost', 'worker_lost') ON CONFLICT (notification_id, attempt) DO NOTHING`),
      [a.notificationId, a.attempt, a.channel, a.at],
    );
  }

  /** The contact methods already tried for the same thing and recipient. */
  async methodsTried(m: EntityManager, about: NotificationAbout, recipientId: string): Promise<Set<string>> {
    const rows = (await (about.kind === 'escalation'
      ? m.query(
          prepared(
            `SELECT method_ref FROM escalation_notifications WHERE run_id = $1 AND step = $2 AND round = $3 AND recipient_id = $4`,
          ),
          [about.runId, about.step, about.round, recipientId],
        )
      : m.query(
          prepared(
            `SELECT method_ref FROM escalation_notifications WHERE case_id = $1 AND event_key = $2 AND recipient_id = $3`,
          ),
          [about.caseId, about.eventKey, recipientId],
        ))) as { method_ref: string }[];
    return new Set(rows.map((r) => r.method_ref));
  }

  /** Everyone the run alerted (first attempts only: a fallback is not a new alert). */
  async alertedRecipients(m: EntityManager, runId: string): Promise<AlertedRecipientRow[]> {
    return (await m.query(
      `SELECT recipient_id, min(created_at) AS first_at, max(created_at) AS last_at FROM escalation_notifications
        WHERE run_id = $1 AND kind = 'escalation' AND fallback_of IS NULL GROUP BY recipient_id`,
      [runId],
    )) as AlertedRecipientRow[];
  }

  /** Every notification about the case or its run, oldest first. */
  async forCase(m: EntityManager, caseId: string, runId: string | null): Promise<CaseNotificationRow[]> {
    return (await m.query(
      `SELECT created_at, kind, recipient_id, channel, status, delivered_at, event_key FROM escalation_notifications
        WHERE case_id = $1 OR ($2::uuid IS NOT NULL AND run_id = $2::uuid) ORDER BY created_at, id LIMIT 2000`,
      [caseId, runId],
    )) as CaseNotificationRow[];
  }

  /**
   * The run's notifications and the case updates of its case (also those sent before the run
   * existed), each with its attempts, oldest first.
   */
  async forRunWithAttempts(m: EntityManager, runId: string): Promise<RunNotificationRow[]> {
    return (await m.query(
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
    )) as RunNotificationRow[];
  }

  /** Notifications whose attempt is more than `graceMs` overdue (or whose lease expired), most overdue first. */
  async sweepCandidates(m: EntityManager, graceMs: number): Promise<SweptNotificationRow[]> {
    return (await m.query(
      `SELECT id, status, attempts FROM escalation_notifications
        WHERE status IN ('pending', 'sending') AND next_attempt_at < now() - make_interval(secs => $1::float / 1000)
        ORDER BY next_attempt_at LIMIT 2000`,
      [graceMs],
    )) as SweptNotificationRow[];
  }

  /**
   * Claims notifications for a sweep (pushes their next attempt `graceMs` ahead, so another
   * sweeper skips them); `stamp` (database time in ms) makes each sweep's job id new.
   */
  async claimForSweep(
    m: EntityManager,
    ids: readonly string[],
    graceMs: number,
  ): Promise<{ id: string; attempts: number; stamp: string }[]> {
    const [claimed] = (await m.query(
      `UPDATE escalation_notifications n SET next_attempt_at = now() + make_interval(secs => $2::float / 1000)
        WHERE n.id = ANY($1::uuid[]) AND n.status IN ('pending', 'sending') AND n.next_attempt_at < now() - make_interval(secs => $2::float / 1000)
        RETURNING n.id, n.attempts, (extract(epoch from now()) * 1000)::bigint AS stamp`,
      [ids, graceMs],
    )) as [{ id: string; attempts: number; stamp: string }[], number];
    return claimed;
  }
}
