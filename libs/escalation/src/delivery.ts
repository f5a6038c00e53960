import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { type AlertSeverity, NOTIFICATION_SUBJECT, notificationText } from '@panah/domain';
import { afterFailure, ChannelError, type ChannelKind, CHANNEL_KINDS, ContactCipher, NotificationChannels } from '@panah/notify';
import { enqueueInTransaction, JobName, notificationJobId } from '@panah/queue';
import { ackLink, ackToken } from './ack-links';
import { EscalationMetrics } from './escalation.metrics';
import { insertNotification } from './engine';

interface Claimed {
  id: string;
  run_id: string;
  step: number;
  round: number;
  recipient_id: string;
  method_ref: string;
  channel: string;
  attempts: number;
  severity: AlertSeverity;
  short_ref: string;
  run_state: string;
  detail_ciphertext: string | null;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'fallback' | 'exhausted' | 'cancelled' | 'stale';

/**
 * Delivers one notification attempt. The row is claimed with a lease (no lock is held while a
 * channel talks to the network); the attempt and its result are recorded afterwards, and the
 * retry or the fallback is announced in that same transaction. A worker that dies mid-send
 * leaves the lease to expire and the sweeper hands the notification to another worker: the
 * recipient may then get the message twice, never zero times.
 */
@Injectable()
export class NotificationDelivery {
  private readonly logger = new Logger(NotificationDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly channels: NotificationChannels,
    private readonly cipher: ContactCipher,
    private readonly metrics: EscalationMetrics,
  ) {}

  async deliver(notificationId: string, attempt: number): Promise<DeliveryOutcome> {
    const leaseMs = this.config.notify.timeoutMs * 2 + 5_000;
    // One statement (its own transaction): claim the row and read what sending needs.
    const [rows] = (await this.dataSource.query(
      `UPDATE escalation_notifications n
          SET status = 'sending', attempts = n.attempts + 1, lease_until = now() + make_interval(secs => $3::float / 1000),
              next_attempt_at = now() + make_interval(secs => $3::float / 1000)
         FROM escalation_runs r
        WHERE n.id = $1 AND r.id = n.run_id AND n.attempts = $2 - 1
          AND (n.status = 'pending' OR (n.status = 'sending' AND n.lease_until < now()))
        RETURNING n.id, n.run_id, n.step, n.round, n.recipient_id, n.method_ref, n.channel, n.attempts, r.severity, r.short_ref, r.state AS run_state,
                  (SELECT c.detail_ciphertext FROM contact_methods c WHERE c.id::text = n.method_ref AND c.enabled) AS detail_ciphertext`,
      [notificationId, attempt, leaseMs],
    )) as [Claimed[], number];
    const claimed = rows[0] ?? null;
    if (!claimed) return 'stale';
    const started = new Date();
    if (claimed.run_state === 'acknowledged' || claimed.run_state === 'resolved') {
      // Someone already acted: an alert now would only be noise at 3 a.m.
      await this.finish(claimed, started, 'cancelled', null);
      return 'cancelled';
    }
    let error: ChannelError | null = null;
    try {
      if (!claimed.detail_ciphertext) throw new ChannelError('contact_method_removed', true);
      if (!(CHANNEL_KINDS as readonly string[]).includes(claimed.channel)) throw new ChannelError('unknown_channel', true);
      const detail = await this.cipher.decrypt(claimed.method_ref, claimed.detail_ciphertext).catch(() => {
        throw new ChannelError('contact_undecryptable', true);
      });
      const link = ackLink(this.config.publicUrl, ackToken(this.config.tokenKey, claimed.run_id, claimed.recipient_id));
      const text = notificationText({ severity: claimed.severity, shortRef: claimed.short_ref, link });
      await this.channels.get(claimed.channel as ChannelKind).send(detail, { id: claimed.id, attempt, subject: NOTIFICATION_SUBJECT, text });
    } catch (e) {
      error = e instanceof ChannelError ? e : new ChannelError('internal', false);
      if (!(e instanceof ChannelError)) this.logger.error({ notificationId: claimed.id, err: e instanceof Error ? e.name : 'unknown' }, 'delivery raised an unexpected error');
    }
    return this.finish(claimed, started, error ? 'failed' : 'delivered', error);
  }

