import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  type AlertSeverity,
  isAlertSeverity,
  type NotificationKind,
  notificationMessage,
  shortRefFromId,
} from '@panah/domain';
import {
  afterFailure,
  ChannelError,
  type ChannelKind,
  CHANNEL_KINDS,
  ContactCipher,
  NotificationChannels,
} from '@panah/notify';
import { enqueueInTransaction, JobName, notificationJobId } from '@panah/queue';
import { ackLink, ackToken, caseLink } from './ack-links';
import { EscalationMetrics } from './escalation.metrics';
import { insertNotification, type NotificationAbout } from './notification.repository';
import { prepared } from '@panah/db';

interface Claimed {
  id: string;
  kind: NotificationKind;
  case_id: string;
  run_id: string | null;
  step: number | null;
  round: number | null;
  event_key: string | null;
  recipient_id: string;
  method_ref: string;
  channel: string;
  attempts: number;
  run_severity: string | null;
  case_severity: string;
  short_ref: string | null;
  run_state: string | null;
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
    // One statement (its own transaction): claim the row and read what sending needs (a case has
    // at most one run, so the left join finds the run of an escalation and of a case update alike).
    const [rows] = (await this.dataSource.query(
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
    )) as [Claimed[], number];
    const claimed = rows[0] ?? null;
    if (!claimed) return 'stale';
    const started = new Date();
    if (
      claimed.kind === 'escalation' &&
      (claimed.run_state === 'acknowledged' || claimed.run_state === 'resolved')
    ) {
      // Someone already acted: an alert now would only be noise at 3 a.m. (A case update asks
      // nobody to act and is meant for exactly those who did, so it is delivered regardless.)
      await this.finish(claimed, started, 'cancelled', null);
      return 'cancelled';
    }
    let error: ChannelError | null = null;
    try {
      if (!claimed.detail_ciphertext) throw new ChannelError('contact_method_removed', true);
      if (!(CHANNEL_KINDS as readonly string[]).includes(claimed.channel))
        throw new ChannelError('unknown_channel', true);
      const detail = await this.cipher.decrypt(claimed.method_ref, claimed.detail_ciphertext).catch(() => {
        throw new ChannelError('contact_undecryptable', true);
      });
      const { subject, text } = notificationMessage(claimed.kind, this.facts(claimed));
      await this.channels
        .get(claimed.channel as ChannelKind)
        .send(detail, { id: claimed.id, attempt, subject, text });
    } catch (e) {
      error = e instanceof ChannelError ? e : new ChannelError('internal', false);
      if (!(e instanceof ChannelError))
        this.logger.error(
          { notificationId: claimed.id, err: e instanceof Error ? e.name : 'unknown' },
          'delivery raised an unexpected error',
        );
    }
    return this.finish(claimed, started, error ? 'failed' : 'delivered', error);
  }

  /**
   * The three facts a message may carry (G5). An escalation names its run's severity and links
   * to the recipient's acknowledgement link; a case update names the case's current severity and
   * links to the case (a console page that opens it after sign-in, the id in the fragment).
   */
  private facts(n: Claimed): { severity: AlertSeverity; shortRef: string; link: string } {
    const shortRef = n.short_ref ?? shortRefFromId(n.case_id);
    switch (n.kind) {
      case 'escalation':
        if (n.run_id === null) throw new ChannelError('no_run', true);
        return {
          severity: severityOf(n.run_severity),
          shortRef,
          link: ackLink(this.config.publicUrl, ackToken(this.config.tokenKey, n.run_id, n.recipient_id)),
        };
      case 'case_update':
        return {
          severity: severityOf(n.case_severity),
          shortRef,
          link: caseLink(this.config.publicUrl, n.case_id),
        };
    }
  }

  private async finish(
    n: Claimed,
    started: Date,
    result: 'delivered' | 'failed' | 'cancelled',
    error: ChannelError | null,
  ): Promise<DeliveryOutcome> {
    if (result !== 'failed' && n.attempts === 1) {
      // The common case in one statement: the outcome and its attempt record together.
      await this.dataSource.query(
        prepared(`WITH done AS (
           UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
                  lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1 RETURNING id)
         INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
         SELECT id, 1, $3, $4, now(), $2, NULL FROM done ON CONFLICT (notification_id, attempt) DO NOTHING`),
        [n.id, result, n.channel, started],
      );
      return result;
    }
    return this.dataSource.transaction(async (m) => {
      let outcome: DeliveryOutcome;
      if (result === 'delivered' || result === 'cancelled') {
        outcome = result;
        await m.query(
          prepared(
            `UPDATE escalation_notifications SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, lease_until = NULL, next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
          ),
          [n.id, result],
        );
      } else {
        this.metrics.notificationFailures.inc({
          channel: n.channel,
          outcome: error?.permanent ? 'permanent' : 'transient',
        });
        const decision = afterFailure(
          n.attempts,
          error?.permanent ?? false,
          this.config.notify.maxAttempts,
          this.config.notify.retryBaseMs,
        );
        if (decision.kind === 'retry') {
          outcome = 'retry';
          const at = new Date(Date.now() + decision.delayMs);
          await m.query(
            prepared(
              `UPDATE escalation_notifications SET status = 'pending', lease_until = NULL, next_attempt_at = $2, last_error = $3 WHERE id = $1`,
            ),
            [n.id, at, error?.code ?? 'unknown'],
          );
          await enqueueInTransaction(
            m,
            JobName.NotificationDeliver,
            { notificationId: n.id, attempt: n.attempts + 1 },
            { jobId: notificationJobId(n.id, n.attempts + 1), notBefore: at },
          );
        } else {
          await m.query(
            prepared(
              `UPDATE escalation_notifications SET status = 'failed', lease_until = NULL, next_attempt_at = NULL, last_error = $2 WHERE id = $1`,
            ),
            [n.id, error?.code ?? 'unknown'],
          );
          outcome = (await this.fallBack(m, n)) ? 'fallback' : 'exhausted';
          if (outcome === 'exhausted') {
            this.metrics.notificationFailures.inc({ channel: n.channel, outcome: 'exhausted' });
            this.logger.error(
              { runId: n.run_id, notificationId: n.id, step: n.step, round: n.round },
              'every contact method of a recipient failed',
            );
          }
        }
      }
      if (n.attempts > 1) {
        // The previous attempt's worker died before recording it (lease expired): say so.
        await m.query(
          prepared(`INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
           VALUES ($1, $2, $3, $4, $4, 'lost', 'worker_lost') ON CONFLICT (notification_id, attempt) DO NOTHING`),
          [n.id, n.attempts - 1, n.channel, started],
        );
      }
      await m.query(
        prepared(`INSERT INTO escalation_notification_attempts (notification_id, attempt, channel, started_at, finished_at, outcome, error)
         VALUES ($1, $2, $3, $4, now(), $5, $6) ON CONFLICT (notification_id, attempt) DO NOTHING`),
        [
          n.id,
          n.attempts,
          n.channel,
          started,
          result === 'failed' ? (outcome === 'retry' ? 'retry' : 'failed') : result,
          error?.code ?? null,
        ],
      );
      return outcome;
    });
  }

  /** The recipient's next enabled contact method after this one, as a new notification about the same thing. */
  private async fallBack(m: EntityManager, n: Claimed): Promise<boolean> {
    const methods = (await m.query(
      prepared(
        `SELECT id, channel FROM contact_methods WHERE staff_id = $1 AND enabled ORDER BY priority, created_at, id`,
      ),
      [n.recipient_id],
    )) as { id: string; channel: string }[];
    const about = aboutOf(n);
    const tried = (await (about.kind === 'escalation'
      ? m.query(
          prepared(
            `SELECT method_ref FROM escalation_notifications WHERE run_id = $1 AND step = $2 AND round = $3 AND recipient_id = $4`,
          ),
          [about.runId, about.step, about.round, n.recipient_id],
        )
      : m.query(
          prepared(
            `SELECT method_ref FROM escalation_notifications WHERE case_id = $1 AND event_key = $2 AND recipient_id = $3`,
          ),
          [about.caseId, about.eventKey, n.recipient_id],
        ))) as {
      method_ref: string;
    }[];
    const used = new Set(tried.map((t) => t.method_ref));
    const next = methods.find((x) => !used.has(x.id));
    if (!next) return false;
    await insertNotification(m, {
      about,
      recipientId: n.recipient_id,
      contact: { methodId: next.id, channel: next.channel },
      fallbackOf: n.id,
    });
    return true;
  }
}

function aboutOf(n: Claimed): NotificationAbout {
  // The table's check constraint guarantees these fields for each kind.
  if (n.kind === 'escalation')
    return {
      kind: 'escalation',
      caseId: n.case_id,
      runId: n.run_id as string,
      step: n.step as number,
      round: n.round as number,
    };
  return { kind: 'case_update', caseId: n.case_id, runId: n.run_id, eventKey: n.event_key as string };
}

/** Unknown severities are sent as critical: a typo must never make a message quieter. */
function severityOf(value: string | null): AlertSeverity {
  return isAlertSeverity(value) ? value : 'critical';
}
