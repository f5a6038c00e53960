import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The notification outbox: one row per (run, step, round, recipient, contact method), so a step
 * executed twice records each notification once. `status`: pending | sending | delivered | failed.
 */
@Entity('escalation_notifications')
@Index('escalation_notifications_key_uq', ['runId', 'step', 'round', 'recipientId', 'methodRef'], { unique: true })
@Index('escalation_notifications_due_idx', ['nextAttemptAt'], { where: `status IN ('pending', 'sending')` })
export class EscalationNotification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'integer' })
  step!: number;

  @Column({ type: 'integer' })
  round!: number;

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