  private async finish(n: Claimed, started: Date, result: 'delivered' | 'failed' | 'cancelled', error: ChannelError | null): Promise<DeliveryOutcome> {
    if (result !== 'failed' && n.attempts === 1) {
      // The common case in one statement: the outcome and its attempt record together.
      await this.dataSource.query(
        `WITH done AS (
           UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
                  lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1 RETURNING id)
         INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
         SELECT id, 1, $3, $4, now(), $2, NULL FROM done ON CONFLICT (notification_id, attempt) DO NOTHING`,
        [n.id, result, n.channel, started],
      );
      return result;
    }
    return this.dataSource.transaction(async (m) => {
      let outcome: DeliveryOutcome;
      if (result === 'delivered' || result === 'cancelled') {
        outcome = result;
        await m.query(
          `UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
          [n.id, result],
        );
      } else {
        this.metrics.notificationFailures.inc({ channel: n.channel, outcome: error?.permanent ? 'permanent' : 'transient' });
        const decision = afterFailure(n.attempts, error?.permanent ?? false, this.config.notify.maxAttempts, this.config.notify.retryBaseMs);
        if (decision.kind === 'retry') {
          outcome = 'retry';
          const at = new Date(Date.now() + decision.delayMs);
          await m.query(`UPDATE escalation_notifications SET status = 'pending', lease_until = NULL, next_attempt_at = $2, last_error = $3 WHERE id = $1`, [n.id, at, error?.code ?? 'unknown']);
          await enqueueInTransaction(m, JobName.NotificationDeliver, { notificationId: n.id, attempt: n.attempts + 1 }, { jobId: notificationJobId(n.id, n.attempts + 1), notBefore: at });
        } else {
          await m.query(`UPDATE escalation_notifications SET status = 'failed', lease_until = NULL, next_attempt_at = NULL, last_error = $2 WHERE id = $1`, [n.id, error?.code ?? 'unknown']);
          outcome = (await this.fallBack(m, n)) ? 'fallback' : 'exhausted';
          if (outcome === 'exhausted') {
            this.metrics.notificationFailures.inc({ channel: n.channel, outcome: 'exhausted' });
            this.logger.error({ runId: n.run_id, notificationId: n.id, step: n.step, round: n.round }, 'every contact method of a recipient failed');
          }
        }
      }
      if (n.attempts > 1) {
        // The previous attempt's worker died before recording it (lease expired): say so.
        await m.query(
          `INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
           VALUES ($1, $2, $3, $4, $4, 'lost', 'worker_lost') ON CONFLICT (notification_id, attempt) DO NOTHING`,
          [n.id, n.attempts - 1, n.channel, started],
        );
      }
      await m.query(
        `INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
         VALUES ($1, $2, $3, $4, now(), $5, $6) ON CONFLICT (notification_id, attempt) DO NOTHING`,
        [n.id, n.attempts, n.channel, started, result === 'failed' ? (outcome === 'retry' ? 'retry' : 'failed') : result, error?.code ?? null],
      );
      return outcome;
    });
  }

  /** The recipient's next enabled contact method after this one, as a new notification. */
  private async fallBack(m: EntityManager, n: Claimed): Promise<boolean> {
    const methods = (await m.query(
      `SELECT id, channel FROM contact_methods WHERE staff_id = $1 AND enabled ORDER BY priority, created_at, id`,
      [n.recipient_id],
    )) as { id: string; channel: string }[];
    const tried = (await m.query(`SELECT method_ref FROM escalation_notifications WHERE run_id = $1 AND step = $2 AND round = $3 AND recipient_id = $4`, [
      n.run_id,
      n.step,
      n.round,
      n.recipient_id,
    ])) as { method_ref: string }[];
    const used = new Set(tried.map((t) => t.method_ref));
    const next = methods.find((x) => !used.has(x.id));
    if (!next) return false;
    await insertNotification(m, { runId: n.run_id, step: n.step, round: n.round, recipientId: n.recipient_id, contact: { methodId: next.id, channel: next.channel }, fallbackOf: n.id });
    return true;
  }
}
