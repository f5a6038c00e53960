import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { isDependencyOutage } from '@panah/db';
import { type AlertSeverity, isAlertSeverity, notificationMessage, shortRefFromId } from '@panah/domain';
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
import { ContactMethodRepository } from './contact-method.repository';
import {
  type ClaimedNotificationRow,
  type NotificationAbout,
  NotificationRepository,
} from './notification.repository';

/** How long an attempt's outcome is held while PostgreSQL is unreachable, before the job fails after all. */
const HOLD_OUTCOME_MS = 10 * 60_000;

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
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactMethodRepository,
  ) {}

  async deliver(notificationId: string, attempt: number): Promise<DeliveryOutcome> {
    const leaseMs = this.config.notify.timeoutMs * 2 + 5_000;
    // One statement (its own transaction): claim the row and read what sending needs.
    const claimed = await this.notifications.claim(this.dataSource.manager, notificationId, attempt, leaseMs);
    if (!claimed) return 'stale';
    const started = new Date();
    if (
      claimed.kind === 'escalation' &&
      (claimed.run_state === 'acknowledged' || claimed.run_state === 'resolved')
    ) {
      // Someone already acted: an alert now would only be noise at 3 a.m. (A case update asks
      // nobody to act and is meant for exactly those who did, so it is delivered regardless.)
      return this.record(claimed, leaseMs, () => this.finish(claimed, started, 'cancelled', null));
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
    return this.record(claimed, leaseMs, () =>
      this.finish(claimed, started, error ? 'failed' : 'delivered', error),
    );
  }

  /**
   * Writes an attempt's outcome, holding it while PostgreSQL is unreachable: the message has
   * reached (or failed to reach) the recipient, and failing the job instead would leave the row
   * `sending` until its lease expired and the sweeper had it sent again, a duplicate. The job
   * stays active meanwhile (the sweeper leaves a notification alone while a job of it is active)
   * and the lease is extended whenever the database answers, until the outcome is written.
   */
  private async record(
    n: ClaimedNotificationRow,
    leaseMs: number,
    write: () => Promise<DeliveryOutcome>,
  ): Promise<DeliveryOutcome> {
    const giveUpAt = Date.now() + HOLD_OUTCOME_MS;
    for (let waitMs = 250, held = false; ; waitMs = Math.min(waitMs * 2, 2_000)) {
      try {
        const outcome = await write();
        if (held) this.logger.warn({ notificationId: n.id }, 'held delivery outcome recorded');
        return outcome;
      } catch (e) {
        if (!isDependencyOutage(e) || Date.now() > giveUpAt) throw e;
        if (!held)
          this.logger.warn(
            { notificationId: n.id },
            'PostgreSQL unreachable after a delivery attempt: holding its outcome until it can be recorded',
          );
        held = true;
      }
      await new Promise((r) => setTimeout(r, waitMs));
      await this.notifications
        .extendLease(this.dataSource.manager, n.id, n.attempts, leaseMs)
        .catch(() => undefined);
    }
  }

  /**
   * The three facts a message may carry (G5). An escalation names its run's severity and links
   * to the recipient's acknowledgement link; a case update names the case's current severity and
   * links to the case (a console page that opens it after sign-in, the id in the fragment).
   */
  private facts(n: ClaimedNotificationRow): { severity: AlertSeverity; shortRef: string; link: string } {
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
    n: ClaimedNotificationRow,
    started: Date,
    result: 'delivered' | 'failed' | 'cancelled',
    error: ChannelError | null,
  ): Promise<DeliveryOutcome> {
    if (result !== 'failed' && n.attempts === 1) {
      // The common case in one statement: the outcome and its attempt record together.
      await this.notifications.finishFirstAttempt(this.dataSource.manager, n, result, started);
      return result;
    }
    return this.dataSource.transaction(async (m) => {
      let outcome: DeliveryOutcome;
      if (result === 'delivered' || result === 'cancelled') {
        outcome = result;
        await this.notifications.markDone(m, n.id, result);
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
          await this.notifications.markRetry(m, n.id, at, error?.code ?? 'unknown');
          await enqueueInTransaction(
            m,
            JobName.NotificationDeliver,
            { notificationId: n.id, attempt: n.attempts + 1 },
            { jobId: notificationJobId(n.id, n.attempts + 1), notBefore: at },
          );
        } else {
          await this.notifications.markFailed(m, n.id, error?.code ?? 'unknown');
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
        await this.notifications.recordLostAttempt(m, {
          notificationId: n.id,
          attempt: n.attempts - 1,
          channel: n.channel,
          at: started,
        });
      }
      await this.notifications.recordAttempt(m, {
        notificationId: n.id,
        attempt: n.attempts,
        channel: n.channel,
        startedAt: started,
        outcome: result === 'failed' ? (outcome === 'retry' ? 'retry' : 'failed') : result,
        error: error?.code ?? null,
      });
      return outcome;
    });
  }

  /** The recipient's next enabled contact method after this one, as a new notification about the same thing. */
  private async fallBack(m: EntityManager, n: ClaimedNotificationRow): Promise<boolean> {
    const methods = await this.contacts.enabledOf(m, n.recipient_id);
    const about = aboutOf(n);
    const used = await this.notifications.methodsTried(m, about, n.recipient_id);
    const next = methods.find((x) => !used.has(x.id));
    if (!next) return false;
    await this.notifications.insertOne(m, {
      about,
      recipientId: n.recipient_id,
      contact: { methodId: next.id, channel: next.channel },
      fallbackOf: n.id,
    });
    return true;
  }
}

function aboutOf(n: ClaimedNotificationRow): NotificationAbout {
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
