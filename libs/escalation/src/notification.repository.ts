import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
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
 * Records notifications in the outbox table (each once: a second insert under the same key does
 * nothing) and announces each new one's delivery through the transactional outbox, in the
 * caller's transaction and in one round trip however many there are. A recipient without a
 * usable contact method is recorded as failed with channel `none`, so supervisors see who could
 * not be reached instead of nothing at all. Delivery, retries and fallback to the next contact
 * method are NotificationDelivery's. Returns the ids of the notifications written now that will be
 * delivered (not those already recorded, nor those without a contact method).
 */
export async function insertNotifications(
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

/** insertNotifications for one: its id if it was written now and will be delivered, else null. */
export async function insertNotification(m: EntityManager, n: NotificationToInsert): Promise<string | null> {
  const [id] = await insertNotifications(m, [n]);
  return id ?? null;
}
