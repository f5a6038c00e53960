import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The notification outbox. `kind` `escalation`: one row per (run, step, round, recipient,
 * contact method), so a step executed twice records each notification once. `case_update`: one
 * row per (case, event, recipient, contact method), so an event handled twice records each
 * once. `status`: pending | sending | delivered | failed.
 */
@Entity('escalation_notifications')
@Index('escalation_notifications_key_uq', ['runId', 'step', 'round', 'recipientId', 'methodRef'], {
  unique: true,
})
@Index('escalation_notifications_event_uq', ['caseId', 'eventKey', 'recipientId', 'methodRef'], {
  unique: true,
  where: `event_key IS NOT NULL`,
})
@Index('escalation_notifications_due_idx', ['nextAttemptAt'], { where: `status IN ('pending', 'sending')` })
@Check(
  'escalation_notifications_kind_check',
  `(kind = 'escalation' AND run_id IS NOT NULL AND step IS NOT NULL AND round IS NOT NULL AND event_key IS NULL) OR ` +
    `(kind = 'case_update' AND step IS NULL AND round IS NULL AND event_key IS NOT NULL)`,
)
export class EscalationNotification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  /** escalation | case_update (NotificationKind in @panah/domain) */
  @Column({ type: 'text', default: 'escalation' })
  kind!: string;

  /** The run; for a case update, the case's run if it had one yet. */
  @Column({ type: 'uuid', nullable: true })
  runId!: string | null;

  /** Escalation notifications only. */
  @Column({ type: 'integer', nullable: true })
  step!: number | null;

  @Column({ type: 'integer', nullable: true })
  round!: number | null;

  /** Case updates only: what happened, as `<event>:<id>` (`checked_in_after_alert:<check-in id>`). */
  @Column({ type: 'text', nullable: true })
  eventKey!: string | null;

  @Column({ type: 'uuid' })
  recipientId!: string;

  /** The contact method's id, or `none` when the recipient has no usable method left. */
  @Column({ type: 'text' })
  methodRef!: string;

  /** email | webhook | signal | matrix | sms | none */
  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** A delivery in flight holds this lease; a crashed worker's lease runs out and another retries. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  /** The notification this one falls back from (the previous contact method failed for good). */
  @Column({ type: 'uuid', nullable: true })
  fallbackOf!: string | null;

  /** An error class (`smtp_rejected`, `timeout`), never a server's message or an address. */
  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}

/** Every delivery attempt and its result. */
@Entity('escalation_notification_attempts')
@Index('escalation_notification_attempts_uq', ['notificationId', 'attempt'], { unique: true })
export class EscalationNotificationAttempt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  notificationId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz' })
  finishedAt!: Date;

  /** delivered | retry | failed */
  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
