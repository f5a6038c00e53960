import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enqueueInTransaction, JobName, notificationJobId } from '@panah/queue';
import { prepared } from '@panah/db';

/**
 * What a notification is about, which is also its idempotency key (with recipient and contact
 * method): a step of an escalation run, or an event on a case (`<event>:<id>`).
 */
export type NotificationAbout =
  | { readonly kind: 'escalation'; readonly caseId: string; readonly runId: string; readonly step: number; readonly round: number }
  | { readonly kind: 'case_update'; readonly caseId: string; readonly runId: string | null; readonly eventKey: string };

export interface NewNotification {
  readonly about: NotificationAbout;
  readonly recipientId: string;
  readonly contact: { readonly methodId: string; readonly channel: string } | null;
  readonly fallbackOf: string | null;
}

/**
 * Records one notification in the outbox table (once: a second insert under the same key does
 * nothing) and announces its delivery through the transactional outbox, in the caller's
 * transaction. A recipient without a usable contact method is recorded as failed with channel
 * `none`, so supervisors see who could not be reached instead of nothing at all. Delivery,
 * retries and fallback to the next contact method are NotificationDelivery's.
 */
export async function insertNotification(
  m: EntityManager,
  n: NewNotification,
  /** The digest of the recipient's ack-link token, stored with the first notification of the run. */
  linkDigest: string | null = null,
): Promise<string | null> {
  const id = randomUUID();
  const a = n.about;
  const step = a.kind === 'escalation' ? a.step : null;
  const round = a.kind === 'escalation' ? a.round : null;
  const eventKey = a.kind === 'case_update' ? a.eventKey : null;
  const rows = (await m.query(
    prepared(`WITH link AS (
       INSERT INTO escalation_ack_links (token_digest, run_id, recipient_id) SELECT $11, $2, $5 WHERE $11::text IS NOT NULL ON CONFLICT DO NOTHING)
     INSERT INTO escalation_notifications (id, run_id, step, round, recipient_id, method_ref, channel, status, next_attempt_at, fallback_of, last_error, case_id, kind, event_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10, $12, $13, $14) ON CONFLICT DO NOTHING RETURNING id`),
    [
      id,
      a.runId,
      step,
      round,
      n.recipientId,
      n.contact?.methodId ?? 'none',
      n.contact?.channel ?? 'none',
      n.contact ? 'pending' : 'failed',
      n.fallbackOf,
      n.contact ? null : 'no_contact_method',
      linkDigest,
      a.caseId,
      a.kind,
      eventKey,
    ],
  )) as { id: string }[];
  if (rows.length === 0 || !n.contact) return null;
  await enqueueInTransaction(m, JobName.NotificationDeliver, { notificationId: id, attempt: 1 }, { jobId: notificationJobId(id, 1) });
  return id;
}
